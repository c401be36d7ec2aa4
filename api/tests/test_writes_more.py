"""Writes of the other records over the API: each through its page's form and service, with the
page's messages, If-Match on updates and idempotent creates."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import Case, FollowUp, IntakeReport, Screening, Support, WorkRecord
from households.models import Caregiver
from inspections.models import Inspection, Violation
from outreach.models import OutreachSession, Training
from tests.factories import (
    BusinessFactory,
    CaseFactory,
    ChildFactory,
    HouseholdFactory,
    InspectionFactory,
    OutreachSessionFactory,
)


@pytest.fixture
def home_a(group_a):
    return HouseholdFactory(group=group_a, code="HGD-01-001")


def _page_errors(client, user, url, data):
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == 200, "the page must refuse it too"
    return {k: [str(m) for m in v] for k, v in response.context["form"].errors.items()}


def test_a_collaborator_adds_a_caregiver_with_the_forms_messages(api_for, client, ctv_a, home_a):
    api = api_for(ctv_a)
    data = {"name": "Nguyễn  Thị Mẹ", "relation": "mother", "phone": "12345"}
    bad = api.post("/api/v1/caregivers/", {**data, "household": home_a.pk}, format="json")
    assert bad.status_code == 400
    page = _page_errors(client, ctv_a, reverse("households:caregiver_add", args=[home_a.pk]), data)
    assert bad.json() == page and "phone" in page
    made = api.post(
        "/api/v1/caregivers/", {**data, "phone": "", "household": home_a.pk}, format="json"
    )
    assert made.status_code == 201, made.json()
    assert Caregiver.objects.get().name == "Nguyễn Thị Mẹ"
    url = f"/api/v1/caregivers/{made.json()['id']}/"
    etag = made["ETag"]
    assert (
        api.patch(url, {"phone": "0912345678"}, format="json", HTTP_IF_MATCH=etag).status_code
        == 200
    )
    assert api.patch(url, {"phone": ""}, format="json", HTTP_IF_MATCH=etag).status_code == 412


def test_a_caregiver_of_a_household_out_of_scope_is_refused(api_for, ctv_b, home_a):
    data = {"name": "Nguyễn Thị Mẹ", "relation": "mother", "household": home_a.pk}
    response = api_for(ctv_b).post("/api/v1/caregivers/", data, format="json")
    assert response.status_code == 400 and "household" in response.json()
    assert not Caregiver.objects.exists()


def _work(child, **extra):
    return {
        "child": child.pk,
        "job_code": "other_general",
        "workplace_code": "normal",
        "hours_per_day": 6,
        "hours_per_week": 30,
        "started_on": "2026-02-01",
        **extra,
    }


def test_a_work_record_is_answered_with_its_labour_law_assessment(api_for, officer, home_a):
    child = ChildFactory(household=home_a, birth_date="2013-01-01")
    api = api_for(officer)
    response = api.post("/api/v1/work-records/", _work(child, night_work=True), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["assessment"]["age"] == 13
    assert body["assessment"]["lawful"] is False and body["assessment"]["violations"]
    assert WorkRecord.objects.get().lawful is False
    url = f"/api/v1/work-records/{body['id']}/"
    changed = api.patch(url, {"notes": "đã nghỉ"}, format="json", HTTP_IF_MATCH=response["ETag"])
    assert changed.status_code == 200, changed.json()
    assert changed.json()["notes"] == "đã nghỉ"


def test_a_work_record_is_refused_with_the_forms_messages(api_for, client, officer, home_a):
    child = ChildFactory(household=home_a)
    response = api_for(officer).post(
        "/api/v1/work-records/", _work(child, hours_per_day=30), format="json"
    )
    assert response.status_code == 400
    page_data = {**_work(child, hours_per_day=30), "started_on": "01/02/2026"}
    page_data.pop("child")
    page = _page_errors(
        client,
        officer,
        reverse("children:workrecord_add", args=[child.pk]),
        {**page_data, "save": "1"},
    )
    assert response.json() == page and "hours_per_day" in page


def test_a_collaborator_records_a_screening(api_for, ctv_a, ctv_b, home_a):
    child = ChildFactory(household=home_a)
    data = {"child": child.pk, "outcome": "child_labour"}
    assert api_for(ctv_b).post("/api/v1/screenings/", data, format="json").status_code == 400
    response = api_for(ctv_a).post("/api/v1/screenings/", data, format="json")
    assert response.status_code == 201, response.json()
    child.refresh_from_db()
    assert child.at_risk and Screening.objects.get().by == ctv_a
    bad = api_for(ctv_a).post("/api/v1/screenings/", {**data, "outcome": "nothing"}, format="json")
    assert bad.status_code == 400 and "outcome" in bad.json()


def test_intake_reports_are_recorded_and_corrected_through_the_forms(
    api_for, ctv_a, officer, group_a
):
    made = api_for(ctv_a).post(
        "/api/v1/intake-reports/",
        {"description": "Có trẻ làm ở xưởng gỗ ban đêm.", "group": group_a.pk},
        format="json",
    )
    assert made.status_code == 201, made.json()
    intake = IntakeReport.objects.get()
    assert (intake.channel, intake.received_by) == ("collaborator", ctv_a)
    api = api_for(officer)
    url = f"/api/v1/intake-reports/{intake.pk}/"
    # A collaborator records tips but does not correct them (intake.edit).
    assert (
        api_for(ctv_a).patch(url, {"location": "x"}, format="json", HTTP_IF_MATCH='"1"').status_code
        == 403
    )
    etag = api.get(url)["ETag"]
    fixed = api.patch(url, {"location": "Xóm Đình"}, format="json", HTTP_IF_MATCH=etag)
    assert fixed.status_code == 200, fixed.json()
    assert fixed.json()["location"] == "Xóm Đình"
    empty = api.patch(url, {"description": ""}, format="json", HTTP_IF_MATCH=fixed["ETag"])
    assert empty.status_code == 400 and "description" in empty.json()


def test_the_police_plan_and_record_an_inspection(api_for, police, group_a):
    business = BusinessFactory(group=group_a)
    api = api_for(police)
    planned = api.post(
        "/api/v1/inspections/",
        {"business": business.pk, "kind": "periodic", "planned_on": "2026-05-04"},
        format="json",
    )
    assert planned.status_code == 201, planned.json()
    inspection = Inspection.objects.get()
    assert inspection.status == Inspection.Status.PLANNED
    url = f"/api/v1/inspections/{inspection.pk}/"
    no_findings = api.put(url, {"date": "2026-05-04"}, format="json", HTTP_IF_MATCH=planned["ETag"])
    assert no_findings.status_code == 400 and "findings" in no_findings.json()
    done = api.put(
        url,
        {"date": "2026-05-04", "findings": "Không phát hiện trẻ em làm việc."},
        format="json",
        HTTP_IF_MATCH=planned["ETag"],
    )
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "done"
    missing = api.post(
        "/api/v1/inspections/", {"kind": "periodic", "planned_on": "2026-05-04"}, format="json"
    )
    assert missing.status_code == 400 and "business" in missing.json()


def test_a_violation_is_recorded_and_handled_with_the_models_rules(api_for, officer, group_a):
    inspection = InspectionFactory(business=BusinessFactory(group=group_a))
    api = api_for(officer)
    made = api.post(
        "/api/v1/violations/",
        {"inspection": inspection.pk, "code": "banned_job", "detected_on": "2026-03-10"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    url = f"/api/v1/violations/{made.json()['id']}/"
    no_decision = api.patch(
        url,
        {"status": "penalty_decided", "handled_on": "2026-03-20"},
        format="json",
        HTTP_IF_MATCH=made["ETag"],
    )
    assert no_decision.status_code == 400
    assert no_decision.json()["decision_number"] == ["Nhập số quyết định xử phạt."]
    assert Violation.objects.get().status == "open"


def test_sessions_through_the_form_and_a_collaborator_only_changes_their_groups(
    api_for, ctv_a, group_a
):
    api = api_for(ctv_a)
    data = {
        "group": group_a.pk,
        "date": "2026-03-01",
        "channel": "residents_meeting",
        "topic": "Phòng, chống lao động trẻ em",
        "attendee_count": 40,
    }
    made = api.post("/api/v1/sessions/", data, format="json")
    assert made.status_code == 201, made.json()
    ward_wide = OutreachSessionFactory(group=None)
    response = api.patch(
        f"/api/v1/sessions/{ward_wide.pk}/", {"topic": "x"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 404
    assert OutreachSession.objects.count() == 2


def test_trainings_are_idempotent_with_a_client_uuid(api_for, officer, ctv_a):
    api = api_for(officer)
    key = str(uuid.uuid4())
    data = {
        "title": "Tập huấn phát hiện lao động trẻ em",
        "date": "2026-04-01",
        "organizer": "ward",
        "participants": [ctv_a.pk],
        "client_uuid": key,
    }
    first = api.post("/api/v1/trainings/", data, format="json")
    second = api.post("/api/v1/trainings/", data, format="json")
    assert (first.status_code, second.status_code) == (201, 200), first.json()
    assert Training.objects.get().participants.get() == ctv_a
    assert api_for(ctv_a).post("/api/v1/trainings/", data, format="json").status_code == 403


def test_supports_and_follow_ups_of_a_case(api_for, officer, home_a):
    from dongnguyen.models import Agency

    case = CaseFactory(child=ChildFactory(household=home_a), status=Case.Status.IN_PROGRESS)
    api = api_for(officer)
    support = api.post(
        "/api/v1/supports/",
        {
            "case": case.pk,
            "kind": "scholarship",
            "provider": Agency.objects.get(code="mttq").pk,
            "date": "2026-04-02",
            "funding_source": "state_budget",
            "amount_vnd": -5,
        },
        format="json",
    )
    assert support.status_code == 400 and support.json()["amount_vnd"] == ["Giá trị không được âm."]
    follow = api.post(
        "/api/v1/follow-ups/",
        {"case": case.pk, "date": str(timezone.localdate()), "in_school": True},
        format="json",
    )
    assert follow.status_code == 201, follow.json()
    assert FollowUp.objects.get().case == case
    no_case = api.post("/api/v1/supports/", {"kind": "scholarship"}, format="json")
    assert no_case.status_code == 400 and "case" in no_case.json()
    assert not Support.objects.exists()


def test_an_intake_create_by_the_web_form_and_the_api_agree(api_for, client, officer):
    """Missing description: the same message as the page's."""
    data = {"channel": "phone", "reporter_name": "Lê Văn B"}
    response = api_for(officer).post("/api/v1/intake-reports/", data, format="json")
    assert response.status_code == 400
    page = _page_errors(client, officer, reverse("children:intake_create"), data)
    assert response.json() == page
    assert not IntakeReport.objects.exists()


def test_a_collaborator_records_a_visit_to_a_child_of_their_group_not_of_another(
    api_for, ctv_a, home_a, group_b
):
    api = api_for(ctv_a)
    ours = ChildFactory(household=home_a)
    theirs = ChildFactory(household=HouseholdFactory(group=group_b))
    visit = {"date": str(timezone.localdate()), "working_unlawfully": True, "in_school": False}
    made = api.post("/api/v1/follow-ups/", {**visit, "child": ours.pk}, format="json")
    assert made.status_code == 201, made.json()
    row = FollowUp.objects.get()
    assert (row.child, row.case, row.by, row.working_unlawfully) == (ours, None, ctv_a, True)
    other = api.post("/api/v1/follow-ups/", {**visit, "child": theirs.pk}, format="json")
    assert other.status_code == 400 and "child" in other.json()
    late = api.post("/api/v1/follow-ups/", {"child": ours.pk, "date": "31/02/2026"}, format="json")
    assert late.status_code == 400 and "date" in late.json()
    # A case's follow-up stays the officer's (collaborators see no case files).
    case = CaseFactory(child=ours)
    assert (
        api.post("/api/v1/follow-ups/", {**visit, "case": case.pk}, format="json").status_code
        == 403
    )
    assert FollowUp.objects.count() == 1


def test_a_collaborators_tip_may_name_a_child_of_their_scope(api_for, ctv_a, group_a, group_b):
    api = api_for(ctv_a)
    ours = ChildFactory(household=HouseholdFactory(group=group_a))
    theirs = ChildFactory(household=HouseholdFactory(group=group_b))
    tip = {"description": "Thấy trẻ phụ bán hàng đêm ở chợ", "group": group_a.pk}
    made = api.post("/api/v1/intake-reports/", {**tip, "child": ours.pk}, format="json")
    assert made.status_code == 201, made.json()
    intake = IntakeReport.objects.get()
    assert intake.child == ours and intake.channel == "collaborator"
    other = api.post("/api/v1/intake-reports/", {**tip, "child": theirs.pk}, format="json")
    assert other.status_code == 400 and "child" in other.json()
    assert IntakeReport.objects.count() == 1


def test_a_screening_synced_from_a_phone_keeps_the_day_it_was_done(api_for, ctv_a, home_a):
    api = api_for(ctv_a)
    child = ChildFactory(household=home_a)
    today = timezone.localdate()
    done = timezone.now() - timezone.timedelta(days=2)
    response = api.post(
        "/api/v1/screenings/",
        {"child": child.pk, "outcome": "no_risk"},
        format="json",
        HTTP_X_OFFLINE_EDITED_AT=done.isoformat(),
    )
    assert response.status_code == 201, response.json()
    assert Screening.objects.get().date == timezone.localdate(done)
    ahead = (timezone.now() + timezone.timedelta(days=3)).isoformat()
    later = api.post(
        "/api/v1/screenings/",
        {"child": child.pk, "outcome": "no_risk"},
        format="json",
        HTTP_X_OFFLINE_EDITED_AT=ahead,
    )
    assert later.status_code == 201
    assert Screening.objects.latest("pk").date == today  # a phone's wrong clock: today
