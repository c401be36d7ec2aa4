from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _restore_reference_data(sender, using="default", **kwargs):
    from .reference_data import ensure_reference_data

    ensure_reference_data(using=using)


def _check_otp_required_roles():
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from .roles import Role

    unknown = [r for r in settings.OTP_REQUIRED_ROLES if r not in Role.values]
    if unknown:
        raise ImproperlyConfigured(
            f"OTP_REQUIRED_ROLES: {', '.join(unknown)} is not a role "
            f"(one of: {', '.join(Role.values)})."
        )


class DongnguyenConfig(AppConfig):
    name = "dongnguyen"
    verbose_name = _("Phường Đồng Nguyên")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            login_limits,  # noqa: F401  (connects its signal receivers)
            lookups,  # noqa: F401  (registers them)
        )
        from .forms import use_vietnamese_empty_choice, use_vietnamese_nul_message

        use_vietnamese_nul_message()
        use_vietnamese_empty_choice()
        _check_otp_required_roles()
        # After `flush` (transactional tests) the tables are empty; this puts the reference
        # data back, as Django does for content types and permissions.
        post_migrate.connect(
            _restore_reference_data, sender=self, dispatch_uid="dongnguyen.reference_data"
        )
