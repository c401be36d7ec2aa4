from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _restore_reference_data(sender, using="default", **kwargs):
    from .reference_data import ensure_reference_data

    ensure_reference_data(using=using)


class DongnguyenConfig(AppConfig):
    name = "dongnguyen"
    verbose_name = _("Phường Đồng Nguyên")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import login_limits  # noqa: F401  (connects its signal receivers)
        from .forms import use_vietnamese_empty_choice, use_vietnamese_nul_message

        use_vietnamese_nul_message()
        use_vietnamese_empty_choice()
        # After `flush` (transactional tests) the tables are empty; this puts the reference
        # data back, as Django does for content types and permissions.
        post_migrate.connect(
            _restore_reference_data, sender=self, dispatch_uid="dongnguyen.reference_data"
        )
