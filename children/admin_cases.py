from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dongnguyen.admin import AccessLoggedAdmin
from dongnguyen.versioning import VersionedAdminMixin

from .models import (
    Attachment,
    Case,
    CaseAssessmentItem,
    CaseEvent,
    CasePlanAction,
    IntakeReport,
    Referral,
)


class AssessmentItemInline(admin.TabularInline):
    model = CaseAssessmentItem
    extra = 0


class PlanActionInline(admin.TabularInline):
    model = CasePlanAction
    extra = 0


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]


@admin.register(Case)
class CaseAdmin(AccessLoggedAdmin, SimpleHistoryAdmin):
    """Read-mostly: the workflow changes only through the services (views), which check roles,
    deadlines and the optimistic lock and record every transition."""

    list_display = ["__str__", "status", "risk_level", "received_at", "assigned_to"]
    list_filter = ["status", "risk_level", "emergency"]
    search_fields = ["child__search_name"]
    raw_id_fields = ["child", "intake", "assigned_to"]
    readonly_fields = [
        "status",
        "version",
        "assessed_at",
        "plan_drafted_at",
        "plan_approved_at",
        "closed_at",
        "closure_outcome",
    ]
    inlines = [AssessmentItemInline, PlanActionInline, EventInline]


@admin.register(IntakeReport)
class IntakeReportAdmin(AccessLoggedAdmin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["receipt_code", "received_at", "channel", "status", "group"]
    list_filter = ["status", "channel"]
    search_fields = ["receipt_code"]
    raw_id_fields = ["child", "business", "duplicate_of", "received_by"]


@admin.register(Referral)
class ReferralAdmin(AccessLoggedAdmin, SimpleHistoryAdmin):
    list_display = ["child", "agency", "referred_on", "closed"]
    list_filter = ["agency", "closed"]
    raw_id_fields = ["child", "case"]


@admin.register(Attachment)
class AttachmentAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    """Metadata only; the file itself is downloaded through the logged, scoped view."""

    list_display = ["original_name", "kind", "child", "case", "size", "uploaded_at"]
    list_filter = ["kind"]
    raw_id_fields = ["child", "case", "uploaded_by"]
    exclude = ["file"]
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
