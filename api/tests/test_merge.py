"""Edits made offline from an older version (issue 17): different fields merge, the same field
is a 409 conflict with both values and nothing overwritten, the choice is kept in the history,
and the officer can list what came in offline."""

import pytest

from api.models import OfflineChange
from tests.factories import ChildFactory, HouseholdFactory

MERGE = {"HTTP_X_MERGE": "fields", "HTTP_X_OFFLINE_EDITED_AT": "2026-11-30T08:15:00%2B07:00"}


@pytest.fixture
def home(group_a):
    return HouseholdFactory(group=group_a, code="HGD-01-001", address="Số 1 ngõ 2", notes="")


def test_edits_of_different_fields_from_the_same_version_are_both_kept(api_for, ctv_a, home):
    url = f"/api/v1/households/{home.pk}/"
    phone_a, phone_b = api_for(ctv_a), api_for(ctv_a)
    etag = phone_a.get(url)["ETag"]
    first = phone_a.patch(url, {"address": "Số 9 ngõ 2"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    second = phone_b.patch(
        url, {"notes": "Gia đình mới chuyển đến"}, format="json", HTTP_IF_MATCH=etag, **MERGE
    )
    assert second.status_code == 200, second.json()
    home.refresh_from_db()
    assert (home.address, home.notes) == ("Số 9 ngõ 2", "Gia đình mới chuyển đến")
    change = OfflineChange.objects.get()
    assert (change.kind, change.fields, change.user) == ("merged", "notes", ctv_a)
    assert change.edited_at.isoformat() == "2026-11-30T01:15:00+00:00"


def test_the_same_field_edited_twice_is_a_conflict_that_overwrites_nothing(api_for, ctv_a, home):
    url = f"/api/v1/households/{home.pk}/"
    phone_a, phone_b = api_for(ctv_a), api_for(ctv_a)
    etag = phone_a.get(url)["ETag"]
    assert (
        phone_a.patch(url, {"address": "Số 9 ngõ 2"}, format="json", HTTP_IF_MATCH=etag)
    ).status_code == 200
    late = phone_b.patch(url, {"address": "Số 7 ngõ 5"}, format="json", HTTP_IF_MATCH=etag, **MERGE)
    assert late.status_code == 409
    body = late.json()
    assert "Không có gì bị ghi đè" in body["detail"]
    (conflict,) = body["conflicts"]
    assert (conflict["field"], conflict["base"], conflict["server"], conflict["mine"]) == (
        "address",
        "Số 1 ngõ 2",
        "Số 9 ngõ 2",
        "Số 7 ngõ 5",
    )
    assert body["current"]["address"] == "Số 9 ngõ 2"
    home.refresh_from_db()
    assert home.address == "Số 9 ngõ 2"
    # The collaborator chooses their value: sent from the current version, with the reason.
    chosen = phone_b.patch(
        url,
        {"address": "Số 7 ngõ 5"},
        format="json",
        HTTP_IF_MATCH=late["ETag"],
        HTTP_X_CHANGE_REASON="Xung%20%C4%91%E1%BB%99t%20%C4%91%E1%BB%8Ba%20ch%E1%BB%89",
        HTTP_X_OFFLINE_EDITED_AT="2026-11-30T08:20:00%2B07:00",
    )
    assert chosen.status_code == 200
    home.refresh_from_db()
    assert home.address == "Số 7 ngõ 5"
    reasons = list(home.history.values_list("history_change_reason", flat=True))
    assert reasons[0] == "Xung đột địa chỉ"
    addresses = list(home.history.values_list("address", flat=True))
    assert addresses[:3] == ["Số 7 ngõ 5", "Số 9 ngõ 2", "Số 1 ngõ 2"]
    assert OfflineChange.objects.get().kind == "resolved"


def test_a_same_value_is_no_conflict_and_choices_show_their_labels(api_for, ctv_a, home):
    child = ChildFactory(household=home, school_status="in_school")
    url = f"/api/v1/children/{child.pk}/"
    phone_a, phone_b = api_for(ctv_a), api_for(ctv_a)
    etag = phone_a.get(url)["ETag"]
    r = phone_a.patch(
        url,
        {
            "school_status": "dropped_out",
            "dropout_date": "2026-10-01",
            "dropout_reason": "economic",
        },
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert r.status_code == 200, r.json()
    same = phone_b.patch(
        url, {"school_status": "dropped_out"}, format="json", HTTP_IF_MATCH=etag, **MERGE
    )
    assert same.status_code == 200
    other = phone_b.patch(
        url, {"school_status": "out_of_school"}, format="json", HTTP_IF_MATCH=etag, **MERGE
    )
    assert other.status_code == 409
    (conflict,) = other.json()["conflicts"]
    assert conflict["server_display"] != conflict["server"]  # a label, not the code


def test_without_the_merge_header_a_stale_edit_is_still_412(api_for, ctv_a, home):
    url = f"/api/v1/households/{home.pk}/"
    api = api_for(ctv_a)
    etag = api.get(url)["ETag"]
    api.patch(url, {"address": "Số 9"}, format="json", HTTP_IF_MATCH=etag)
    assert api.patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert not OfflineChange.objects.exists()


def test_a_record_without_history_merges_from_the_values_the_phone_started_from(
    api_for, ctv_a, home
):
    url = f"/api/v1/households/{home.pk}/"
    phone_a, phone_b = api_for(ctv_a), api_for(ctv_a)
    start = phone_a.get(url)
    etag, version = start["ETag"], start.json()["version"]
    phone_a.patch(url, {"address": "Số 9 ngõ 2"}, format="json", HTTP_IF_MATCH=etag)
    home.history.all().delete()  # e.g. rows bulk-loaded before history was kept
    base = {"notes": "", "address": "Số 1 ngõ 2", "version": version}
    ok = phone_b.patch(
        url, {"notes": "Mới chuyển đến", "_base": base}, format="json", HTTP_IF_MATCH=etag, **MERGE
    )
    assert ok.status_code == 200, ok.json()
    clash = phone_b.patch(
        url,
        {"address": "Số 7", "_base": {**base, "version": version}},
        format="json",
        HTTP_IF_MATCH=etag,
        **MERGE,
    )
    assert clash.status_code == 409
    assert clash.json()["conflicts"][0]["server"] == "Số 9 ngõ 2"
    # Without the starting values there is nothing to merge against: 412 as before.
    assert (
        phone_b.patch(url, {"notes": "x"}, format="json", HTTP_IF_MATCH=etag, **MERGE).status_code
        == 412
    )
