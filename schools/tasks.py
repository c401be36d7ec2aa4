"""Thin Celery task: the early-warning pass on last month's attendance (beat, every morning)."""

from datetime import timedelta

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import services


@shared_task(
    name="schools.tasks.evaluate_warnings",
    autoretry_for=(OperationalError, InterfaceError, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=3,
)
def evaluate_warnings() -> int:
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)
    raised = services.warnings_evaluate(month=last_month.replace(day=1))
    raised += services.warnings_evaluate(month=today.replace(day=1))
    return len(raised)
