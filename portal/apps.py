from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The top floor (DESIGN.md layout): composes the apps below — the demo and synthetic
    wards, and later the per-role home page and menu. Nothing imports it."""

    name = "portal"
    verbose_name = _("Cổng thông tin")
    default_auto_field = "django.db.models.BigAutoField"
