"""The offline app's server side (issue 17): the app page with the pages' own forms, its
service worker and manifest, and the officer's list of what came in offline."""

import datetime as dt
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import OfflineChange
from children.models import Child
from tests.factories import ChildFactory, HouseholdFactory


def test_the_app_page_carries_the_forms_and_only_the_users_groups(client, ctv_a, group_a, group_b):
    client.force_login(ctv_a)
    page = client.get("/ngoai-tuyen/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="household-code"' in html and 'name="child-full_name"' in html
    assert 'name="child-version"' not in html  # the version travels as If-Match, not a field
    assert group_a.name in html and group_b.name not in html
    config = page.context["config"]
    assert config["api"]["children"] == "/api/v1/children/"
    assert page["Cache-Control"].startswith("max-age=0")


def test_the_service_worker_may_control_the_whole_site_and_the_manifest_is_vietnamese(client):
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and sw["Content-Type"].startswith("text/javascript")
    assert sw["Service-Worker-Allowed"] == "/"
    assert b"/api/" in sw.content  # the worker never caches API answers (personal data)
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["start_url"] == "/ngoai-tuyen/" and manifest["lang"] == "vi"


def test_a_fresh_csrf_token_for_a_sync_names_the_user(client, ctv_a):
    client.force_login(ctv_a)
    body = client.get("/ngoai-tuyen/phien/").json()
    assert body["user"] == ctv_a.pk and len(body["csrf"]) >= 32


def test_the_officer_sees_who_entered_what_offline_and_when(client, officer, ctv_a, group_a):
    child = ChildFactory(household=HouseholdFactory(group=group_a))
    OfflineChange.objects.create(
        user=ctv_a,
        content_type=ContentType.objects.get_for_model(Child),
        object_id=str(child.pk),
        kind="merged",
        fields="notes, address",
    )
    client.force_login(officer)
    page = client.get("/dong-bo-ngoai-tuyen/")
    html = page.content.decode()
    assert f"/tre-em/{child.pk}/" in html
    assert "notes, address" in html
    assert "gộp với thay đổi của người khác" in html
    assert child.full_name not in html  # a list of changes, not of children


def test_a_caregiver_screening_or_visit_entered_offline_links_to_the_page_showing_it(
    client, officer, ctv_a, group_a
):
    from households.models import Caregiver
    from tests.factories import FollowUpFactory, ScreeningFactory

    home = HouseholdFactory(group=group_a)
    child = ChildFactory(household=home)
    carer = Caregiver.objects.create(household=home, name="Trần Thị Mơ", relation="Mẹ")
    for obj in (carer, ScreeningFactory(child=child), FollowUpFactory(child=child)):
        OfflineChange.objects.create(
            user=ctv_a,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            kind="create",
        )
    client.force_login(officer)
    html = client.get("/dong-bo-ngoai-tuyen/").content.decode()
    assert html.count(f'href="/ho-gia-dinh/{home.pk}/"') == 1
    assert html.count(f'href="/tre-em/{child.pk}/"') == 2
    assert carer.name not in html


@pytest.mark.parametrize("rows", [1, 12])
def test_the_offline_changes_page_costs_the_same_queries_for_any_number_of_rows(
    client, officer, ctv_a, rows, django_assert_max_num_queries
):
    from tests.factories import FollowUpFactory

    ct = ContentType.objects.get_for_model(Child)
    visit_ct = ContentType.objects.get_for_model(FollowUpFactory._meta.model)
    for i in range(rows):
        OfflineChange.objects.create(
            user=ctv_a, content_type=ct, object_id=str(i + 1), kind="create"
        )
        visit = FollowUpFactory(child=ChildFactory())
        OfflineChange.objects.create(
            user=ctv_a, content_type=visit_ct, object_id=str(visit.pk), kind="create"
        )
    client.force_login(officer)
    client.get("/dong-bo-ngoai-tuyen/")  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/dong-bo-ngoai-tuyen/").status_code == 200
    assert len(ctx.captured_queries) <= 12, [q["sql"] for q in ctx.captured_queries]


def _van_ha_officer():
    from dongnguyen.models import Agency, Ward
    from dongnguyen.services import user_set_role
    from tests.factories import UserFactory

    Ward.first()  # the first ward exists before its neighbour
    ward = Ward.objects.create(code="09412", name="Vân Hà", province_name="Bắc Ninh")
    user = UserFactory(username="vhxh_vanha")
    user_set_role(user=user, role="case_officer", agency=Agency.objects.get(code="vhxh"), ward=ward)
    return user


def test_another_wards_officer_sees_none_of_our_offline_changes(client, ctv_a, group_a):
    child = ChildFactory(household=HouseholdFactory(group=group_a))
    OfflineChange.objects.create(
        user=ctv_a,
        content_type=ContentType.objects.get_for_model(Child),
        object_id=str(child.pk),
        kind="create",
        fields="marker-field",
    )
    client.force_login(_van_ha_officer())
    html = client.get("/dong-bo-ngoai-tuyen/").content.decode()
    assert "marker-field" not in html and f"/tre-em/{child.pk}/" not in html


def _due_world(group):
    from tests.factories import FollowUpFactory, WorkRecordFactory

    household = HouseholdFactory(group=group)
    at_risk = ChildFactory(household=household, at_risk=True, birth_date=dt.date(2015, 1, 1))
    labour = ChildFactory(household=household, birth_date=dt.date(2012, 3, 1))
    WorkRecordFactory(child=labour, lawful=False, ended_on=None)
    stopped = ChildFactory(household=household, birth_date=dt.date(2013, 3, 1))
    FollowUpFactory(child=stopped, date=dt.date(2026, 3, 1), working_unlawfully=True)
    FollowUpFactory(child=stopped, date=dt.date(2026, 4, 1), working_unlawfully=False)
    still = ChildFactory(household=household, birth_date=dt.date(2013, 6, 1))
    FollowUpFactory(child=still, date=dt.date(2026, 4, 2), working_unlawfully=True)
    quiet = ChildFactory(household=household, birth_date=dt.date(2016, 6, 1))
    return {
        "at_risk": at_risk,
        "labour": labour,
        "stopped": stopped,
        "still": still,
        "quiet": quiet,
    }


def test_the_phone_gets_the_screenings_due_and_open_follow_ups_of_its_groups_only(
    client, ctv_a, group_a, group_b
):
    from dongnguyen.models import AccessLog
    from tests.factories import ScreeningFactory

    ours, theirs = _due_world(group_a), _due_world(group_b)
    ScreeningFactory(child=ours["labour"])  # screened this year: no longer due
    client.force_login(ctv_a)
    body = client.get("/ngoai-tuyen/viec-can-lam/").json()
    assert ours["at_risk"].pk in body["screenings"]
    assert ours["labour"].pk not in body["screenings"]
    assert ours["quiet"].pk not in body["screenings"]  # not on the managed list
    followups = {f["child"]: f["last_visit"] for f in body["followups"]}
    assert followups == {ours["labour"].pk: None, ours["still"].pk: "2026-04-02"}
    every = {*body["screenings"], *followups}
    assert not every & {c.pk for c in theirs.values()}  # another group's: never downloaded
    log = AccessLog.objects.filter(path="/ngoai-tuyen/viec-can-lam/").get()
    assert f",{ours['labour'].pk}," in log.object_ids


@pytest.mark.parametrize("groups", [1, 6])
def test_the_work_due_costs_the_same_queries_for_any_number_of_children(client, officer, groups):
    from tests.factories import GroupFactory

    for i in range(groups):
        _due_world(GroupFactory(code=f"TDP-{i + 20}", name=f"Tổ {i + 20}"))
    client.force_login(officer)
    client.get("/ngoai-tuyen/viec-can-lam/")  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/ngoai-tuyen/viec-can-lam/").json()
    assert len(body["followups"]) == 2 * groups
    # session, user, profile, the screenings due, the open follow-ups, the access log row
    assert len(ctx.captured_queries) <= 8, [q["sql"] for q in ctx.captured_queries]
