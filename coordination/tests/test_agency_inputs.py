"""Agency inputs to the periodic report (issue 15 point 4): the officer asks, the health
station, the police and each group fill their own, the report draws their figures and quotes
their texts, and a late agency shows as late on the report's page."""

import datetime as dt
import shutil
import subprocess

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.models import AgencyInput, InputKind
from reports import mgmt
from reports import services as report_services
from reports.periods import parse_period

pytestmark = pytest.mark.django_db
H1 = parse_period("2026-H1")
DUE = dt.date(2026, 7, 5)


def _at(day: dt.date, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _request(officer, due=DUE):
    return services.inputs_request(
        by=officer, period=H1.code, start=H1.start, end=H1.end, due_on=due
    )


def _item(kind, group=None):
    return AgencyInput.objects.get(kind=kind, group=group, period_start=H1.start)


HEALTH_FIGURES = {
    "health_checks": 40,
    "work_related": 3,
    "psychological": 7,
    "referrals_received": 5,
}
POLICE_FIGURES = {"tips_verified": 6, "inspections": 9, "violations": 2, "fines_vnd": 15000000}


def _group_figures(n):
    return {"households_visited": 10 * n, "meetings": n, "new_at_risk": n, "back_to_school": 1}


@pytest.fixture
def asked(officer, group_a, group_b):
    with time_machine.travel(_at(dt.date(2026, 6, 25)), tick=False):
        return _request(officer)


def test_the_officer_asks_each_agency_and_each_group_once(officer, group_a, group_b, asked):
    assert sorted((i.kind, i.group_id) for i in asked) == [
        ("group", group_a.pk),
        ("group", group_b.pk),
        ("health", None),
        ("police", None),
    ]
    with time_machine.travel(_at(dt.date(2026, 6, 26)), tick=False):
        again = _request(officer, due=dt.date(2026, 7, 8))
    assert AgencyInput.objects.count() == 4
    assert {i.due_on for i in again} == {dt.date(2026, 7, 8)}


def test_only_the_officer_asks(health, group_a):
    with pytest.raises(ValidationError):
        _request(health)


def test_each_agency_fills_only_its_own(asked, health, police, ctv_a, group_a, group_b):
    with time_machine.travel(_at(dt.date(2026, 7, 1)), tick=False):
        services.input_submit(
            agency_input=_item(InputKind.HEALTH),
            by=health,
            figures=HEALTH_FIGURES,
            results="Khám cho trẻ em tại các xưởng mộc",
        )
        with pytest.raises(ValidationError):
            services.input_submit(
                agency_input=_item(InputKind.POLICE),
                by=health,
                figures=POLICE_FIGURES,
                results="x",
            )
        with pytest.raises(ValidationError):
            services.input_submit(
                agency_input=_item(InputKind.GROUP, group_b),
                by=ctv_a,
                figures=_group_figures(1),
                results="x",
            )
    assert AgencyInput.objects.for_user(ctv_a).get().group == group_a
    assert list(AgencyInput.objects.for_user(police)) == [_item(InputKind.POLICE)]


def test_figures_are_checked_and_nothing_is_half_saved(asked, health):
    item = _item(InputKind.HEALTH)
    for figures in (
        {**HEALTH_FIGURES, "health_checks": -1},
        {"health_checks": 3},  # the other figures missing
        {**HEALTH_FIGURES, "inspections": 2},  # not a health figure
    ):
        with pytest.raises(ValidationError) as err:
            services.input_submit(agency_input=item, by=health, figures=figures, results="Có")
        assert "figures" in err.value.error_dict
    with pytest.raises(ValidationError) as err:
        services.input_submit(agency_input=item, by=health, figures=HEALTH_FIGURES, results=" ")
    assert "results" in err.value.error_dict
    item.refresh_from_db()
    assert item.submitted_at is None and item.figures == {}


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(client, asked, health):
    item = _item(InputKind.HEALTH)
    client.force_login(health)
    page = client.get(reverse("coordination:input_detail", args=[item.pk])).content.decode()
    assert "Lượt khám sức khỏe cho trẻ em" in page
    response = client.post(
        reverse("coordination:input_submit", args=[item.pk]),
        {"fig_health_checks": "-2", "fig_work_related": "1", "results": "Đã khám định kỳ"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Số liệu không được âm" in body and "Đã khám định kỳ" in body
    item.refresh_from_db()
    assert item.submitted_at is None
    data = {f"fig_{k}": str(v) for k, v in HEALTH_FIGURES.items()}
    data["results"] = "Đã khám định kỳ"
    response = client.post(reverse("coordination:input_submit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.figures == HEALTH_FIGURES and item.submitted_by == health


def _fill_all(health, police, ctv_a, officer, group_a, group_b):
    """Health on time, police late, TDP-01 on time, TDP-08 never."""
    with time_machine.travel(_at(dt.date(2026, 7, 2)), tick=False):
        services.input_submit(
            agency_input=_item(InputKind.HEALTH),
            by=health,
            figures=HEALTH_FIGURES,
            results="Khám sức khỏe cho 40 lượt trẻ em tại các làng nghề",
            difficulties="Thiếu cán bộ chuyên trách tâm lý",
            proposals="Bổ sung kinh phí khám sức khỏe định kỳ",
        )
        services.input_submit(
            agency_input=_item(InputKind.GROUP, group_a),
            by=ctv_a,
            figures=_group_figures(2),
            results="Thăm hộ có trẻ em bỏ học tại Thanh Bình",
        )
    with time_machine.travel(_at(dt.date(2026, 7, 10)), tick=False):
        services.input_submit(
            agency_input=_item(InputKind.POLICE),
            by=police,
            figures=POLICE_FIGURES,
            results="Kiểm tra đột xuất các xưởng mộc ban đêm",
        )


def test_the_report_draws_the_figures_and_knows_who_is_late(
    asked, health, police, ctv_a, officer, group_a, group_b
):
    _fill_all(health, police, ctv_a, officer, group_a, group_b)
    with time_machine.travel(_at(dt.date(2026, 7, 12)), tick=False):
        section = mgmt.agency_inputs(H1)
    assert (section["expected"], section["received"]) == (4, 3)
    assert [f["value"] for f in section["health"]["figures"]] == [40, 3, 7, 5]
    assert section["police"]["figures"][3] == {
        "key": "fines_vnd",
        "label": "Tiền phạt (đồng)",
        "value": 15000000,
    }
    groups = section["groups"]
    assert (groups["expected"], groups["received"]) == (2, 1)
    assert [t["value"] for t in groups["totals"]] == [20, 2, 2, 1]
    assert sorted((x["source"], x["status"]) for x in section["late"]) == [
        ("Công an phường", "submitted_late"),
        ("TDP-08 Trang Liệt 1", "late"),
    ]
    assert section["not_received"] == ["TDP-08 Trang Liệt 1"]


def test_a_late_agency_shows_as_late_on_the_reports_page(
    client, asked, health, police, ctv_a, officer, group_a, group_b
):
    _fill_all(health, police, ctv_a, officer, group_a, group_b)
    from reports.models import Report

    report = Report.objects.create(
        kind="semiannual",
        period="2026-H1",
        period_start=H1.start,
        period_end=H1.end,
        status="draft",
    )
    client.force_login(officer)
    with time_machine.travel(_at(dt.date(2026, 7, 12)), tick=False):
        page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    late_box = page.split("alert-danger", 1)[1].split("</div>", 1)[0]
    assert "TDP-08 Trang Liệt 1" in late_box and "Công an phường" in late_box
    assert "Trạm Y tế" not in late_box and "TDP-01" not in late_box


def test_the_officer_asks_from_the_reports_page(client, officer, group_a, group_b):
    from reports.models import Report

    report = Report.objects.create(
        kind="semiannual", period="2026-H1", period_start=H1.start, period_end=H1.end
    )
    client.force_login(officer)
    url = reverse("reports:report_inputs_request", args=[report.pk])
    response = client.post(url, {"due_on": "31/02/2026"})
    assert response.status_code == 400 and not AgencyInput.objects.exists()
    response = client.post(url, {"due_on": "05/07/2026"})
    assert response.status_code == 302
    assert AgencyInput.objects.filter(due_on=DUE, period="2026-H1").count() == 4


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="cần poppler-utils")
def test_the_report_pdf_quotes_the_agencies_in_their_sections(
    asked, health, police, ctv_a, officer, group_a, group_b, django_capture_on_commit_callbacks
):
    _fill_all(health, police, ctv_a, officer, group_a, group_b)
    with (
        time_machine.travel(_at(dt.date(2026, 7, 12)), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = report_services.report_request(kind="semiannual", period="2026-H1", by=officer)
    report.refresh_from_db()
    assert report.status == "ready", report.error
    out = subprocess.run(
        ["pdftotext", "-layout", report.pdf.path, "-"], capture_output=True, check=True
    )
    text = " ".join(out.stdout.decode().split())
    sec = {
        name: text.split(start, 1)[1].split(end, 1)[0]
        for name, start, end in (
            ("screening", "2. Rà soát, lập danh sách", "3. Hỗ trợ, can thiệp"),
            ("support", "3. Hỗ trợ, can thiệp", "4. Kiểm tra, phát hiện"),
            ("inspection", "4. Kiểm tra, phát hiện", "5. Tập huấn"),
            ("coordination", "6. Phối hợp liên ngành", "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"),
            ("difficulties", "IV. KHÓ KHĂN, VƯỚNG MẮC", "V. ĐỀ XUẤT, KIẾN NGHỊ"),
            ("proposals", "V. ĐỀ XUẤT, KIẾN NGHỊ", "Trên đây là báo cáo"),
        )
    }
    assert (
        "1/2 tổ đã gửi" in sec["screening"]
        and "hộ gia đình được thăm, rà soát 20" in sec["screening"]
    )
    assert "Thăm hộ có trẻ em bỏ học tại Thanh Bình" in sec["screening"]
    assert "lượt khám sức khỏe cho trẻ em 40" in sec["support"]
    assert "Khám sức khỏe cho 40 lượt trẻ em tại các làng nghề" in sec["support"]
    assert "tiền phạt (đồng) 15.000.000" in sec["inspection"]
    assert "Kiểm tra đột xuất các xưởng mộc ban đêm" in sec["inspection"]
    assert "3/4 đơn vị" in sec["coordination"]
    assert "Công an phường (gửi muộn)" in sec["coordination"]
    assert "TDP-08 Trang Liệt 1 (chưa gửi)" in sec["coordination"]
    assert "Thiếu cán bộ chuyên trách tâm lý" in sec["difficulties"]
    assert "Bổ sung kinh phí khám sức khỏe định kỳ" in sec["proposals"]


def test_the_input_list_costs_the_same_queries_for_more_rows(
    client, officer, django_assert_max_num_queries
):
    from tests.factories import GroupFactory

    GroupFactory(code="TDP-21", name="Một")
    client.force_login(officer)
    _request(officer, due=timezone.localdate())
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("coordination:input_list"))
    for n in range(10):
        GroupFactory(code=f"TDP-3{n}", name=f"Tổ {n}")
    _request(officer, due=timezone.localdate())
    assert AgencyInput.objects.count() == 13
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("coordination:input_list"))
    assert response.status_code == 200 and "TDP-39" in response.content.decode()


def test_the_health_station_finds_its_pending_input_on_its_task_list(client, asked, health):
    client.force_login(health)
    page = client.get(reverse("children:tasks")).content.decode()
    box = page.split('id="agency-inputs-due"', 1)[1].split("</ul>", 1)[0]
    assert "Trạm Y tế phường — kỳ 2026-H1" in box and "TDP-01" not in box
    services.input_submit(
        agency_input=_item(InputKind.HEALTH), by=health, figures=HEALTH_FIGURES, results="Có"
    )
    page = client.get(reverse("children:tasks")).content.decode()
    assert "Trạm Y tế phường — kỳ 2026-H1" not in page


# -- reminders (the senders before the due day, and with the officer once it is late) ---------


def _reminded(day):
    from notifications.models import Kind, Notification
    from notifications.services import run_pass

    run_pass(_at(day))
    return {
        (n.recipient.username, n.code, n.threshold)
        for n in Notification.objects.filter(kind=Kind.AGENCY_INPUT_DUE).select_related("recipient")
    }


def test_it_reminds_each_sender_of_its_own_input_before_the_due_day(
    officer, health, police, ctv_a, ctv_b, group_a, group_b
):
    _request(officer)
    assert _reminded(DUE - dt.timedelta(days=4)) == set()  # not yet
    AgencyInput.objects.filter(pk=_item(InputKind.POLICE).pk).update(submitted_at=_at(DUE))
    got = _reminded(DUE - dt.timedelta(days=3))
    # The health station and each group's own collaborator; not the police (sent), not the
    # officer (not late yet); one reminder each, however often the job runs.
    assert got == {
        ("yte", "BC-2026-H1", "3d:2026-07-05"),
        ("ctv1", "BC-2026-H1", "3d:2026-07-05"),
        ("ctv2", "BC-2026-H1", "3d:2026-07-05"),
    }
    assert _reminded(DUE - dt.timedelta(days=1)) == got


def test_it_reminds_once_more_when_late_with_the_officer_who_asked(officer, health, group_a):
    _request(officer)
    for item in AgencyInput.objects.exclude(kind=InputKind.HEALTH):
        AgencyInput.objects.filter(pk=item.pk).update(submitted_at=_at(DUE))
    got = _reminded(DUE + dt.timedelta(days=1))
    assert got == {
        ("yte", "BC-2026-H1", "overdue:2026-07-05"),
        ("vhxh", "BC-2026-H1", "overdue:2026-07-05"),
    }
    # A new due day (asked again) is a new reminder; an input long past due, none.
    _request(officer, due=DUE + dt.timedelta(days=10))
    assert ("yte", "BC-2026-H1", "3d:2026-07-15") in _reminded(DUE + dt.timedelta(days=8))
    before = _reminded(DUE + dt.timedelta(days=8))
    assert _reminded(DUE + dt.timedelta(days=10 + 31)) == before


def test_its_messages_carry_the_period_and_the_link(officer, health, mailoutbox):
    health.email = "yte@dongnguyen.example"
    health.save(update_fields=["email"])
    _request(officer)
    _reminded(DUE - dt.timedelta(days=3))
    [message] = [m for m in mailoutbox if m.to == [health.email]]
    assert "BC-2026-H1" in message.subject
    assert "đến hạn ngày 05/07/2026" in message.body
    assert f"/bao-cao-co-quan/{_item(InputKind.HEALTH).pk}/" in message.body
