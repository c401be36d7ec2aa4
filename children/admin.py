from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dongnguyen.admin import AccessLoggedAdmin
from dongnguyen.versioning import VersionedAdminMixin

from .models import Child, SpecialGroup


@admin.register(SpecialGroup)
class SpecialGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Child)
class ChildAdmin(AccessLoggedAdmin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["full_name", "birth_date", "household", "at_risk"]
    search_fields = ["search_name", "national_id"]
    raw_id_fields = ["household"]


# The register's and the cases' admin pages register themselves on import.
from . import admin_cases, admin_register  # noqa: E402, F401
