from celery import shared_task


@shared_task(name="notifications.send_reminders")
def send_reminders() -> dict:
    """One pass of the reminder job (beat: every 15 minutes; the 07:00 pass sends the
    digests). The same code as `manage.py send_reminders`."""
    from .services import run_pass

    return run_pass()
