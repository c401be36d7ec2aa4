from django.contrib import admin

from dongnguyen.versioning import VersionedAdminMixin

from .models import KpiSnapshot, Report


@admin.register(KpiSnapshot)
class KpiSnapshotAdmin(admin.ModelAdmin):
    list_display = ["code", "period_start", "period_end", "group", "value", "met", "computed_at"]
    list_filter = ["code", "period_start"]


@admin.register(Report)
class ReportAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "period", "number", "status", "due_on", "finalized_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["data", "pdf", "status", "number", "finalized_by", "finalized_at"]
