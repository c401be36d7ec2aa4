from functools import wraps

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLog, Agency, Holiday, Profile, Ward
from .services import access_log, user_set_role


class AccessLoggedAdmin:
    """ModelAdmin mixin for models that hold a child's or caregiver's personal data: the
    change form, its history and the change list each write one AccessLog row (the list:
    the ids on its page), as the app's own pages do."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None:
            obj = super().get_object(request, unquote(object_id))
            if obj is not None:
                access_log(request, obj, "view", detail=_("trang quản trị"))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        obj = super().get_object(request, unquote(object_id))
        if obj is not None:
            access_log(request, obj, "view", detail=_("lịch sử, trang quản trị"))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history's page of one past version of the record.
        obj = super().get_object(request, unquote(object_id))
        if obj is not None:
            access_log(request, obj, "view", detail=_("phiên bản cũ, trang quản trị"))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl")
        if cl is not None:
            # Evaluates the page once; the template then reads the same cached rows.
            access_log(
                request,
                None,
                "view",
                detail=_("danh sách, trang quản trị"),
                shown=cl.result_list,
                model=self.model,
            )
        return response


admin.site.site_header = _("UBND phường Đồng Nguyên — Quản trị")
admin.site.site_title = _("Quản trị")


def _admin_login(request, extra_context=None):
    """The admin signs in through the site's own sign-in (password, then the two-factor code
    when the user has a device: dongnguyen/two_factor.py), never a login page of its own."""
    if request.user.is_authenticated:
        # Signed in but not staff: Django's page would offer another login; ours says no.
        return render(request, "403.html", status=403)
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), login_url=reverse("login")
    )


admin.site.login = _admin_login

_admin_view = admin.site.admin_view


def _admin_view_refusing_nul(view, cacheable=False):
    """Every admin page answers 400 to a NUL byte in its query string: PostgreSQL cannot
    compare text with one, and a change list's filter (?action=…) or search would pass it to
    the database (a 500, found by tests/test_no_500.py)."""
    guarded = _admin_view(view, cacheable)

    @wraps(guarded)
    def inner(request, *args, **kwargs):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists()
               for value in values):  # fmt: skip
            return render(request, "400.html", status=400)
        return guarded(request, *args, **kwargs)

    return inner


admin.site.admin_view = _admin_view_refusing_nul


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    filter_horizontal = ["groups"]


class AppUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "last_name", "first_name", "is_active", "role", "two_factor"]
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("profile")
            .annotate(
                _two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
            )
        )

    @admin.display(description=_("Vai trò"))
    def role(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description=_("Xác thực hai bước"), boolean=True)
    def two_factor(self, obj):
        return getattr(obj, "_two_factor", None)

    @admin.action(description=_("Đặt lại xác thực hai bước (xóa thiết bị xác thực)"))
    def reset_two_factor(self, request, queryset):
        """For a user who lost their phone: they sign in with the password alone (or, in a
        role where it is mandatory, are sent to enrol a new device)."""
        removed, _by_model = TOTPDevice.objects.filter(user__in=queryset).delete()
        self.message_user(
            request,
            _("Đã đặt lại xác thực hai bước cho %(n)d người dùng.") % {"n": queryset.count()},
        )
        return removed

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        profile = getattr(form.instance, "profile", None)
        if profile is not None:
            # Keep the Django group in step with the role (one place: user_set_role).
            user_set_role(
                user=form.instance,
                role=profile.role,
                agency=profile.agency,
                groups=list(profile.groups.all()),
            )


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AppUserAdmin)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_repr", "detail"]
    list_filter = ["action"]
    search_fields = ["object_repr", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Append-only, for superusers too: a forged or trimmed log is worthless.
        return False


__all__ = ["SimpleHistoryAdmin"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "province_name", "signer_name", "active")
    search_fields = ("code", "name")
    list_filter = ("active",)
