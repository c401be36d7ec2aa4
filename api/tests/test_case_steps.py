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
