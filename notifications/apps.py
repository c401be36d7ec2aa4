from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo, nhắc việc")

    def ready(self):
        from dongnguyen.events import records_changed

        from .tasks import on_records_changed

        # A new intake, an assignment or a referral is announced at once (not at the next
        # 15-minute pass) when a worker is there to run the pass.
        records_changed.connect(on_records_changed, dispatch_uid="notifications.soon")
