"""The user's API tokens page: make one (its key shown once), use it, revoke it."""

from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken


def test_a_user_makes_sees_once_uses_and_revokes_a_token(client, ctv_a):
    client.force_login(ctv_a)
    home = client.get(reverse("home"))
    assert reverse("api_tokens:list").encode() in home.content  # in the user menu
    created = client.post(reverse("api_tokens:list"), {"name": "Điện thoại", "days": 30})
    assert created.status_code == 302
    page = client.get(reverse("api_tokens:list"))
    key = page.context["new_key"]
    assert key.startswith("dn_") and key.encode() in page.content
    assert page["Cache-Control"] == "private, no-store"
    # Shown once: the next visit lists the token, never its key.
    again = client.get(reverse("api_tokens:list"))
    assert again.context["new_key"] is None and key.encode() not in again.content
    token = ApiToken.objects.get(user=ctv_a)
    assert (token.name, token.prefix) == ("Điện thoại", key[:9])
    assert token.prefix.encode() in again.content
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/groups/").status_code == 200
    client.post(reverse("api_tokens:revoke"), {"token": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/api/v1/groups/").status_code == 401


def test_the_form_keeps_what_was_typed_and_says_why(client, officer):
    client.force_login(officer)
    response = client.post(reverse("api_tokens:list"), {"name": "Máy chủ tỉnh", "days": 999})
    assert response.status_code == 200
    assert response.context["form"].errors == {"days": ["Số ngày hiệu lực từ 1 đến 365."]}
    assert "Máy chủ tỉnh".encode() in response.content
    assert not ApiToken.objects.exists()


def test_another_users_token_cannot_be_revoked_or_seen(client, officer, ctv_a):
    token, _key = ApiToken.issue(user=ctv_a, name="của CTV", days=5)
    client.force_login(officer)
    assert "của CTV".encode() not in client.get(reverse("api_tokens:list")).content
    assert client.post(reverse("api_tokens:revoke"), {"token": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_admin_revokes_anyones_token(admin_client, ctv_a):
    token, _key = ApiToken.issue(user=ctv_a, name="của CTV", days=5)
    response = admin_client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_token_list_is_one_query_whatever_the_number_of_tokens(
    client, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    for n in range(3):
        ApiToken.issue(user=officer, name=f"mã {n}", days=5)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("api_tokens:list"))
    for n in range(20):
        ApiToken.issue(user=officer, name=f"mã thêm {n}", days=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("api_tokens:list"))
