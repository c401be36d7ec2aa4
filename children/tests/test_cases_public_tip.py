"""The public tip form: no login, anonymous, spam-resistant, rate-limited, receipt only."""

import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from children.forms_cases import PublicTipForm
from children.models import IntakeReport

DESCRIPTION = "Cháu Hùng khoảng 12 tuổi làm chà nhám ở xưởng gỗ cuối ngõ 5 đường 277 cả ngày."


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _started(seconds_ago=10):
    return signing.dumps(time.time() - seconds_ago, salt=PublicTipForm.SALT)


def _post(client, **extra):
    data = {"description": DESCRIPTION, "location": "Đồng Kỵ", "started": _started(), **extra}
    return client.post(reverse("children:public_tip"), data)


def test_it_takes_an_anonymous_tip_without_login_and_shows_only_a_receipt(client, db):
    page = client.get(reverse("children:public_tip"))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    response = _post(client)
    body = response.content.decode()
    tip = IntakeReport.objects.get()
    assert response.status_code == 200
    assert tip.receipt_code in body
    assert tip.channel == "web_form" and tip.anonymous and tip.status == "new"
    assert "chà nhám" not in body and "Đồng Kỵ" not in body  # nothing of the report comes back


def test_it_keeps_the_reporters_name_when_given(client, db):
    _post(client, reporter_name="Trần Văn Bình", reporter_phone="0912 345 678")
    tip = IntakeReport.objects.get()
    assert not tip.anonymous and tip.reporter_name == "Trần Văn Bình"


def test_it_requires_csrf(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert _post(strict).status_code == 403
    assert not IntakeReport.objects.exists()


def test_it_drops_a_form_with_the_honeypot_filled(client, db):
    response = _post(client, website="http://spam.example")
    assert "Không gửi được phản ánh" in response.content.decode()
    assert not IntakeReport.objects.exists()


@pytest.mark.parametrize(
    ("started", "message"),
    [
        (lambda: _started(0), "quá nhanh"),
        (lambda: "giả-mạo", "hết hạn"),
        (lambda: _started(7 * 3600), "hết hạn"),
    ],
)
def test_it_refuses_a_form_sent_too_fast_or_with_a_bad_timestamp(client, db, started, message):
    response = _post(client, started=started())
    assert message in response.content.decode()
    assert not IntakeReport.objects.exists()


def test_it_explains_errors_in_vietnamese_and_keeps_the_text(client, db):
    response = _post(client, description="ngắn", reporter_phone="abc")
    body = response.content.decode()
    assert "Nội dung quá ngắn" in body and "Số điện thoại không hợp lệ" in body
    assert "ngắn" in body
    assert not IntakeReport.objects.exists()


def test_it_limits_tips_per_client_ip_per_hour(client, db, settings):
    settings.PUBLIC_TIP_RATE_PER_HOUR = 2
    assert _post(client).status_code == 200
    assert _post(client).status_code == 200
    limited = _post(client)
    assert limited.status_code == 429
    assert "quá nhiều phản ánh" in limited.content.decode()
    assert IntakeReport.objects.count() == 2
    other = client.post(
        reverse("children:public_tip"),
        {"description": DESCRIPTION, "started": _started()},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 200 and IntakeReport.objects.count() == 3
