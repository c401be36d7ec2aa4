from importlib import import_module

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dongnguyen.versioning import VersionedAdminMixin

from .models import Child, SpecialGroup


@admin.register(SpecialGroup)
class SpecialGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Child)
class ChildAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["full_name", "birth_date", "household", "at_risk"]
    search_fields = ["search_name", "national_id"]
    raw_id_fields = ["household"]


for _module in ("children.admin_register", "children.admin_cases"):
    try:
        import_module(_module)
    except ModuleNotFoundError as exc:
        if exc.name != _module:
            raise
