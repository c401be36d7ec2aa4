from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import CalendarFeed, Delivery, Notification, Preference
from .services import retry_deliveries


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "status", "attempts", "sent_at", "next_attempt_at", "error"]
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "threshold", "recipient", "due_at", "created_at", "read_at"]
    list_filter = ["kind", "escalated"]
    search_fields = ["code", "recipient__username"]
    raw_id_fields = ["recipient"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["key", "channel", "status", "attempts", "sent_at", "next_attempt_at"]
    list_filter = ["status", "channel", "digest"]
    search_fields = ["key", "error"]
    readonly_fields = ["notification", "key", "claim", "claimed_at", "created_at"]
    actions = ["retry"]

    @admin.action(description=_("Gửi lại các lần gửi lỗi"))
    def retry(self, request, queryset):
        n = retry_deliveries(queryset)
        self.message_user(
            request, _("Đã xếp %(n)s lần gửi để gửi lại.") % {"n": n}, messages.SUCCESS
        )


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email", "sms", "zalo", "digest"]
    list_filter = ["kind"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "revoked_at", "last_used_at"]
    readonly_fields = ["token_hash"]
