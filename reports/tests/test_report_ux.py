"""Issue 18, points 1 and 2 as the ward sees them: issuing keeps the typed text, periods are
chosen and named in words, due dates follow the period, numbers have two digits."""

from datetime import date

import pytest
from django.urls import reverse

from reports import services
from reports.conditions import report_due_on
from reports.models import Report
from reports.periods import month_period, parse_period


@pytest.fixture
def ready_report(ward, officer, django_capture_on_commit_callbacks):
    Report.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(kind="annual", period="2026", by=officer)
    report.refresh_from_db()
    assert report.status == Report.Status.READY, report.error
    return report


def test_it_issues_the_text_typed_but_not_saved(client, leader, ready_report):
    client.force_login(leader)
    response = client.post(
        reverse("reports:report_finalize", args=[ready_report.pk]),
        {
            "difficulties": "Khó khăn: thiếu kinh phí tuyên truyền",
            "proposals": "Đề nghị hỗ trợ",
            "version": ready_report.version,
        },
    )
    assert response.status_code == 302
    ready_report.refresh_from_db()
    assert ready_report.status == Report.Status.FINALIZED
    assert ready_report.difficulties == "Khó khăn: thiếu kinh phí tuyên truyền"
    assert ready_report.proposals == "Đề nghị hỗ trợ"
    assert ready_report.number == "01/BC-UBND"


def test_it_refuses_to_issue_over_a_text_someone_else_changed(client, leader, ready_report):
    opened_at = ready_report.version
    services.report_update_text(report=ready_report, difficulties="Của người khác", proposals="")
    client.force_login(leader)
    response = client.post(
        reverse("reports:report_finalize", args=[ready_report.pk]),
        {"difficulties": "Của tôi", "proposals": "", "version": opened_at},
    )
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    assert "Của tôi" in response.content.decode()  # what was typed is still on the page
    ready_report.refresh_from_db()
    assert ready_report.status == Report.Status.READY
    assert ready_report.difficulties == "Của người khác"


def test_it_asks_for_confirmation_inside_the_report_text_form(client, leader, ready_report):
    client.force_login(leader)
    html = client.get(reverse("reports:report_detail", args=[ready_report.pk])).content.decode()
    assert 'id="finalize-dialog"' in html
    start = html.index('id="report-text-form"')
    form = html[start : html.index("</form>", start)]
    assert reverse("reports:report_finalize", args=[ready_report.pk]) in form
    assert "Lưu và ban hành" in form


def test_it_warns_when_the_period_has_not_ended(client, leader, ready_report, settings):
    client.force_login(leader)
    ready_report.period_end = date(2999, 12, 31)
    ready_report.save(update_fields=["period_end"])
    html = client.get(reverse("reports:report_detail", args=[ready_report.pk])).content.decode()
    assert "Kỳ báo cáo chưa kết thúc (đến hết ngày 31/12/2999)" in html
    ready_report.period_end = date(2020, 12, 31)
    ready_report.save(update_fields=["period_end"])
    html = client.get(reverse("reports:report_detail", args=[ready_report.pk])).content.decode()
    assert "Kỳ báo cáo chưa kết thúc" not in html


def test_it_numbers_issued_reports_with_two_digits(leader, ready_report):
    report = services.report_finalize(report=ready_report, by=leader)
    assert report.number == "01/BC-UBND"


@pytest.mark.parametrize(
    ("kind", "code", "due"),
    [
        ("semiannual", "2026-H1", date(2026, 6, 20)),
        ("semiannual", "2026-H2", date(2026, 12, 20)),
        ("annual", "2026", date(2026, 12, 20)),
        ("adhoc", "2026-Q3", None),
    ],
)
def test_it_sets_the_due_date_of_each_period(kind, code, due):
    assert report_due_on(kind, parse_period(code)) == due


def test_it_moves_a_second_half_due_date_past_the_year_end(settings):
    settings.REPORT_DUE_DATES = {"semiannual": (7, 10), "annual": (1, 15)}
    assert report_due_on("semiannual", parse_period("2026-H2")) == date(2027, 1, 10)


@pytest.mark.parametrize(
    ("kind", "code", "title"),
    [
        ("semiannual", "2026-H2", "Báo cáo 6 tháng cuối năm 2026"),
        ("annual", "2026", "Báo cáo năm 2026"),
        ("adhoc", "2026-10-01..2026-10-31", "Báo cáo đột xuất tháng 10 năm 2026"),
        ("adhoc", "2026-10-01..2026-10-20", "Báo cáo đột xuất từ 01/10/2026 đến 20/10/2026"),
        ("adhoc", "2026-Q3", "Báo cáo đột xuất quý III năm 2026"),
    ],
)
def test_it_names_a_report_by_its_period_in_words(
    db, kind, code, title
):  # a new Report takes the first ward
    assert Report(kind=kind, period=code).title == title


def test_it_chooses_the_period_from_selects(client, officer, ward):
    client.force_login(officer)
    html = client.get(reverse("reports:report_create")).content.decode()
    assert '<select name="year"' in html and '<select name="part"' in html
    response = client.post(
        reverse("reports:report_create"), {"kind": "adhoc", "year": "2026", "part": "M10"}
    )
    report = Report.objects.get(kind="adhoc", period="2026-10-01..2026-10-31")
    assert response.status_code == 302
    assert (report.period_start, report.period_end) == (date(2026, 10, 1), date(2026, 10, 31))
    listing = client.get(reverse("reports:report_list")).content.decode()
    assert "Tháng 10 năm 2026" in listing and "2026-10-01..2026-10-31" not in listing


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "semiannual", "part": "Q1"}, "part", "6 tháng đầu năm"),
        ({"kind": "annual", "part": "H1"}, "part", "Cả năm"),
        ({"kind": "adhoc", "part": "range", "date_from": "01/10/2026"}, "date_to", "Nhập ngày"),
        (
            {"kind": "adhoc", "part": "range", "date_from": "20/10/2026", "date_to": "01/10/2026"},
            "date_to",
            "trước hoặc bằng",
        ),
    ],
)
def test_it_explains_a_period_that_does_not_fit_and_keeps_the_choices(
    client, officer, data, field, message
):
    client.force_login(officer)
    response = client.post(reverse("reports:report_create"), {"year": "2026", **data})
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert form["part"].value() == data["part"]
    assert not Report.objects.exists()


def test_it_names_downloads_in_vietnamese_words(client, officer, ready_report):
    client.force_login(officer)
    response = client.get(reverse("reports:report_download", args=[ready_report.pk]))
    assert 'filename="bao-cao-nam-2026.pdf"' in response["Content-Disposition"]
    response = client.get(reverse("reports:report_excel", args=[ready_report.pk]))
    assert 'filename="bao-cao-nam-2026.xlsx"' in response["Content-Disposition"]


def test_it_writes_the_dates_of_an_adhoc_period_once():
    assert month_period(2026, 2).label == "Tháng 2 năm 2026"
    assert parse_period("2026-10-01..2026-10-20").is_range
    assert not month_period(2026, 10).is_range
