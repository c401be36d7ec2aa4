from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from dongnguyen.events import records_changed

        from .freshness import on_records_changed

        # The core announces committed writes; KPI snapshots become stale (freshness.py).
        records_changed.connect(on_records_changed, dispatch_uid="reports.freshness")
