"""Writes over the API: the pages' forms and services with the same messages, If-Match with
412 when stale, idempotent creates."""

import uuid

import pytest
from django.urls import reverse

from children.models import Child
from households.models import Household
from tests.factories import ChildFactory, HouseholdFactory


@pytest.fixture
def home_a(group_a):
    return HouseholdFactory(group=group_a, code="HGD-01-001")


def _child(household, **extra):
    return {
        "full_name": "Nguyễn Văn An",
        "sex": "male",
        "birth_date": "2015-03-15",
        "household": household.code,
        "school_status": "in_school",
        "school_name": "Trường Tiểu học Đồng Kỵ",
        **extra,
    }


def _page_errors(client, user, url, data):
    client.force_login(user)
    return {
        k: [str(m) for m in v] for k, v in client.post(url, data).context["form"].errors.items()
    }


def test_it_creates_a_child_through_the_service(api_for, ctv_a, home_a):
    response = api_for(ctv_a).post(
        "/api/v1/children/", _child(home_a, special_groups=["d"]), format="json"
    )
    assert response.status_code == 201, response.json()
    child = Child.objects.get()
    assert response["ETag"] == f'"{child.version}"'
    assert child.search_name == "nguyen van an"
    assert response.json()["special_groups"] == ["d"]


@pytest.mark.parametrize(
    ("field", "value", "page_value"),
    [
        ("birth_date", "2005-03-15", "15/03/2005"),  # over 18
        ("national_id", "12345", "12345"),
        ("school_status", "dropped_out", "dropped_out"),  # no date nor reason
    ],
)
def test_it_refuses_a_child_with_the_forms_messages(
    api_for, client, officer, home_a, field, value, page_value
):
    response = api_for(officer).post(
        "/api/v1/children/", _child(home_a, **{field: value}), format="json"
    )
    assert response.status_code == 400
    page = _page_errors(
        client,
        officer,
        reverse("children:create"),
        {**_child(home_a, birth_date="15/03/2015"), field: page_value},
    )
    assert page, "the page must refuse it too"
    assert response.json() == page
    assert not Child.objects.exists()


def test_it_refuses_a_household_phone_with_the_forms_message(api_for, client, officer, group_a):
    data = {"code": "HGD-01-009", "head_name": "Lê Văn Hộ", "group": group_a.pk, "phone": "12345"}
    response = api_for(officer).post("/api/v1/households/", data, format="json")
    assert response.status_code == 400
    page_data = {**data, "poverty_status": "none"}  # as the empty page shows it
    assert response.json() == _page_errors(client, officer, reverse("households:create"), page_data)
    assert "phone" in response.json()


def test_a_collaborator_cannot_place_a_household_in_another_group(api_for, ctv_a, group_b):
    data = {"code": "HGD-08-009", "head_name": "Lê Văn Hộ", "group": group_b.pk}
    response = api_for(ctv_a).post("/api/v1/households/", data, format="json")
    assert response.status_code == 400 and "group" in response.json()
    assert not Household.objects.exists()


def test_roles_without_the_edit_page_cannot_write(api_for, leader, home_a):
    response = api_for(leader).post("/api/v1/children/", _child(home_a), format="json")
    assert response.status_code == 403


def test_it_asks_before_a_second_child_with_the_same_identity(api_for, officer, home_a):
    api = api_for(officer)
    assert api.post("/api/v1/children/", _child(home_a), format="json").status_code == 201
    again = api.post("/api/v1/children/", _child(home_a), format="json")
    assert again.status_code == 400 and "confirm_duplicate" in again.json()
    confirmed = api.post("/api/v1/children/", _child(home_a, confirm_duplicate=True), format="json")
    assert confirmed.status_code == 201
    assert Child.objects.count() == 2


def test_the_same_client_uuid_twice_makes_one_record(api_for, officer, home_a):
    api = api_for(officer)
    key = str(uuid.uuid4())
    first = api.post("/api/v1/children/", _child(home_a, client_uuid=key), format="json")
    second = api.post("/api/v1/children/", _child(home_a, client_uuid=key), format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Child.objects.count() == 1


def test_a_client_uuid_of_another_kind_is_refused(api_for, officer, home_a, group_a):
    api = api_for(officer)
    key = str(uuid.uuid4())
    api.post("/api/v1/children/", _child(home_a, client_uuid=key), format="json")
    data = {"code": "HGD-01-009", "head_name": "Lê Văn Hộ", "group": group_a.pk, "client_uuid": key}
    response = api.post("/api/v1/households/", data, format="json")
    assert response.status_code == 400 and "client_uuid" in response.json()


def test_an_update_needs_if_match(api_for, officer, home_a):
    child = ChildFactory(household=home_a)
    response = api_for(officer).patch(
        f"/api/v1/children/{child.pk}/", {"notes": "x"}, format="json"
    )
    assert response.status_code == 428


def test_a_stale_if_match_is_412_with_the_current_record(api_for, officer, home_a):
    child = ChildFactory(household=home_a, notes="cũ")
    api = api_for(officer)
    url = f"/api/v1/children/{child.pk}/"
    etag = api.get(url)["ETag"]
    assert (
        api.patch(url, {"notes": "người thứ nhất"}, format="json", HTTP_IF_MATCH=etag).status_code
        == 200
    )
    late = api.patch(url, {"notes": "người thứ hai"}, format="json", HTTP_IF_MATCH=etag)
    assert late.status_code == 412
    assert late.json()["current"]["notes"] == "người thứ nhất"
    assert late["ETag"] == f'"{child.version + 1}"'
    child.refresh_from_db()
    assert child.notes == "người thứ nhất"


def test_a_patch_keeps_the_fields_it_does_not_send(api_for, officer, home_a):
    child = ChildFactory(household=home_a, school_name="Trường A", at_risk=True)
    child.special_groups.set(["d"])
    api = api_for(officer)
    url = f"/api/v1/children/{child.pk}/"
    response = api.patch(
        url, {"notes": "đã gặp"}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"]
    )
    assert response.status_code == 200, response.json()
    child.refresh_from_db()
    assert (child.notes, child.school_name, child.at_risk) == ("đã gặp", "Trường A", True)
    assert list(child.special_groups.values_list("code", flat=True)) == ["d"]
    assert response["ETag"] == f'"{child.version}"'


def test_a_put_of_a_household_through_the_form(api_for, officer, home_a):
    api = api_for(officer)
    url = f"/api/v1/households/{home_a.pk}/"
    data = {
        "code": "hgd-01-001",
        "head_name": "  Trần  Văn Mới ",
        "group": home_a.group_id,
        "address": "Số 2, đường 277",
        "poverty_status": "none",
    }
    response = api.put(url, data, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])
    assert response.status_code == 200, response.json()
    home_a.refresh_from_db()
    assert (home_a.code, home_a.head_name) == ("HGD-01-001", "Trần Văn Mới")


def test_out_of_scope_writes_are_404(api_for, ctv_b, home_a):
    child = ChildFactory(household=home_a)
    response = api_for(ctv_b).patch(
        f"/api/v1/children/{child.pk}/", {"notes": "x"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 404


def _business(group, **extra):
    return {
        "name": "Xưởng gỗ Đồng Kỵ",
        "owner_name": "Trần Văn Chủ",
        "address": "Đường 277",
        "group": group.pk,
        "sector": "woodwork",
        "employee_count": 12,
        "minor_employee_count": 0,
        **extra,
    }


def test_the_police_record_a_business_through_the_form(api_for, client, police, group_a):
    api = api_for(police)
    created = api.post("/api/v1/businesses/", _business(group_a), format="json")
    assert created.status_code == 201, created.json()
    bad = api.post("/api/v1/businesses/", _business(group_a, phone="12345"), format="json")
    assert bad.status_code == 400
    page = _page_errors(
        client, police, reverse("inspections:business_create"), _business(group_a, phone="12345")
    )
    assert bad.json() == page and "phone" in page
    url = f"/api/v1/businesses/{created.json()['id']}/"
    etag = created["ETag"]
    assert api.patch(url, {"high_risk": True}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert (
        api.patch(url, {"high_risk": False}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    )


def test_a_collaborator_reads_but_cannot_write_businesses(api_for, ctv_a, group_a):
    response = api_for(ctv_a).post("/api/v1/businesses/", _business(group_a), format="json")
    assert response.status_code == 403
