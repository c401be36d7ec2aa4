"""The offline app's server side (issue 17): the app page with the pages' own forms, its
service worker and manifest, and the officer's list of what came in offline."""

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


@pytest.mark.parametrize("rows", [1, 12])
def test_the_offline_changes_page_costs_the_same_queries_for_any_number_of_rows(
    client, officer, ctv_a, rows, django_assert_max_num_queries
):
    ct = ContentType.objects.get_for_model(Child)
    for i in range(rows):
        OfflineChange.objects.create(
            user=ctv_a, content_type=ct, object_id=str(i + 1), kind="create"
        )
    client.force_login(officer)
    client.get("/dong-bo-ngoai-tuyen/")  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/dong-bo-ngoai-tuyen/").status_code == 200
    assert len(ctx.captured_queries) <= 12, [q["sql"] for q in ctx.captured_queries]
