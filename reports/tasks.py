"""Thin Celery tasks: they take ids, call a service, and keep their state on rows."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import freshness, services
from .periods import current_periods, parse_period

log = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    name="reports.tasks.snapshot_current_periods",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=3,
)
def snapshot_current_periods() -> int:
    """Nightly (celery beat), and a debounced while after writes (freshness.kpis_changed): KPI
    snapshots of the current year, half-year and quarter."""
    freshness.clear()  # changes committed from here on queue the next recompute
    return sum(services.snapshot_store(period=p) for p in current_periods())


@shared_task(
    name="reports.tasks.snapshot_period", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3
)
def snapshot_period(period: str, ward_id: int | None = None) -> int:
    """On demand (the recompute button): snapshots of one period (of one ward, or all)."""
    from dongnguyen.models import Ward

    ward = Ward.objects.get(pk=ward_id) if ward_id is not None else None
    return services.snapshot_store(period=parse_period(period), ward=ward)


@shared_task(bind=True, name="reports.tasks.generate_report", max_retries=3)
def generate_report(self, report_id: int) -> None:
    try:
        services.report_generate(report_id=report_id)
    except TRANSIENT as exc:
        if not self.request.is_eager and self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=2**self.request.retries * 5) from exc
        services.report_mark_failed(report_id=report_id, error=_message(exc))
    except Exception as exc:  # the row says what went wrong; the user can retry
        log.exception("report %s failed", report_id)
        services.report_mark_failed(report_id=report_id, error=_message(exc))


def _message(exc: Exception) -> str:
    return f"Không tạo được báo cáo: {type(exc).__name__}: {exc}"
