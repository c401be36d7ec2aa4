from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Nhập, xuất dữ liệu")
    default_auto_field = "django.db.models.BigAutoField"
