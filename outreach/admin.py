from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dongnguyen.versioning import VersionedAdminMixin

from .models import OutreachSession, Training


@admin.register(OutreachSession)
class OutreachSessionAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "group", "channel", "topic", "attendee_count"]
    list_filter = ["channel", "group"]
    raw_id_fields = ["households_reached", "businesses_reached"]


@admin.register(Training)
class TrainingAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "title", "organizer", "outside_participants"]
    filter_horizontal = ["participants"]
