"""Sign-in lock-out by (username, address), plus the slower per-username limit: a stranger
guessing from elsewhere cannot lock the officer out of their own desk."""

import pytest
from django.urls import reverse

from .fixtures import PASSWORD

LOGIN = reverse("login")


def _login(client, ip, password="sai", username="vhxh", **extra):
    client.logout()
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] != LOGIN


def test_wrong_passwords_from_one_address_lock_only_that_address(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "203.0.113.66")
    locked = _login(client, "203.0.113.66", PASSWORD)
    assert locked.status_code == 429 and "tạm thời bị khóa" in locked.content.decode()
    # The officer at the ward office, another address, is not locked out.
    assert _signed_in(_login(client, "198.51.100.10", PASSWORD))


def test_the_forwarded_header_does_not_split_the_count_unless_a_proxy_is_named(
    client, officer, settings
):
    settings.TRUSTED_PROXY_IPS = []
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "203.0.113.66", HTTP_X_FORWARDED_FOR=f"10.9.0.{n}")
    locked = _login(client, "203.0.113.66", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.0.200")
    assert locked.status_code == 429


def test_behind_a_named_proxy_the_lock_out_is_per_citizen_address(client, officer, settings):
    settings.TRUSTED_PROXY_IPS = ["172.18.0.2"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "172.18.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert (
        _login(client, "172.18.0.2", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.66").status_code
        == 429
    )
    assert _signed_in(_login(client, "172.18.0.2", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.10"))


@pytest.fixture
def spread_guessing(client, officer, settings):
    """The officer signed in at the office earlier; then a stranger guesses from many
    addresses, each under the per-address limit, together over the per-username one."""
    settings.LOGIN_USERNAME_FAILURES_PER_HOUR = 6
    assert _signed_in(_login(client, "198.51.100.10", PASSWORD))
    for n in range(8):
        assert _login(client, f"203.0.113.{n + 1}").status_code in (200, 429)
    return client


def test_guessing_spread_over_many_addresses_meets_the_per_username_limit(spread_guessing):
    # From an address the account never signed in from, even the right password is refused.
    refused = _login(spread_guessing, "192.0.2.50", PASSWORD)
    assert refused.status_code == 429 and "tạm thời bị khóa" in refused.content.decode()


def test_the_officer_still_signs_in_from_their_usual_address(spread_guessing):
    assert _signed_in(_login(spread_guessing, "198.51.100.10", PASSWORD))


def test_the_per_username_limit_is_per_username(spread_guessing, personas):
    other = personas["leadership"].username
    assert _signed_in(_login(spread_guessing, "192.0.2.50", PASSWORD, username=other))


def test_a_few_mistakes_from_several_addresses_lock_no_one(client, officer, settings):
    settings.LOGIN_USERNAME_FAILURES_PER_HOUR = 6
    for n in range(4):
        _login(client, f"203.0.113.{n + 1}")
    assert _signed_in(_login(client, "192.0.2.50", PASSWORD))
