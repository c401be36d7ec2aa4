"""Optional two-factor sign-in with a TOTP app (issue 11 point 5; dongnguyen/two_factor.py).

Enrol (QR code and secret, confirmed by a code), sign in with the password then the code,
wrong codes count towards the same lock-out as wrong passwords, disable with a code, the admin
resets a device, and OTP_REQUIRED_ROLES makes it mandatory for some roles.
"""

import base64
import re
import time

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .fixtures import PASSWORD

LOGIN = reverse("login")
CODE = reverse("login_code")
TWO_FACTOR = reverse("two_factor")
DISABLE = reverse("two_factor_disable")


def code_of(device) -> str:
    """The code the user's phone shows now."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code(device) -> str:
    right = code_of(device)
    return "000000" if right != "000000" else "111111"


@pytest.fixture
def device(officer):
    return TOTPDevice.objects.create(user=officer, name="Điện thoại", confirmed=True)


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp's own back-off (1 s, 2 s, 4 s… after each wrong code) would make a test wait;
    # one test below checks it.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _password(client, ip="198.51.100.10", password=PASSWORD, username="vhxh", next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def _code(client, code, ip="198.51.100.10"):
    return client.post(CODE, {"code": code}, REMOTE_ADDR=ip)


def _signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


# ---------------------------------------------------------------------------------- enrolment
def test_a_user_enrols_with_the_qr_code_and_a_first_code(client, officer):
    client.force_login(officer)
    page = client.get(TWO_FACTOR)
    html = page.content.decode()
    assert page.status_code == 200 and "Xác thực hai bước" in html
    assert 'src="data:image/svg+xml;base64,' in html
    pending = TOTPDevice.objects.get(user=officer)
    assert not pending.confirmed
    # The secret to type by hand is the device's key in base32.
    secret = page.context["secret"].replace(" ", "")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == pending.bin_key
    assert "otpauth://totp/" in pending.config_url and "Ph%C6%B0%E1%BB%9Dng" in pending.config_url

    wrong = client.post(TWO_FACTOR, {"code": wrong_code(pending)})
    assert "Mã xác thực không đúng hoặc đã hết hạn." in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=pending.pk).confirmed
    # Reloading the page keeps the same secret (the app may already hold it).
    assert client.get(TWO_FACTOR).context["secret"] == page.context["secret"]

    done = client.post(TWO_FACTOR, {"code": code_of(pending)}, follow=True)
    assert "Đã bật xác thực hai bước" in done.content.decode()
    assert TOTPDevice.objects.get(user=officer).confirmed
    assert "Đang bật" in client.get(TWO_FACTOR).content.decode()


def test_a_code_must_be_six_digits(client, officer):
    client.force_login(officer)
    client.get(TWO_FACTOR)
    response = client.post(TWO_FACTOR, {"code": "12ab"})
    assert "Mã xác thực gồm đúng 6 chữ số." in response.content.decode()


# ---------------------------------------------------------------------------------- sign-in
def test_the_password_alone_does_not_sign_in_a_user_with_a_device(client, officer, device):
    response = _password(client)
    assert response.status_code == 302 and response["Location"] == CODE
    assert not _signed_in(client)
    page = client.get(CODE)
    assert "Nhập mã xác thực" in page.content.decode()


def test_the_right_code_signs_in_and_goes_on_to_the_page_asked_for(client, officer, device):
    _password(client, next_url=reverse("children:list"))
    response = _code(client, code_of(device))
    assert response.status_code == 302 and response["Location"] == reverse("children:list")
    assert _signed_in(client)
    assert client.session["otp_device_id"] == device.persistent_id
    # The code step is over: the pending sign-in is gone.
    assert "dn_2fa_pending" not in client.session


def test_a_wrong_code_does_not_sign_in(client, officer, device):
    _password(client)
    response = _code(client, wrong_code(device))
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert not _signed_in(client)
    # Counted as a failed sign-in of the (username, address) pair.
    assert AccessAttempt.objects.get(username="vhxh").failures_since_start == 1


def test_a_code_works_once(client, officer, device):
    code = code_of(device)
    _password(client)
    _code(client, code)
    client.logout()
    _password(client)
    assert "Mã xác thực không đúng" in _code(client, code).content.decode()


def test_the_code_step_without_the_password_step_goes_back_to_sign_in(client, officer, device):
    response = _code(client, code_of(device))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not _signed_in(client)


def test_the_password_step_expires_after_a_few_minutes(client, officer, device):
    _password(client)
    with time_machine.travel(time.time() + 6 * 60):
        response = _code(client, code_of(device))
    assert response["Location"] == LOGIN
    assert not _signed_in(client)


def test_wrong_codes_lock_out_like_wrong_passwords(client, officer, device, settings):
    _password(client, ip="203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _code(client, wrong_code(device), ip="203.0.113.66").status_code == 200
    locked = _code(client, wrong_code(device), ip="203.0.113.66")
    assert locked.status_code == 429 and "tạm thời bị khóa" in locked.content.decode()
    # Locked: neither the right code nor the password is accepted from that address…
    assert _code(client, code_of(device), ip="203.0.113.66").status_code == 429
    assert not _signed_in(client)
    client.logout()
    assert _password(client, ip="203.0.113.66").status_code == 429
    # …while the officer at the ward office signs in as usual.
    client.logout()
    assert _password(client, ip="198.51.100.10")["Location"] == CODE
    _code(client, code_of(device), ip="198.51.100.10")
    assert _signed_in(client)


def test_wrong_codes_from_many_addresses_meet_the_per_username_limit(
    client, officer, device, settings
):
    settings.LOGIN_USERNAME_FAILURES_PER_HOUR = 4
    for n in range(5):
        client.logout()
        _password(client, ip=f"203.0.113.{n + 1}")
        _code(client, wrong_code(device), ip=f"203.0.113.{n + 1}")
    client.logout()
    # The wrong codes counted towards the username's limit: from an address it never signed
    # in from, even the right password is now refused.
    assert _password(client, ip="192.0.2.50").status_code == 429


def test_a_pending_code_step_is_refused_once_the_username_is_over_its_limit(
    client, officer, device, settings
):
    settings.LOGIN_USERNAME_FAILURES_PER_HOUR = 3
    _password(client, ip="192.0.2.50")  # passed the password, now guesses the code elsewhere
    from django.test import Client

    for n in range(4):
        other = Client()
        _password(other, ip=f"203.0.113.{n + 1}")
        _code(other, wrong_code(device), ip=f"203.0.113.{n + 1}")
    refused = _code(client, code_of(device), ip="192.0.2.50")
    assert refused.status_code == 429
    assert not _signed_in(client)


def test_django_otp_slows_down_quick_retries(client, officer, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    _password(client)
    _code(client, wrong_code(device))
    retry = _code(client, code_of(device))
    assert "Vui lòng chờ vài giây rồi nhập lại mã." in retry.content.decode()
    assert not _signed_in(client)


def test_users_without_a_device_sign_in_with_the_password_alone(client, officer):
    response = _password(client)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert _signed_in(client)


def test_the_admin_login_page_leads_to_the_sites_sign_in(client, db):
    response = client.get(reverse("admin:login"), {"next": "/quan-tri/"})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN) and "next=/quan-tri/" in response["Location"]


# ---------------------------------------------------------------------------------- disable, reset
def _signed_in_with_code(client, device):
    _password(client)
    _code(client, code_of(device))
    assert _signed_in(client)


def test_a_user_disables_it_with_a_current_code(client, officer, device):
    with time_machine.travel(time.time(), tick=False) as traveller:
        _signed_in_with_code(client, device)
        traveller.shift(60)  # a code of the next steps: each code works once
        refused = client.post(DISABLE, {"code": wrong_code(device)})
        assert refused.status_code == 400 and "không đúng" in refused.content.decode()
        assert TOTPDevice.objects.filter(user=officer).exists()
        done = client.post(DISABLE, {"code": code_of(device)}, follow=True)
    assert "Đã tắt xác thực hai bước." in done.content.decode()
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    assert _signed_in(client)  # this session stays signed in
    client.logout()
    assert _password(client)["Location"] == reverse("home")


def test_the_admin_resets_a_users_device(client, admin_client, officer, device):
    _signed_in_with_code(client, device)
    changelist = reverse("admin:auth_user_changelist")
    response = admin_client.post(
        changelist, {"action": "reset_two_factor", "_selected_action": [officer.pk]}, follow=True
    )
    assert "Đã đặt lại xác thực hai bước cho 1 người dùng." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    # The session that the lost device verified is signed out; the password alone now works.
    assert client.get(reverse("home"))["Location"].startswith(LOGIN)
    assert _password(client)["Location"] == reverse("home")


def test_the_user_list_of_the_admin_shows_who_has_it(admin_client, officer, leader, device):
    response = admin_client.get(reverse("admin:auth_user_changelist"))
    html = response.content.decode()
    assert "Xác thực hai bước" in html
    rows = {r.username: r._two_factor for r in response.context["cl"].result_list}
    assert rows["vhxh"] is True and rows["lanhdao"] is False


# ---------------------------------------------------------------------------------- mandatory
@pytest.fixture
def mandatory(settings):
    settings.OTP_REQUIRED_ROLES = ["leadership", "case_officer"]


def test_a_mandatory_role_without_a_device_is_sent_to_enrol_first(client, officer, mandatory):
    _password(client)
    response = client.get(reverse("children:list"))
    assert response.status_code == 302
    assert response["Location"] == TWO_FACTOR + "?next=%2Ftre-em%2F"
    assert client.post(reverse("children:create"), {})["Location"] == TWO_FACTOR
    page = client.get(TWO_FACTOR)
    assert "bắt buộc dùng xác thực hai bước" in page.content.decode()
    pending = TOTPDevice.objects.get(user=officer)
    done = client.post(TWO_FACTOR, {"code": code_of(pending), "next": "/tre-em/"})
    assert done["Location"] == "/tre-em/"
    assert client.get(reverse("children:list")).status_code == 200


def test_other_roles_are_not_asked(client, health, mandatory):
    client.force_login(health)
    assert client.get(reverse("children:list")).status_code == 200


def test_a_mandatory_role_with_a_device_signs_in_with_the_code(client, officer, device, mandatory):
    _signed_in_with_code(client, device)
    assert client.get(reverse("children:list")).status_code == 200


def test_a_session_without_the_code_is_signed_out_in_a_mandatory_role(
    client, officer, device, mandatory
):
    client.force_login(officer)  # e.g. signed in before the device was enrolled
    assert client.get(reverse("children:list"))["Location"].startswith(LOGIN)
    assert not _signed_in(client)


def test_a_role_that_does_not_exist_stops_start_up(settings):
    from dongnguyen.apps import _check_otp_required_roles

    settings.OTP_REQUIRED_ROLES = ["case_officer", "lanh_dao"]
    with pytest.raises(ImproperlyConfigured, match="lanh_dao"):
        _check_otp_required_roles()
    settings.OTP_REQUIRED_ROLES = ["leadership", "case_officer"]
    _check_otp_required_roles()


def test_the_demo_settings_ask_no_one():
    from django.conf import settings

    assert settings.OTP_REQUIRED_ROLES == []


def test_the_account_menu_links_to_the_page(client, officer):
    client.force_login(officer)
    assert re.search(rf'href="{TWO_FACTOR}"', client.get(reverse("home")).content.decode())
