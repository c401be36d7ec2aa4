"""The public tip form under abuse: shared counters, once-only tokens, the client address,
body size, floods from one address; and the citizen's status look-up by receipt code."""

import os
import time
import uuid

import pytest
from django.core import signing
from django.core.cache import caches
from django.test import RequestFactory
from django.urls import reverse

from children import services
from children.forms_cases import PublicTipForm
from children.models import IntakeReport
from dongnguyen.limits import address_key, client_ip

DESCRIPTION = "Cháu Hùng khoảng 12 tuổi làm chà nhám ở xưởng gỗ cuối ngõ 5 đường 277 cả ngày."
TIP = reverse("children:public_tip")
STATUS = reverse("children:public_tip_status")


def _started(seconds_ago=10):
    return signing.dumps([time.time() - seconds_ago, uuid.uuid4().hex], salt=PublicTipForm.SALT)


def _post(client, ip="127.0.0.1", started=None, **extra):
    data = {"description": DESCRIPTION, "started": started or _started()}
    return client.post(TIP, data, REMOTE_ADDR=ip, **extra)


def _redis_url():
    return os.environ.get("CELERY_BROKER_URL", "")


def _limits_cache(kind):
    if kind == "db":
        return None  # the settings' own fallback: the database cache
    if kind == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    # A fresh prefix per test: nothing to clear, and the broker's keys are never touched.
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _redis_url(),
        "KEY_PREFIX": f"test-limits-{uuid.uuid4().hex}",
    }


@pytest.fixture(
    params=["db", "locmem", pytest.param("redis", marks=pytest.mark.redis)],
)
def limits_backend(request, settings):
    config = _limits_cache(request.param)
    if config is not None:
        settings.CACHES = {**settings.CACHES, "limits": config}
    if request.param == "locmem":
        caches["limits"].clear()
    yield request.param
    if request.param == "locmem":
        caches["limits"].clear()


def test_the_limits_cache_is_shared_not_process_memory(settings):
    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    assert backend.endswith(("DatabaseCache", "RedisCache"))


# --- one flood, three cache backends ------------------------------------------------------


def test_a_flood_from_one_address_never_closes_the_form_for_others(
    client, db, settings, limits_backend
):
    settings.PUBLIC_TIP_RATE_PER_HOUR = 3
    settings.PUBLIC_TIP_GLOBAL_PER_HOUR = 10
    answers = [_post(client, ip="203.0.113.7").status_code for _ in range(25)]
    assert answers[:3] == [200, 200, 200]
    assert set(answers[3:]) == {429}
    assert IntakeReport.objects.count() == 3
    # The 22 refused posts did not count towards the ward-wide ceiling.
    for n in range(5):
        assert _post(client, ip=f"198.51.100.{n + 1}").status_code == 200
    assert IntakeReport.objects.count() == 8


def test_the_global_ceiling_closes_the_form_only_when_many_addresses_post(
    client, db, settings, limits_backend
):
    settings.PUBLIC_TIP_RATE_PER_HOUR = 5
    settings.PUBLIC_TIP_GLOBAL_PER_HOUR = 3
    for n in range(3):
        assert _post(client, ip=f"198.51.100.{n + 1}").status_code == 200
    refused = _post(client, ip="198.51.100.99")
    assert refused.status_code == 429
    assert "quá nhiều phản ánh cùng lúc" in refused.content.decode()
    assert IntakeReport.objects.count() == 3


def test_a_form_token_works_once(client, db, limits_backend, monkeypatch):
    started = _started()
    assert _post(client, started=started).status_code == 200
    replay = _post(client, started=started)
    assert "đã được gửi rồi" in replay.content.decode()
    assert IntakeReport.objects.count() == 1
    # The refused page carries a fresh token, which works (once a person would have typed).
    fresh = replay.context["form"].data["started"]
    assert fresh != started
    monkeypatch.setattr(PublicTipForm, "MIN_SECONDS", 0)
    assert _post(client, started=fresh).status_code == 200
    assert IntakeReport.objects.count() == 2


@pytest.mark.redis
def test_the_redis_counters_are_in_redis_where_every_worker_sees_them(client, db, settings):
    import redis

    prefix = f"test-limits-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "limits": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url(),
            "KEY_PREFIX": prefix,
        },
    }
    settings.PUBLIC_TIP_RATE_PER_HOUR = 1
    assert _post(client, ip="203.0.113.8").status_code == 200
    # The count is in Redis, not in this process: every gunicorn worker reads the same one.
    raw = redis.Redis.from_url(_redis_url())
    assert raw.keys(f"{prefix}:*")
    assert _post(client, ip="203.0.113.8").status_code == 429


# --- the client address ----------------------------------------------------------------------


def _request(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote, **extra)


def test_the_forwarded_header_is_ignored_unless_a_proxy_is_named(settings):
    settings.TRUSTED_PROXY_IPS = []
    assert client_ip(_request("10.0.0.5", "1.2.3.4")) == "10.0.0.5"
    settings.TRUSTED_PROXY_IPS = ["172.16.0.0/12"]
    # Not from the named proxy: the header is anyone's to forge.
    assert client_ip(_request("10.0.0.5", "1.2.3.4")) == "10.0.0.5"
    assert client_ip(_request("172.18.0.2", "1.2.3.4")) == "1.2.3.4"
    # A client that sends its own header through the proxy gets its real address, the one the
    # proxy appended, not the one it chose.
    assert client_ip(_request("172.18.0.2", "6.6.6.6, 1.2.3.4")) == "1.2.3.4"
    # A chain of trusted proxies is skipped; garbage stops the walk.
    assert client_ip(_request("172.18.0.2", "1.2.3.4, 172.18.0.3")) == "1.2.3.4"
    assert client_ip(_request("172.18.0.2", "not-an-ip")) == "172.18.0.2"


def test_one_ipv6_client_is_counted_by_its_network():
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9")
    assert address_key("203.0.113.1") == "203.0.113.1"


def test_a_forged_header_does_not_escape_the_per_address_limit(client, db, settings):
    settings.PUBLIC_TIP_RATE_PER_HOUR = 2
    answers = [
        _post(client, ip="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}").status_code
        for n in range(4)
    ]
    assert answers == [200, 200, 429, 429]


def test_behind_a_named_proxy_citizens_are_counted_apart(client, db, settings):
    settings.TRUSTED_PROXY_IPS = ["172.18.0.2"]
    settings.PUBLIC_TIP_RATE_PER_HOUR = 1
    for n in range(4):
        response = _post(client, ip="172.18.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}")
        assert response.status_code == 200
    assert _post(client, ip="172.18.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429


# --- body size -------------------------------------------------------------------------------


def test_a_big_anonymous_body_is_refused_before_it_is_parsed(client, db, settings):
    settings.ANONYMOUS_MAX_BODY_BYTES = 16 * 1024
    big = {"description": DESCRIPTION + "x" * 40_000, "started": _started()}
    response = client.post(TIP, big)
    assert response.status_code == 413
    assert "Nội dung gửi quá lớn" in response.content.decode()
    assert not IntakeReport.objects.exists()
    # A multipart upload nobody asked for: refused on its declared length alone.
    from django.core.files.uploadedfile import SimpleUploadedFile

    blob = SimpleUploadedFile("x.bin", b"\0" * 200_000)
    assert client.post(TIP, {"file": blob, "started": _started()}).status_code == 413
    # Normal tips are well under the limit.
    assert _post(client).status_code == 200


def test_the_body_limit_is_for_anonymous_clients_only(client, officer, settings):
    settings.ANONYMOUS_MAX_BODY_BYTES = 16 * 1024
    client.force_login(officer)
    response = client.post(reverse("children:intake_create"), {"description": "x" * 40_000})
    assert response.status_code != 413


def test_the_global_upload_limit_is_sensible(settings):
    assert 1024 * 1024 <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.ANONYMOUS_MAX_BODY_BYTES <= 256 * 1024


# --- status look-up --------------------------------------------------------------------------


def _tip():
    return services.public_tip_submit(
        description=DESCRIPTION,
        location="Đồng Kỵ",
        reporter_name="Trần Văn Bình",
        reporter_phone="0912345678",
    )


@pytest.mark.parametrize(
    ("status", "label", "others"),
    [
        ("new", "Đã tiếp nhận", ["Đang xác minh", "Đã xử lý"]),
        ("verifying", "Đang xác minh", ["Đã tiếp nhận", "Đã xử lý"]),
        ("case_opened", "Đã xử lý", ["Đã tiếp nhận", "Đang xác minh", "Đã mở hồ sơ"]),
        ("unfounded", "Đã xử lý", ["Không có cơ sở"]),
        ("duplicate", "Đã xử lý", ["Trùng"]),
    ],
)
def test_the_status_look_up_shows_the_status_and_nothing_else(client, db, status, label, others):
    tip = _tip()
    IntakeReport.objects.filter(pk=tip.pk).update(status=status, triage_note="Bí mật nội bộ")
    response = client.post(STATUS, {"code": tip.receipt_code})
    body = response.content.decode()
    assert response.status_code == 200
    assert label in body and tip.receipt_code in body
    for word in others:
        assert word not in body
    for secret in ("chà nhám", "Đồng Kỵ", "Trần Văn Bình", "0912345678", "Bí mật nội bộ"):
        assert secret not in body


def test_the_status_look_up_forgives_case_and_the_missing_prefix(client, db):
    tip = _tip()
    bare = tip.receipt_code.removeprefix("PA-").lower()
    assert "Đã tiếp nhận" in client.post(STATUS, {"code": f" {bare} "}).content.decode()


def test_an_unknown_code_is_not_found(client, db):
    _tip()
    body = client.post(STATUS, {"code": "PA-ZZZZZZZZ"}).content.decode()
    assert "Không tìm thấy phản ánh có mã này" in body
    assert "Đã tiếp nhận" not in body


def test_the_status_page_opens_without_login_and_counts_nothing_on_get(client, db, settings):
    settings.PUBLIC_STATUS_RATE_PER_HOUR = 1
    for _ in range(3):
        assert client.get(STATUS).status_code == 200
    assert client.post(STATUS, {"code": "PA-ZZZZZZZZ"}).status_code == 200


def test_status_look_ups_are_rate_limited_per_address(client, db, settings, limits_backend):
    settings.PUBLIC_STATUS_RATE_PER_HOUR = 3
    tip = _tip()
    answers = [
        client.post(STATUS, {"code": f"PA-GUESS{n:03d}"}, REMOTE_ADDR="203.0.113.5").status_code
        for n in range(5)
    ]
    assert answers == [200, 200, 200, 429, 429]
    limited = client.post(STATUS, {"code": tip.receipt_code}, REMOTE_ADDR="203.0.113.5")
    assert limited.status_code == 429 and "quá nhiều lượt tra cứu" in limited.content.decode()
    other = client.post(STATUS, {"code": tip.receipt_code}, REMOTE_ADDR="198.51.100.5")
    assert other.status_code == 200 and "Đã tiếp nhận" in other.content.decode()


def test_the_receipt_page_links_to_the_look_up(client, db):
    body = _post(client).content.decode()
    assert STATUS in body


def test_the_database_fallback_does_not_cull_used_tokens_under_a_flood(settings):
    options = settings.CACHES["limits"].get("OPTIONS", {})
    if settings.CACHES["limits"]["BACKEND"].endswith("DatabaseCache"):
        assert options.get("MAX_ENTRIES", 300) >= 100_000


def test_a_request_without_an_address_has_an_empty_one(settings):
    from django.http import HttpRequest

    assert client_ip(HttpRequest()) == ""
    assert address_key("") == "unknown"
