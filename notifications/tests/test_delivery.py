"""Delivery through a real SMTP server (aiosmtpd, started here on a free port), the SMS/Zalo
backend, the privacy scan of every message, the 07:00 digest, and concurrent passes."""

import socket
import threading
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection

from notifications.models import Delivery, Kind, Notification, Preference
from notifications.services import run_pass

from .conftest import NOW, SECRETS, RecordingBackend

MESSAGES = Path(django_settings.BASE_DIR) / "templates" / "notifications" / "messages"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(
            {
                "to": envelope.rcpt_tos,
                "subject": str(msg["subject"]),
                "body": msg.get_body(("plain",)).get_content(),
            }
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def _expected():
    """kind → threshold → usernames, for the every_kind ward at NOW."""
    return {
        Kind.INTAKE_NEW: {"new": {"vhxh", "lanhdao"}},
        Kind.ASSESS_DUE: {"12h": {"vhxh", "lanhdao"}},
        Kind.PLAN_DUE: {"overdue": {"vhxh", "lanhdao"}},
        Kind.APPROVAL_WAITING: {"lanhdao"},
        Kind.REFERRAL_UNANSWERED: {"5wd": {"yte", "vhxh"}},
        Kind.FOLLOWUP_MISSING: {"vhxh"},
        Kind.FOLLOWUP_TOMORROW: {"2026-06-11": {"doanthe", "vhxh"}},
        Kind.VIOLATION_OVERDUE: {"overdue": {"congan"}},
        Kind.REPORT_DUE: {"10d": {"vhxh", "lanhdao"}},
        Kind.ASSIGNED: {"case": {"vhxh"}, "referral": {"yte"}},
        Kind.MEETING_ACTION_DUE: {"due": {"vhxh"}},
        Kind.AGENCY_INPUT_DUE: {"3d:2026-06-13": {"yte"}},
    }


def _got():
    out = {}
    for n in Notification.objects.select_related("recipient"):
        out.setdefault(n.kind, {}).setdefault(n.threshold, set()).add(n.recipient.username)
    return out


@pytest.mark.django_db
def test_each_event_reaches_the_right_people_once_by_real_smtp(smtp, every_kind):
    first = run_pass(NOW)
    assert run_pass(NOW) == {"recorded": 0, "sent": 0, "digests": 0}
    assert run_pass(NOW + timedelta(minutes=15))["sent"] == 0
    got = _got()
    for kind, want in _expected().items():
        if isinstance(want, set):  # thresholds that are dates or times
            assert set().union(*got[kind].values()) == want, kind
            assert len(got[kind]) == 1, kind
        else:
            assert got[kind] == want, kind
    assert set(got) == set(Kind.values)
    total = Notification.objects.count()
    assert first["recorded"] == total and first["sent"] == total
    assert len(smtp.messages) == total
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == total
    to_police = [m for m in smtp.messages if m["to"] == ["congan@dongnguyen.example"]]
    assert len(to_police) == 1 and "VP-" in to_police[0]["subject"]
    assert "http://127.0.0.1:8000/kiem-tra/vi-pham/" in to_police[0]["body"]


@pytest.mark.django_db
def test_no_message_leaving_the_app_names_a_child_caregiver_or_reporter(smtp, every_kind, settings):
    """Every message template is rendered (each kind occurs) by email and SMS and Zalo, and
    scanned for the ward's secrets."""
    settings.NOTIFICATIONS_SMS_BACKEND = "notifications.tests.conftest.RecordingBackend"
    settings.NOTIFICATIONS_ZALO_BACKEND = "notifications.tests.conftest.RecordingBackend"
    RecordingBackend.sent.clear()
    from dongnguyen.models import Profile

    Profile.objects.update(phone="0900000001")
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.all():
        for kind in Kind.values:
            Preference.objects.create(user=user, kind=kind, email=True, sms=True, zalo=True)
    run_pass(NOW)
    kinds = set(Notification.objects.values_list("kind", flat=True))
    templates = {p.stem for p in MESSAGES.glob("*.txt")}
    assert kinds == templates == set(Kind.values)
    texts = [m["subject"] + "\n" + m["body"] for m in smtp.messages]
    texts += [text for _channel, _phone, text in RecordingBackend.sent]
    assert len(smtp.messages) == Notification.objects.count()
    assert {c for c, _p, _t in RecordingBackend.sent} == {"sms", "zalo"}
    for text in texts:
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), (secret, text)
    # What they do carry: a code and a link.
    assert all("http://127.0.0.1:8000/" in t for t in texts)


@pytest.mark.django_db
def test_a_digest_goes_out_once_at_7(staff, settings):
    from datetime import datetime

    from tests.factories import CaseFactory

    from .conftest import TZ

    officer = staff["officer"]
    for kind in Kind.values:
        Preference.objects.create(user=officer, kind=kind, email=True, digest=True)
    day = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
    CaseFactory(received_at=day - timedelta(hours=13))
    CaseFactory(received_at=day - timedelta(hours=9))
    run_pass(day)
    to_officer = lambda: [m for m in mail.outbox if m.to == [officer.email]]  # noqa: E731
    assert to_officer() == []  # leadership got the escalation at once, the officer waits
    assert len([m for m in mail.outbox if m.to == ["lanhdao@dongnguyen.example"]]) == 1
    run_pass(day.replace(day=11, hour=6, minute=59))
    assert to_officer() == []
    result = run_pass(day.replace(day=11, hour=7, minute=0))
    assert result["digests"] == 1
    run_pass(day.replace(day=11, hour=7, minute=15))
    [digest] = to_officer()
    assert "Bản tin nhắc việc" in digest.subject
    # 8 h and 12 h of the first case, 8 h of the second, recorded on the 10th.
    assert digest.body.count("HS-") == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_nothing_twice(every_kind, staff):
    """Two passes race on PostgreSQL: the unique key and the claim decide; each notification
    is written once and each email sent once."""
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            run_pass(NOW)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    total = Notification.objects.count()
    assert total == sum(
        len(v) if isinstance(v, set) else sum(len(x) for x in v.values())
        for v in _expected().values()
    )
    assert len(mail.outbox) == total
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Notification.objects.values_list("recipient__email", flat=True)
    )
    assert Delivery.objects.filter(status=Delivery.Status.SENT, attempts=1).count() == total


@pytest.mark.django_db
def test_an_idle_pass_costs_the_same_queries_whatever_the_number_of_events(every_kind):
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ViolationFactory

    def idle_queries() -> int:
        run_pass(NOW)  # records and sends what is new
        with CaptureQueriesContext(connection) as ctx:
            assert run_pass(NOW)["recorded"] == 0
        return len(ctx.captured_queries)

    few = idle_queries()
    ViolationFactory.create_batch(6, detected_on=date(2026, 5, 1))
    assert idle_queries() == few


def test_an_email_provider_through_anymail_gets_every_message(every_kind, settings):
    """EMAIL_BACKEND=anymail.backends.<provider>.EmailBackend: the same messages go out through
    the provider's API backend (anymail's test backend stands in for the provider here)."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.ANYMAIL = {"TEST_SEND_DEFAULTS": {"tags": ["dongnguyen"]}}
    sent = run_pass(NOW)["sent"]
    emails = [m for m in mail.outbox if hasattr(m, "anymail_test_params")]
    assert sent == Notification.objects.count() and emails
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == sent
    assert all(m.anymail_status.status == {"sent"} for m in emails)
    assert all(m.anymail_test_params["tags"] == ["dongnguyen"] for m in emails)
