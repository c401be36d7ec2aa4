import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dongnguyen.roles import Role

from .fixtures import PASSWORD


def test_it_creates_one_django_group_per_role(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_it_keeps_the_role_group_in_step_with_the_profile(officer):
    from dongnguyen.services import user_set_role

    assert list(officer.groups.values_list("name", flat=True)) == ["case_officer"]
    user_set_role(user=officer, role=Role.LEADERSHIP)
    assert list(officer.groups.values_list("name", flat=True)) == ["leadership"]


def test_it_shows_the_login_page_in_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_it_sends_anonymous_users_to_the_login_page(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_logs_in_and_out(client, officer):
    response = client.post(reverse("login"), {"username": "vhxh", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_it_rejects_a_wrong_password_with_a_vietnamese_message(client, officer):
    response = client.post(reverse("login"), {"username": "vhxh", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_it_locks_the_account_after_repeated_failures(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "vhxh", "password": "sai"})
    # Even the right password is refused now from this address (other addresses:
    # tests/test_login_limits.py).
    response = client.post(reverse("login"), {"username": "vhxh", "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_it_changes_the_password(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2026!",
            "new_password2": "Mat-khau-moi-2026!",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Mat-khau-moi-2026!")


@pytest.mark.parametrize("path", ["/khong-ton-tai/"])
def test_it_shows_a_vietnamese_404(client, officer, path):
    client.force_login(officer)
    response = client.get(path)
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_it_shows_vietnamese_names_in_their_own_order(db):
    from dongnguyen.services import user_create

    user = user_create(
        username="ha",
        password="x-Long-pass-2026",
        full_name="Trần Thị Thu Hà",
        role=Role.CASE_OFFICER,
    )
    from dongnguyen.text import person_name

    assert (user.last_name, user.first_name) == ("Trần Thị Thu", "Hà")  # Họ, Tên
    assert person_name(user) == "Trần Thị Thu Hà"
