from children.models import Case
from tests.factories import CaseFactory


def _url(case):
    return f"/api/v1/cases/{case.pk}/steps/"


def test_an_officer_takes_a_case_through_a_step(api_for, officer):
    case = CaseFactory()
    api = api_for(officer)
    etag = api.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    response = api.post(_url(case), {"step": "assign"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    case.refresh_from_db()
    assert case.assigned_to == officer
    assert response["ETag"] == f'"{case.version}"'
    stale = api.post(_url(case), {"step": "assign"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["current"]["assigned_to"] == officer.pk


def test_a_step_the_status_does_not_allow_is_refused_by_the_service(api_for, officer):
    case = CaseFactory()
    response = api_for(officer).post(
        _url(case), {"step": "start"}, format="json", HTTP_IF_MATCH=f'"{case.version}"'
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED


def test_a_step_of_another_role_is_403(api_for, leader, health):
    case = CaseFactory()
    header = {"HTTP_IF_MATCH": f'"{case.version}"'}
    response = api_for(leader).post(_url(case), {"step": "assign"}, format="json", **header)
    assert response.status_code == 403
    response = api_for(health).post(_url(case), {"step": "assign"}, format="json", **header)
    assert response.status_code == 403


def test_an_unknown_step_is_400_and_no_if_match_is_428(api_for, officer):
    case = CaseFactory()
    api = api_for(officer)
    bad = api.post(_url(case), {"step": "close"}, format="json", HTTP_IF_MATCH='"1"')
    assert bad.status_code == 400 and "step" in bad.json()
    assert api.post(_url(case), {"step": "assign"}, format="json").status_code == 428


def _post(api, case, path, data, etag=None):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return api.post(f"/api/v1/cases/{case.pk}/{path}/", data, format="json", **headers)


def test_an_officer_assesses_plans_refers_follows_up_supports_and_closes(api_for, officer):
    from django.utils import timezone

    from dongnguyen.models import Agency

    case = CaseFactory()
    api = api_for(officer)
    today = str(timezone.localdate())
    assessed = _post(
        api,
        case,
        "assess",
        {
            "risk_level": "high",
            "note": "Trẻ làm đêm.",
            "items": [{"item": "Làm đêm", "level": "high"}, {"item": "Học tập", "level": ""}],
        },
        f'"{case.version}"',
    )
    # The item form's own message, row by row.
    assert assessed.status_code == 400
    assert assessed.json()["items"][1] == {"level": ["Hãy chọn mức độ Cao, Trung bình hoặc Thấp."]}
    assessed = _post(
        api,
        case,
        "assess",
        {"risk_level": "high", "items": [{"item": "Làm đêm", "level": "high"}]},
        f'"{case.version}"',
    )
    assert assessed.status_code == 200, assessed.json()
    assert assessed.json()["status"] == "assessed"
    stale = _post(api, case, "assess", {"risk_level": "low"}, f'"{case.version}"')
    assert stale.status_code == 412
    hoiphunu = Agency.objects.get(code="hoiphunu")
    no_agency = _post(
        api, case, "plan", {"actions": [{"action": "Học bổng", "due_on": today}]}, assessed["ETag"]
    )
    assert no_agency.status_code == 400
    assert no_agency.json()["actions"][0] == {"agency": ["Hãy chọn cơ quan thực hiện."]}
    planned = _post(
        api,
        case,
        "plan",
        {
            "goal": "Trẻ đi học lại",
            "actions": [{"action": "Học bổng", "agency": hoiphunu.pk, "due_on": today}],
        },
        assessed["ETag"],
    )
    assert planned.status_code == 200, planned.json()
    assert planned.json()["status"] == "plan_drafted"
    referred = _post(api, case, "refer", {"agency": hoiphunu.pk, "needs": "Học bổng"})
    assert referred.status_code == 200, referred.json()
    assert _post(api, case, "refer", {"agency": hoiphunu.pk}).status_code == 400  # still open
    followed = _post(api, case, "follow-up", {"date": today, "in_school": True})
    assert followed.status_code == 201, followed.json()
    supported = _post(
        api,
        case,
        "support",
        {
            "kind": "scholarship",
            "provider": hoiphunu.pk,
            "date": today,
            "funding_source": "state_budget",
        },
    )
    assert supported.status_code == 201, supported.json()
    etag = api.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    closed = _post(api, case, "close", {"outcome": "prevented", "note": "Đã ổn."}, etag)
    assert closed.status_code == 200, closed.json()
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    # A closed case is not followed up any more (TRANSITIONS).
    assert _post(api, case, "follow-up", {"date": today}).status_code == 400


def test_case_forms_of_other_roles_are_403(api_for, leader, health):
    case = CaseFactory()
    for user in (leader, health):
        api = api_for(user)
        for path in ("assess", "plan", "close", "refer", "follow-up", "support"):
            assert _post(api, case, path, {}, '"1"').status_code == 403, (user, path)
