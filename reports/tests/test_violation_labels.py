"""Reports name violations as the Decree 12 catalogue does, never by their codes."""

import io

from openpyxl import load_workbook

from reports import selectors, services
from reports.models import Report
from reports.periods import parse_period

LABEL = "Người chưa thành niên làm công việc bị cấm"


def test_it_labels_violations_in_the_statistics(ward):
    stats = selectors.statistics(parse_period("2026-H1"))
    rows = {r["code"]: r for r in stats["violations"]}
    assert rows["banned_job"]["label"] == LABEL


def test_it_labels_violations_in_the_excel_and_keeps_old_frozen_reports_readable(db):
    stats = {
        "violations": [{"code": "banned_job", "label": LABEL, "n": 2, "handled": 1, "fines": 0}]
    }
    report = Report(kind="annual", period="2026", data={"statistics": stats})
    cells = _violation_cells(services.report_workbook(report))
    assert f"Vi phạm: {LABEL}" in cells
    # Reports frozen before labels were stored still show their code.
    del stats["violations"][0]["label"]
    assert "Vi phạm: banned_job" in _violation_cells(services.report_workbook(report))


def _violation_cells(workbook: bytes) -> list[str]:
    ws = load_workbook(io.BytesIO(workbook))["Kiểm tra, vi phạm"]
    return [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_it_labels_violations_in_the_report_pdf(ward, officer, django_capture_on_commit_callbacks):
    from .test_reports import pdf_text

    Report.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(kind="semiannual", period="2026-H1", by=officer)
    report.refresh_from_db()
    text = pdf_text(report.pdf.path)
    assert f"Vi phạm: {LABEL}" in text
    assert "banned_job" not in text
