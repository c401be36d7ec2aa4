from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DongnguyenConfig(AppConfig):
    name = "dongnguyen"
    verbose_name = _("Phường Đồng Nguyên")
    default_auto_field = "django.db.models.BigAutoField"
