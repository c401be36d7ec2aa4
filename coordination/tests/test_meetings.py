"""Coordination meetings and their actions (issue 15 point 1): rules, task lists,
reminders, the case timeline, the minutes PDF and the report's counts."""

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.models import Meeting, MeetingAction
from dongnguyen.models import Agency
from reports import mgmt
from reports.periods import Period
from tests.factories import CaseFactory, ChildFactory, HouseholdFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _agency(code):
    return Agency.objects.get(code=code)


def _meeting(officer, **kw):
    kw.setdefault("kind", Meeting.Kind.PERIODIC)
    kw.setdefault("chair", "Phó Chủ tịch UBND phường Trần Văn Nam")
    kw.setdefault("date", TODAY - dt.timedelta(days=10))
    return services.meeting_save(
        meeting=Meeting(**kw), by=officer, agencies=[_agency("yte"), _agency("congan")]
    )


def _action(officer, meeting, **kw):
    kw.setdefault("what", "Rà soát trẻ em bỏ học tại TDP-01")
    kw.setdefault("due_on", TODAY + dt.timedelta(days=5))
    return services.action_save(action=MeetingAction(meeting=meeting, **kw), by=officer)


def test_a_case_conference_needs_its_case_and_only_it_has_one(officer, group_a):
    with pytest.raises(ValidationError) as err:
        _meeting(officer, kind=Meeting.Kind.CASE_CONFERENCE)
    assert "case" in err.value.error_dict
    case = CaseFactory(child=ChildFactory(household=HouseholdFactory(group=group_a)))
    with pytest.raises(ValidationError):
        _meeting(officer, kind=Meeting.Kind.PERIODIC, case=case)
    m = _meeting(officer, kind=Meeting.Kind.CASE_CONFERENCE, case=case)
    assert m.case_id == case.pk


def test_only_the_officer_keeps_meetings(leader, health):
    for user in (leader, health):
        with pytest.raises(ValidationError):
            _meeting(user)


def test_an_action_needs_someone_responsible_and_a_due_date_after_the_meeting(officer):
    m = _meeting(officer)
    with pytest.raises(ValidationError):
        _action(officer, m)
    with pytest.raises(ValidationError) as err:
        _action(officer, m, agency=_agency("yte"), due_on=m.date - dt.timedelta(days=1))
    assert "due_on" in err.value.error_dict


def test_the_responsible_agency_sees_and_closes_its_action_on_its_task_list(
    client, officer, health, police
):
    m = _meeting(officer)
    a = _action(officer, m, agency=_agency("yte"), what="Khám sức khỏe cho trẻ tại xưởng gỗ")
    client.force_login(health)
    page = client.get(reverse("children:tasks")).content.decode()
    assert "Khám sức khỏe cho trẻ tại xưởng gỗ" in page
    # The police (another agency) neither see it on their list nor may close it.
    client.force_login(police)
    assert "Khám sức khỏe cho trẻ" not in client.get(reverse("children:tasks")).content.decode()
    assert client.post(reverse("coordination:action_done", args=[a.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.action_done(action=a, by=police)
    client.force_login(health)
    response = client.post(reverse("coordination:action_done", args=[a.pk]))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == "done" and a.done_on == TODAY and a.on_time


def test_an_action_assigned_to_a_person_is_on_their_list(client, officer, leader):
    m = _meeting(officer)
    _action(officer, m, assignee=leader, what="Chỉ đạo kiểm tra liên ngành")
    client.force_login(leader)
    assert "Chỉ đạo kiểm tra liên ngành" in client.get(reverse("children:tasks")).content.decode()


def test_a_due_action_becomes_a_notification_once(officer, health):
    from notifications.models import Kind, Notification
    from notifications.services import run_pass

    m = _meeting(officer)
    a = _action(officer, m, agency=_agency("yte"), due_on=TODAY)
    run_pass()
    run_pass()
    rows = Notification.objects.filter(kind=Kind.MEETING_ACTION_DUE)
    assert [(n.recipient_id, n.code) for n in rows] == [(health.pk, f"VG-{a.pk:05d}")]
    services.action_done(action=a, by=health)
    assert Notification.objects.filter(kind=Kind.MEETING_ACTION_DUE).count() == 1


def test_a_case_conference_shows_on_the_case_page(client, officer, health, group_a):
    case = CaseFactory(child=ChildFactory(household=HouseholdFactory(group=group_a)))
    _meeting(
        officer,
        kind=Meeting.Kind.CASE_CONFERENCE,
        case=case,
        minutes="Thống nhất đưa trẻ trở lại trường từ tháng sau",
    )
    client.force_login(officer)
    page = client.get(reverse("children:case_detail", args=[case.pk])).content.decode()
    assert "Thống nhất đưa trẻ trở lại trường" in page


def test_a_case_without_a_conference_reads_no_meetings_on_its_page(client, officer, group_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = CaseFactory(child=ChildFactory(household=HouseholdFactory(group=group_a)))
    _meeting(officer, minutes="Họp thường kỳ, không về trường hợp nào")  # not this case's
    client.force_login(officer)
    url = reverse("children:case_detail", args=[case.pk])
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert not [q for q in ctx.captured_queries if 'SELECT "coordination_meeting"' in q["sql"]]
    assert "Họp thường kỳ" not in page


def test_the_health_station_does_not_see_a_conference_on_a_case_it_cannot_see(
    client, officer, mass_org, group_b
):
    case = CaseFactory(child=ChildFactory(household=HouseholdFactory(group=group_b)))
    m = _meeting(officer, kind=Meeting.Kind.CASE_CONFERENCE, case=case)
    plain = _meeting(officer)
    client.force_login(mass_org)
    assert client.get(reverse("coordination:meeting_detail", args=[m.pk])).status_code == 404
    assert client.get(reverse("coordination:meeting_detail", args=[plain.pk])).status_code == 200


def test_the_form_keeps_what_was_typed_on_an_error(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("coordination:meeting_create"),
        {"kind": "case_conference", "date": TODAY.strftime("%d/%m/%Y"), "chair": "Ông Lê Văn Ba"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ông Lê Văn Ba" in body and "Họp hội đồng ca phải gắn với một hồ sơ" in body
    assert not Meeting.objects.exists()


def test_the_minutes_print_as_a_bien_ban(client, officer, tmp_path):
    m = _meeting(officer, agenda="Đánh giá tình hình lao động trẻ em quý III")
    _action(officer, m, agency=_agency("congan"), what="Kiểm tra đột xuất xưởng sơn")
    client.force_login(officer)
    response = client.get(reverse("coordination:meeting_pdf", args=[m.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "bb.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BIÊN BẢN",
        "Cuộc họp giao ban định kỳ",
        "Đánh giá tình hình lao động trẻ em quý III",
        "Kiểm tra đột xuất xưởng sơn",
        "Công an phường",
        "CHỦ TRÌ",
    ):
        assert expected in text, expected


def test_the_report_counts_meetings_and_actions_done_on_time(officer, health):
    start = TODAY - dt.timedelta(days=40)
    p = Period(start, TODAY, "x")
    m = _meeting(officer, date=start)
    _meeting(officer, kind=Meeting.Kind.ADHOC, date=start + dt.timedelta(days=1))
    on_time = _action(officer, m, agency=_agency("yte"), due_on=start + dt.timedelta(days=5))
    late = _action(officer, m, agency=_agency("yte"), due_on=start + dt.timedelta(days=6))
    _action(officer, m, agency=_agency("yte"), due_on=start + dt.timedelta(days=7))  # still open
    services.action_done(action=on_time, by=health, done_on=start + dt.timedelta(days=5))
    services.action_done(action=late, by=health, done_on=start + dt.timedelta(days=9))
    counts = mgmt.meetings(p)
    assert counts["held"] == 2 and counts["periodic"] == 1 and counts["adhoc"] == 1
    assert (counts["actions_due"], counts["actions_done"], counts["actions_on_time"]) == (3, 2, 1)


def test_the_meeting_list_costs_the_same_queries_for_more_rows(
    client, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    for _ in range(2):
        _action(officer, _meeting(officer), agency=_agency("yte"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("coordination:meeting_list"))
    for _ in range(8):
        _action(officer, _meeting(officer), agency=_agency("yte"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("coordination:meeting_list")).status_code == 200


def test_the_task_list_shows_the_meeting_actions_and_inputs_in_constant_queries(
    client, officer, group_a, group_b
):
    """Each row shows its meeting, agency or group from the one joined query, which reads
    the columns the rows show and not the minutes or an input's figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page():
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("children:tasks")).content.decode()
        return html, ctx.captured_queries

    client.force_login(officer)
    m = _meeting(officer, date=TODAY - dt.timedelta(days=3), minutes="Biên bản họp số 7")
    _action(officer, m, assignee=officer, agency=_agency("yte"), what="Việc thứ nhất")
    services.inputs_request(
        by=officer,
        period="2026-H2",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 12, 31),
        due_on=TODAY + dt.timedelta(days=4),
    )
    page()  # the first request fills the content-type cache the access log uses
    html, few = page()
    actions = html.split('id="meeting-actions"', 1)[1].split("</ul>", 1)[0]
    assert "Việc thứ nhất" in actions and "Trạm Y tế" in actions
    assert (TODAY - dt.timedelta(days=3)).strftime("%d/%m/%Y") in actions
    inputs = html.split('id="agency-inputs-due"', 1)[1].split("</ul>", 1)[0]
    assert f"{group_a.code} {group_a.name}" in inputs and f"{group_b.code} {group_b.name}" in inputs
    for n in range(4):
        _action(officer, _meeting(officer), assignee=officer, what=f"Việc số {n}")
    html, more = page()
    assert "Việc số 3" in html and len(more) == len(few)
    coordination = [q["sql"] for q in more if 'FROM "coordination_' in q["sql"]]
    assert coordination and not [s for s in coordination if "minutes" in s or "figures" in s]
