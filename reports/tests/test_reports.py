import shutil
import subprocess

import pytest
from django.urls import reverse

from dongnguyen.models import AccessLog
from reports import services
from reports.models import KpiSnapshot, Report
from reports.periods import parse_period

from .conftest import AS_OF

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="cần poppler-utils")
HEADER = [
    "ỦY BAN NHÂN DÂN",
    "PHƯỜNG ĐỒNG NGUYÊN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "/BC-UBND",
    "Nơi nhận:",
    "- Lưu: VT, VHXH.",
    "KT. CHỦ TỊCH",
]


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def assert_fonts_embedded(path):
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    rows = out.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), out


def check_pdf(report: Report, child_names=(), path=None):
    path = path or report.pdf.path
    text = pdf_text(path)
    for words in HEADER:
        assert words in text, words
    for name in ("Trẻ em lao động trái quy định được hỗ trợ, can thiệp", "Vi phạm được xử lý"):
        assert name in text
    for child_name in child_names:
        assert child_name not in text
    assert_fonts_embedded(path)


@pytest.fixture
def fresh_ward(ward):
    Report.objects.all().delete()
    return ward


def test_it_freezes_numbers_and_renders_the_pdf(
    fresh_ward, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(kind="semiannual", period="2026-H1", by=officer)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    assert report.due_on.isoformat() == "2026-06-20"
    assert report.data["kpis"][3]["code"] == "K4"
    assert report.data["statistics"]["special"][0]["code"] == "a"
    assert len(report.data["statistics"]["special"]) == 14
    names = [c.full_name for c in (fresh_ward.c1, fresh_ward.c2, fresh_ward.c9)]
    check_pdf(report, names)
    assert not any(n in str(report.data) for n in names)


def test_it_never_makes_two_reports_of_the_same_kind_and_period(fresh_ward, officer):
    a = services.report_request(kind="annual", period="2026", by=officer)
    b = services.report_request(kind="annual", period="2026", by=officer)
    assert a.pk == b.pk and Report.objects.filter(kind="annual").count() == 1


def test_it_locks_a_finalized_report(
    fresh_ward, officer, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(kind="annual", period="2026", by=officer)
    report.refresh_from_db()
    report = services.report_finalize(report=report, by=leader)
    assert report.number == "01/BC-UBND" and report.finalized_by == leader
    assert "Số: 01/BC-UBND" in pdf_text(report.pdf.path)
    with pytest.raises(services.ReportLocked):
        services.report_update_text(report=report, difficulties="x", proposals="y")
    with pytest.raises(services.ReportLocked):
        services.report_request(kind="annual", period="2026", by=officer)
    services.report_generate(report_id=report.pk)  # a late task leaves it alone
    report.refresh_from_db()
    assert report.status == Report.Status.FINALIZED and report.difficulties == ""


def test_it_records_a_failure_and_succeeds_on_retry(
    fresh_ward, officer, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(report):
        raise RuntimeError("Pango không có")

    monkeypatch.setattr(services, "render_report_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(kind="annual", period="2026", by=officer)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and "Pango" in report.error
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_request(kind="annual", period="2026", by=officer)
    report.refresh_from_db()
    assert report.status == Report.Status.READY and report.error == ""


def test_it_makes_a_report_from_the_command(fresh_ward, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out, target = StringIO(), tmp_path / "bc.pdf"
    call_command(
        "make_report", "--kind", "annual", "--period", "2026", "--out", str(target), stdout=out
    )
    assert out.getvalue().strip() == str(target)
    assert "BÁO CÁO" in pdf_text(target)


def test_it_stores_snapshots_idempotently(ward):
    p = parse_period("2026-H1")
    n = services.snapshot_store(period=p, as_of=AS_OF)
    assert n == 17 + 2 * 15  # ward + two active groups (K12, K13 ward-only)
    services.snapshot_store(period=p, as_of=AS_OF)
    assert KpiSnapshot.objects.count() == n
    k4 = KpiSnapshot.objects.get(code="K4", group=None)
    assert (k4.numerator, k4.denominator, k4.value, k4.met) == (1, 2, 50, False)


def test_it_lets_leadership_finalize_and_logs_downloads(
    client, fresh_ward, officer, leader, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("reports:report_create"), {"kind": "annual", "period": "2026"})
    report = Report.objects.get()
    assert resp.status_code == 302
    assert client.post(reverse("reports:report_finalize", args=[report.pk])).status_code == 403
    resp = client.get(reverse("reports:report_download", args=[report.pk]))
    assert resp.status_code == 200 and resp["Content-Disposition"].startswith("attachment")
    assert AccessLog.objects.filter(action="print").count() == 1
    resp = client.get(reverse("reports:report_excel", args=[report.pk]))
    assert resp.status_code == 200 and AccessLog.objects.filter(action="export").count() == 1
    client.force_login(leader)
    client.post(reverse("reports:report_finalize", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.FINALIZED
    resp = client.post(
        reverse("reports:report_edit_text", args=[report.pk]),
        {"difficulties": "sửa", "proposals": "sửa"},
    )
    report.refresh_from_db()
    assert report.difficulties == ""


def test_it_refuses_a_bad_period_in_the_form(client, officer, db):
    client.force_login(officer)
    resp = client.post(reverse("reports:report_create"), {"kind": "semiannual", "period": "2026"})
    assert resp.status_code == 200 and "2026-H1" in resp.content.decode()
    assert not Report.objects.exists()


@pytest.mark.celery_worker
@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_generates_a_report_on_a_real_worker(celery_worker_process, settings):
    import time

    from tests.factories import ChildFactory

    child = ChildFactory(full_name="Hoàng Thị Bí Mật", at_risk=True)
    report = services.report_request(kind="annual", period="2026")
    for _ in range(120):
        report.refresh_from_db()
        if report.status != Report.Status.GENERATING:
            break
        time.sleep(0.5)
    assert report.status == Report.Status.READY, report.error
    # The worker saved the file under its own MEDIA_ROOT (the fixture's, not the test's).
    check_pdf(report, [child.full_name], path=celery_worker_process.media_root / report.pdf.name)
