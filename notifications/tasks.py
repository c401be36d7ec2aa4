import logging

from celery import shared_task
from django.core.cache import cache

logger = logging.getLogger(__name__)

# Writes that make an "at once" notification due (new intake, emergency, assignment, referral).
AT_ONCE_LABELS = frozenset({"children.IntakeReport", "children.Case", "children.Referral"})
QUEUED_KEY = "notifications:pass-queued"
DEBOUNCE = 20  # seconds: a burst of writes causes one pass


@shared_task(name="notifications.send_reminders")
def send_reminders() -> dict:
    """One pass of the reminder job (beat: every 15 minutes; the 07:00 pass sends the
    digests). The same code as `manage.py send_reminders`."""
    from .services import run_pass

    cache.delete(QUEUED_KEY)
    return run_pass()


def on_records_changed(sender=None, labels=frozenset(), **kwargs) -> None:
    """Receiver of dongnguyen.events.records_changed (after the commit). With a broker, one
    pass is queued a few seconds later; without one (first run, tests) the periodic pass or
    `manage.py send_reminders` does it, so a web request never sends mail itself."""
    if not AT_ONCE_LABELS & set(labels):
        return
    if send_reminders.app.conf.task_always_eager:
        return
    if not cache.add(QUEUED_KEY, 1, DEBOUNCE * 10):
        return  # a pass is already queued and will see this write
    try:
        send_reminders.apply_async(countdown=DEBOUNCE, retry=False)
    except Exception:  # broker down: the next periodic pass catches up
        cache.delete(QUEUED_KEY)
        logger.exception("Không xếp hàng được lượt nhắc việc")
