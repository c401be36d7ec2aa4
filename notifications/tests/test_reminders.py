"""Each event of issue 13 reaches the right people, once (the pass is run twice everywhere)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from children.models import Case, CaseEvent, CasePlanAction, IntakeReport, Referral
from dongnguyen.models import Agency
from notifications.models import Delivery, Kind, Notification
from notifications.services import retry_deliveries, run_pass
from reports.models import Report
from tests.factories import (
    CaseFactory,
    ChildFactory,
    FollowUpFactory,
    IntakeFactory,
    SupportFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


def got(kind, **filters) -> dict[str, set[str]]:
    """threshold → usernames of the notifications of `kind`."""
    out: dict[str, set[str]] = {}
    for n in Notification.objects.filter(kind=kind, **filters).select_related("recipient"):
        out.setdefault(n.threshold, set()).add(n.recipient.username)
    return out


def twice(now):
    first = run_pass(now)
    second = run_pass(now)
    assert second["recorded"] == 0 and second["sent"] == 0
    return first


def test_it_announces_a_new_intake_to_officers_and_an_emergency_to_leadership(staff):
    now = at(2026, 3, 10, 9, 0)
    plain = IntakeFactory(received_at=now - timedelta(minutes=5))
    urgent = IntakeFactory(received_at=now - timedelta(minutes=5))
    CaseFactory(intake=urgent, emergency=True, received_at=urgent.received_at)
    twice(now)
    assert got(Kind.INTAKE_NEW, object_id=str(plain.pk)) == {"new": {"vhxh"}}
    assert got(Kind.INTAKE_NEW, object_id=str(urgent.pk)) == {"new": {"vhxh", "lanhdao"}}
    # Email by default, one per notification, none the second time.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lanhdao@dongnguyen.example",
        "vhxh@dongnguyen.example",
        "vhxh@dongnguyen.example",
    ]


def test_it_reminds_at_8_hours_and_escalates_at_12_hours(staff):
    received = at(2026, 3, 10, 9, 0)
    case = CaseFactory(received_at=received, assigned_to=staff["officer"])
    run_pass(received + timedelta(hours=7, minutes=59))
    assert got(Kind.ASSESS_DUE) == {}
    twice(received + timedelta(hours=8))
    assert got(Kind.ASSESS_DUE) == {"8h": {"vhxh"}}
    twice(received + timedelta(hours=12))
    assert got(Kind.ASSESS_DUE) == {"8h": {"vhxh"}, "12h": {"vhxh", "lanhdao"}}
    assert Notification.objects.get(kind=Kind.ASSESS_DUE, recipient=staff["leader"]).escalated
    case.status = Case.Status.ASSESSED
    case.save()
    assert run_pass(received + timedelta(hours=13))["recorded"] == 0


def test_it_skips_the_8_hour_reminder_when_12_hours_have_passed(staff):
    received = at(2026, 3, 10, 9, 0)
    intake = IntakeFactory(received_at=received, status=IntakeReport.Status.NEW)
    twice(received + timedelta(hours=20))
    assert got(Kind.ASSESS_DUE, object_id=str(intake.pk)) == {"12h": {"vhxh", "lanhdao"}}


def test_it_reminds_on_the_4th_working_day_and_escalates_an_overdue_plan(staff):
    # Received Tuesday 10 March 2026: working days 11, 12, 13, 16 (4th), 17 (5th).
    case = CaseFactory(received_at=at(2026, 3, 10, 9, 0), status=Case.Status.ASSESSED)
    run_pass(at(2026, 3, 16, 6, 59))
    assert got(Kind.PLAN_DUE) == {}
    twice(at(2026, 3, 16, 7, 0))
    assert got(Kind.PLAN_DUE) == {"day4": {"vhxh"}}
    twice(at(2026, 3, 17, 23, 59))
    assert "overdue" not in got(Kind.PLAN_DUE)
    twice(at(2026, 3, 18, 0, 0))
    assert got(Kind.PLAN_DUE)["overdue"] == {"vhxh", "lanhdao"}
    n = Notification.objects.get(
        kind=Kind.PLAN_DUE, threshold="overdue", recipient__username="vhxh"
    )
    assert n.due_at == at(2026, 3, 17, 23, 59, 59, 999999)
    assert n.link == f"/tre-em/ho-so/{case.pk}/"


def test_it_tells_leadership_of_a_plan_waiting_more_than_a_working_day(staff):
    CaseFactory(
        received_at=at(2026, 3, 2, 9, 0),
        status=Case.Status.PLAN_DRAFTED,
        plan_drafted_at=at(2026, 3, 6, 16, 0),  # a Friday: due end of Monday 9 March
    )
    run_pass(at(2026, 3, 9, 23, 0))
    assert got(Kind.APPROVAL_WAITING) == {}
    twice(at(2026, 3, 10, 0, 5))
    assert list(got(Kind.APPROVAL_WAITING).values()) == [{"lanhdao"}]


def test_it_chases_a_referral_unanswered_for_5_working_days(staff):
    child = ChildFactory()
    case = CaseFactory(child=child, assigned_to=staff["officer"], status=Case.Status.IN_PROGRESS)
    yte = Agency.objects.get(code="yte")
    referral = Referral.objects.create(
        child=child, case=case, agency=yte, referred_on=date(2026, 3, 2)
    )
    acted = Referral.objects.create(
        child=ChildFactory(),
        agency=Agency.objects.get(code="hoiphunu"),
        referred_on=date(2026, 3, 2),
    )
    SupportFactory(child=acted.child, provider=acted.agency, date=date(2026, 3, 4))
    run_pass(at(2026, 3, 9, 20, 0))  # 5th working day: 9 March
    assert got(Kind.REFERRAL_UNANSWERED) == {}
    twice(at(2026, 3, 10, 7, 0))
    assert got(Kind.REFERRAL_UNANSWERED) == {"5wd": {"yte", "vhxh"}}
    assert (
        Notification.objects.filter(
            kind=Kind.REFERRAL_UNANSWERED, object_id=str(referral.pk)
        ).count()
        == 2
    )


def test_it_reminds_of_a_follow_up_due_tomorrow_then_missing(staff):
    case = CaseFactory(status=Case.Status.MONITORING, received_at=at(2026, 1, 5, 9, 0))
    CaseEvent.objects.create(case=case, to_status=Case.Status.MONITORING, at=at(2026, 1, 20, 9, 0))
    FollowUpFactory(child=case.child, case=case, date=date(2026, 2, 1))
    # Next follow-up due 3 March (30 days after 1 February).
    twice(at(2026, 3, 2, 8, 0))
    assert got(Kind.FOLLOWUP_TOMORROW) == {"2026-03-03": {"vhxh"}}
    run_pass(at(2026, 3, 3, 22, 0))
    assert got(Kind.FOLLOWUP_MISSING) == {}
    twice(at(2026, 3, 4, 0, 0))
    assert got(Kind.FOLLOWUP_MISSING) == {"2026-03-03": {"vhxh"}}


def test_it_reminds_the_agency_of_a_plan_action_due_tomorrow(staff):
    case = CaseFactory(status=Case.Status.IN_PROGRESS, assigned_to=staff["officer"])
    action = CasePlanAction.objects.create(
        case=case,
        action="Khám sức khỏe",
        agency=Agency.objects.get(code="yte"),
        due_on=date(2026, 3, 11),
    )
    twice(at(2026, 3, 10, 7, 0))
    assert got(Kind.FOLLOWUP_TOMORROW, object_id=str(action.pk)) == {"2026-03-11": {"yte", "vhxh"}}


def test_it_tells_the_police_of_an_overdue_violation(staff):
    violation = ViolationFactory(detected_on=date(2026, 2, 1))
    ViolationFactory(detected_on=date(2026, 2, 1), status="remediated")
    twice(at(2026, 3, 10, 7, 0))
    assert got(Kind.VIOLATION_OVERDUE) == {"overdue": {"congan"}}
    assert Notification.objects.get(kind=Kind.VIOLATION_OVERDUE).code == f"VP-{violation.pk:05d}"


def test_it_reminds_of_a_report_due_in_10_days_unless_finalized(staff):
    run_pass(at(2026, 6, 9, 7, 0))
    assert got(Kind.REPORT_DUE) == {}
    twice(at(2026, 6, 10, 7, 0))  # due 20 June
    assert got(Kind.REPORT_DUE) == {"10d": {"vhxh", "lanhdao"}}
    Report.objects.create(
        kind="annual",
        period="2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        status=Report.Status.FINALIZED,
    )
    run_pass(at(2026, 12, 12, 7, 0))
    assert Notification.objects.filter(kind=Kind.REPORT_DUE).count() == 2


def test_it_tells_me_of_a_case_assigned_and_a_child_referred_to_my_agency(staff):
    case = CaseFactory(assigned_to=staff["officer"], status=Case.Status.ASSESSED)
    Referral.objects.create(
        child=case.child,
        case=case,
        agency=Agency.objects.get(code="hoiphunu"),
        referred_on=date(2026, 3, 9),
    )
    twice(at(2026, 3, 10, 7, 0))
    assert got(Kind.ASSIGNED) == {"case": {"vhxh"}, "referral": {"doanthe"}}


def test_a_failed_send_is_retried_and_then_given_up(staff, settings):
    settings.EMAIL_BACKEND = "notifications.tests.test_reminders.BrokenBackend"
    IntakeFactory(received_at=at(2026, 3, 10, 8, 55))
    now = at(2026, 3, 10, 9, 0)
    run_pass(now)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 1
    assert "SMTP down" in delivery.error
    run_pass(now + timedelta(minutes=1))  # not yet due for a retry
    assert Delivery.objects.get().attempts == 1
    for minutes in (5, 15, 35, 75):
        run_pass(now + timedelta(minutes=minutes))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.GAVE_UP and delivery.attempts == 5
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry_deliveries(Delivery.objects.all(), now=now + timedelta(hours=3))
    run_pass(now + timedelta(hours=3))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and len(mail.outbox) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")


def test_a_write_queues_one_pass_soon_when_a_worker_is_there(monkeypatch, officer):
    from django.core.cache import cache

    from notifications import tasks

    calls = []
    monkeypatch.setattr(tasks.send_reminders.app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks.send_reminders, "apply_async", lambda **kw: calls.append(kw))
    cache.delete(tasks.QUEUED_KEY)
    tasks.on_records_changed(labels={"children.Child"})
    assert calls == []
    tasks.on_records_changed(labels={"children.IntakeReport"})
    tasks.on_records_changed(labels={"children.Case"})
    assert calls == [{"countdown": tasks.DEBOUNCE, "retry": False}]
    cache.delete(tasks.QUEUED_KEY)


def test_send_reminders_is_one_pass_and_beat_runs_it_every_15_minutes(staff, settings):
    from io import StringIO

    from django.core.management import call_command

    from dongnguyen.celery import app

    IntakeFactory()
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "recorded=1 sent=1 digests=0"
    call_command("send_reminders", stdout=out)
    assert out.getvalue().strip().endswith("recorded=0 sent=0 digests=0")
    [entry] = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "notifications.send_reminders"
    ]
    assert entry["schedule"].minute == {0, 15, 30, 45}
    assert "notifications.send_reminders" in app.tasks
