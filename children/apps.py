from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _restore_reference_data(sender, using="default", **kwargs):
    from .reference_data import ensure_reference_data

    ensure_reference_data(using=using)


class ChildrenConfig(AppConfig):
    name = "children"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After `flush` (transactional tests) the tables are empty; this puts the special
        # groups and the job/workplace catalogue back.
        post_migrate.connect(
            _restore_reference_data, sender=self, dispatch_uid="children.reference_data"
        )
