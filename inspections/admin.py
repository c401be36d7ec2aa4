from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dongnguyen.admin import AccessLoggedAdmin
from dongnguyen.versioning import VersionedAdminMixin

from .models import Business, Commitment, Inspection, MinorFound, Violation


@admin.register(Business)
class BusinessAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "owner_name", "group", "sector", "high_risk", "active"]
    list_filter = ["sector", "high_risk", "active", "group"]
    search_fields = ["search_name", "owner_name", "code"]


class ViolationInline(admin.TabularInline):
    model = Violation
    extra = 0
    raw_id_fields = ["child"]


# The inspection's violations name the minors found (their inline), the violation its child:
# both pages write an AccessLog row like the app's own pages.
@admin.register(Inspection)
class InspectionAdmin(AccessLoggedAdmin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["business", "kind", "planned_on", "date", "status"]
    list_filter = ["status", "kind", "interdisciplinary"]
    raw_id_fields = ["business"]
    inlines = [ViolationInline]


@admin.register(Violation)
class ViolationAdmin(AccessLoggedAdmin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["inspection", "code", "detected_on", "status", "fine_vnd"]
    list_filter = ["status", "code"]
    raw_id_fields = ["inspection", "child"]


@admin.register(Commitment)
class CommitmentAdmin(AccessLoggedAdmin, SimpleHistoryAdmin):
    list_display = ["signed_on", "business", "household", "signer_name"]
    raw_id_fields = ["business", "household"]


@admin.register(MinorFound)
class MinorFoundAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    list_display = ["inspection", "child", "case"]
    raw_id_fields = ["inspection", "child", "work_record", "case"]
