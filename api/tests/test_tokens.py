from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken, hash_key

URL = "/api/v1/children/"


def _client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_it_prints_a_token_once_and_stores_only_its_hash(officer):
    out = StringIO()
    call_command(
        "api_token", "vhxh", "--name", "điện thoại", "--days", "7", stdout=out, stderr=StringIO()
    )
    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=officer)
    assert token.name == "điện thoại"
    assert token.key_hash == hash_key(key)
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert key.startswith(token.prefix)
    assert 6 <= (token.expires_at - timezone.now()).days <= 7
    assert _client(key).get(URL).status_code == 200


def test_it_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("api_token", "khong-co", stdout=StringIO(), stderr=StringIO())


def test_it_refuses_an_expired_token(officer):
    token, key = ApiToken.issue(user=officer, name="cũ", days=1)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timezone.timedelta(seconds=1)
    )
    response = _client(key).get(URL)
    assert response.status_code == 401
    assert "hết hạn" in response.json()["detail"]


def test_it_refuses_a_revoked_token(officer):
    token, key = ApiToken.issue(user=officer, name="mất máy", days=30)
    assert _client(key).get(URL).status_code == 200
    token.revoke()
    assert _client(key).get(URL).status_code == 401


def test_it_refuses_a_token_of_a_deactivated_user(officer):
    _token, key = ApiToken.issue(user=officer, name="x", days=30)
    officer.is_active = False
    officer.save()
    assert _client(key).get(URL).status_code == 401


def test_it_refuses_no_credentials_and_a_wrong_key(officer):
    assert APIClient().get(URL).status_code in (401, 403)
    assert _client("dn_not-a-key").get(URL).status_code == 401


def test_it_throttles_per_token(officer, settings):
    settings.API_RATE_PER_HOUR = 2
    _t1, first = ApiToken.issue(user=officer, name="một", days=30)
    _t2, second = ApiToken.issue(user=officer, name="hai", days=30)
    one = _client(first)
    assert [one.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert _client(second).get(URL).status_code == 200


def test_the_browser_session_works_too(client, officer):
    client.force_login(officer)
    assert client.get(URL).status_code == 200


def test_a_user_lists_and_revokes_their_own_tokens_only(officer, leader):
    _mine, key = ApiToken.issue(user=officer, name="máy tính", days=30)
    other, _ = ApiToken.issue(user=leader, name="của lãnh đạo", days=30)
    api = _client(key)
    listed = api.get("/api/v1/tokens/").json()["results"]
    assert [t["name"] for t in listed] == ["máy tính"]
    assert "key_hash" not in listed[0]
    assert api.delete(f"/api/v1/tokens/{other.pk}/").status_code == 404
    assert api.delete(f"/api/v1/tokens/{listed[0]['id']}/").status_code == 204
    assert api.get(URL).status_code == 401
    other.refresh_from_db()
    assert other.revoked_at is None


def test_the_anonymous_body_limit_is_not_a_token_callers(api_for, officer, group_a, settings):
    """A phone syncing a long note with its token is signed in; a made-up token is not."""
    settings.ANONYMOUS_MAX_BODY_BYTES = 16 * 1024
    data = {
        "code": "HGD-01-099",
        "head_name": "Lê Văn Hộ",
        "address": "Số 1, đường 277",
        "group": group_a.pk,
        "notes": "Ghi chú dài. " * 3000,  # ~39 KB
    }
    response = api_for(officer).post("/api/v1/households/", data, format="json")
    assert response.status_code == 201, response.content[:300]
    forged = APIClient()
    forged.credentials(HTTP_AUTHORIZATION="Bearer dn_not-a-real-token")
    assert forged.post("/api/v1/households/", data, format="json").status_code == 413
    assert APIClient().post("/api/v1/households/", data, format="json").status_code == 413
