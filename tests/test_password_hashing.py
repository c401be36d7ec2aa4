"""Production password hashing: Argon2id sized for a 2-core server; a hash made with Django's
default PBKDF2 still signs in and is upgraded on the way (dongnguyen/hashers.py)."""

import time

from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.urls import reverse

from .fixtures import PASSWORD


def test_new_passwords_are_hashed_with_argon2id_at_the_stated_cost(settings):
    settings.PASSWORD_HASHERS = django_settings.PRODUCTION_PASSWORD_HASHERS
    encoded = make_password("mật-khẩu-Thử-2026")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    started = time.perf_counter()
    assert check_password("mật-khẩu-Thử-2026", encoded)
    argon2 = time.perf_counter() - started
    old = make_password("mật-khẩu-Thử-2026", hasher="pbkdf2_sha256")
    started = time.perf_counter()
    assert check_password("mật-khẩu-Thử-2026", old)
    pbkdf2 = time.perf_counter() - started
    # A sign-in costs a small part of Django's default (about 1/30 measured; 1/5 leaves room
    # for a busy machine).
    assert argon2 < pbkdf2 / 5


def test_an_old_pbkdf2_hash_signs_in_and_is_upgraded(settings, client, officer):
    settings.PASSWORD_HASHERS = django_settings.PRODUCTION_PASSWORD_HASHERS
    officer.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    officer.save(update_fields=["password"])
    response = client.post(reverse("login"), {"username": "vhxh", "password": PASSWORD})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "vhxh", "password": PASSWORD})
    assert response.status_code == 302


def test_an_argon2_hash_at_other_parameters_is_rehashed_at_the_stated_cost(
    settings, client, officer
):
    # Django's own Argon2 parameters (or this project's before a change of cost) still sign in,
    # and the hash is remade with dongnguyen/hashers.py's.
    settings.PASSWORD_HASHERS = django_settings.PRODUCTION_PASSWORD_HASHERS
    django_argon2 = Argon2PasswordHasher()
    officer.password = django_argon2.encode(PASSWORD, django_argon2.salt())
    assert not officer.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    officer.save(update_fields=["password"])
    response = client.post(reverse("login"), {"username": "vhxh", "password": PASSWORD})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
