"""Issued reports are filed away by leadership: still locked, still downloadable, still
counted as issued on their date."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dongnguyen.errors import ServiceError
from reports import services
from reports.models import Report


@pytest.fixture
def issued(db, leader):
    report = Report.objects.create(
        kind="semiannual",
        period="2026-H1",
        period_start="2026-01-01",
        period_end="2026-06-30",
        status="finalized",
        number="1/BC-UBND",
        finalized_by=leader,
        finalized_at=timezone.now(),
    )
    return report


def test_it_archives_an_issued_report_and_keeps_it_locked(issued, leader):
    services.report_archive(report=issued, by=leader)
    issued.refresh_from_db()
    assert issued.status == "archived" and issued.is_locked
    with pytest.raises(services.ReportLocked):
        services.report_update_text(report=issued, difficulties="x", proposals="y")
    with pytest.raises(services.ReportLocked):
        services.report_finalize(report=issued, by=leader)


def test_it_archives_only_issued_reports(db, leader):
    draft = Report.objects.create(
        kind="annual",
        period="2026",
        period_start="2026-01-01",
        period_end="2026-12-31",
        status="ready",
    )
    with pytest.raises(ServiceError, match="đã ban hành"):
        services.report_archive(report=draft, by=leader)


def test_it_hides_archived_reports_from_the_current_list_until_asked(client, issued, leader):
    client.force_login(leader)
    client.post(reverse("reports:report_archive", args=[issued.pk]))
    link = reverse("reports:report_detail", args=[issued.pk])
    assert link not in client.get(reverse("reports:report_list")).content.decode()
    page = client.get(reverse("reports:report_list"), {"archived": "1"}).content.decode()
    assert link in page and "Đã lưu trữ" in page


def test_it_counts_an_archived_report_as_issued_for_k13(issued, leader):
    from reports.kpis import compute
    from reports.periods import parse_period

    before = {v.code: v for v in compute(parse_period("2026"))}["K13"]
    services.report_archive(report=issued, by=leader)
    after = {v.code: v for v in compute(parse_period("2026"))}["K13"]
    assert (after.numerator, after.denominator) == (before.numerator, before.denominator)
