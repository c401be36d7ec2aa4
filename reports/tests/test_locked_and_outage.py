"""Locked reports and a broker outage: a clear Vietnamese message, never a 500, and a ready
report is never broken by a queue that does not answer."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse

from reports import services
from reports.models import Report
from tests.test_faults import broker_down  # noqa: F401 — the fixture


def _report(by, **fields):
    return Report.objects.create(
        kind="semiannual",
        period="2026-H1",
        period_start="2026-01-01",
        period_end="2026-06-30",
        created_by=by,
        **fields,
    )


def _said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("status", ["finalized", "archived"])
def test_it_refuses_to_edit_the_text_of_a_locked_report_in_vietnamese(client, officer, status):
    report = _report(officer, status=status, number="1/BC-UBND", difficulties="Cũ")
    client.force_login(officer)
    response = client.post(
        reverse("reports:report_edit_text", args=[report.pk]),
        {"difficulties": "Mới", "proposals": "", "version": report.version},
    )
    assert response.status_code == 302
    assert "không thể sửa" in _said(response)
    report.refresh_from_db()
    assert report.difficulties == "Cũ" and report.status == status


def test_it_answers_a_report_locked_while_the_text_was_being_saved(client, officer, monkeypatch):
    report = _report(officer, status="ready")

    def locked_meanwhile(**kwargs):
        raise services.ReportLocked("Báo cáo đã ban hành, không thể sửa.")

    monkeypatch.setattr(services, "report_update_text", locked_meanwhile)
    client.force_login(officer)
    response = client.post(
        reverse("reports:report_edit_text", args=[report.pk]),
        {"difficulties": "Mới", "proposals": "", "version": report.version},
    )
    assert response.status_code == 302
    assert "không thể sửa" in _said(response)


@pytest.mark.parametrize("status", ["finalized", "archived"])
def test_it_refuses_to_regenerate_a_locked_report_in_vietnamese(client, leader, status):
    report = _report(leader, status=status, number="1/BC-UBND")
    client.force_login(leader)
    response = client.post(reverse("reports:report_regenerate", args=[report.pk]))
    assert response.status_code == 302
    assert "không thể tạo lại" in _said(response)
    report.refresh_from_db()
    assert report.status == status


# Transactional: the job is handed to the broker when the service's transaction commits,
# before the view reads the outcome, as in production.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("broker_down")
def test_it_keeps_a_ready_report_ready_when_the_broker_is_down(client, officer):
    report = _report(officer, status="ready", pdf=ContentFile(b"%PDF-1.4 cu", name="bc.pdf"))
    pdf_name = report.pdf.name
    client.force_login(officer)
    response = client.post(reverse("reports:report_regenerate", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.pdf.name == pdf_name
    assert "vẫn giữ nguyên" in _said(response)
    page = client.get(reverse("reports:report_detail", args=[report.pk]))
    assert "Tải PDF" in page.content.decode()


def test_it_keeps_the_old_pdf_when_the_edit_is_rolled_back(officer, monkeypatch):
    from django.db import transaction

    report = _report(officer, status="ready", pdf=ContentFile(b"%PDF-1.4 cu", name="bc.pdf"))
    report.data = {"kpis": []}
    report.save(update_fields=["data"])
    old = report.pdf.name
    monkeypatch.setattr(services, "render_report_pdf", lambda r: b"%PDF-1.4 moi")
    with transaction.atomic():
        services.report_update_text(report=report, difficulties="Mới", proposals="")
        transaction.set_rollback(True)
    report.refresh_from_db()
    assert report.pdf.name == old
    assert report.pdf.storage.exists(old)


def test_it_tells_the_officer_when_the_pdf_is_missing_on_disk(client, officer):
    report = _report(officer, status="ready", pdf=ContentFile(b"%PDF-1.4 cu", name="bc.pdf"))
    report.pdf.storage.delete(report.pdf.name)
    client.force_login(officer)
    response = client.get(reverse("reports:report_download", args=[report.pk]))
    assert response.status_code == 302
    assert "Không tìm thấy tệp PDF" in _said(response)
