"""A tip at 21:00 on Friday 24 April 2026, walked hour by hour across the weekend and the
holidays (Mon 27 April Giỗ Tổ in lieu, Thu 30 April, Fri 1 May) with the real clock moved by
time-machine: each reminder appears at its moment, once.

Working days after the day of receipt: Tue 28 (1), Wed 29 (2), Mon 4 May (3), Tue 5 May (4),
Wed 6 May (5): the plan reminder is at 07:00 on Tue 5 May, overdue from Thu 7 May 00:00."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from children.models import Case
from notifications.models import Kind, Notification
from notifications.services import run_pass
from tests.factories import CaseFactory, IntakeFactory

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.django_db
def test_a_friday_night_tip_across_a_weekend_and_holidays(staff):
    tip_at = datetime(2026, 4, 24, 21, 0, tzinfo=TZ)
    first_seen: dict[tuple[str, str, str], datetime] = {}
    with time_machine.travel(tip_at, tick=False) as traveller:
        intake = IntakeFactory()  # received_at = now
        case = CaseFactory(intake=intake, received_at=intake.received_at)
        now = tip_at
        end = datetime(2026, 5, 7, 2, 0, tzinfo=TZ)
        while now <= end:
            traveller.move_to(now)
            if now == datetime(2026, 4, 25, 10, 0, tzinfo=TZ):
                Case.objects.filter(pk=case.pk).update(status=Case.Status.ASSESSED, assessed_at=now)
            run_pass()
            for n in Notification.objects.select_related("recipient"):
                first_seen.setdefault((n.kind, n.threshold, n.recipient.username), now)
            now += timedelta(hours=1)
    assert first_seen == {
        (Kind.INTAKE_NEW, "new", "vhxh"): tip_at,
        (Kind.ASSESS_DUE, "8h", "vhxh"): datetime(2026, 4, 25, 5, 0, tzinfo=TZ),
        (Kind.ASSESS_DUE, "12h", "vhxh"): datetime(2026, 4, 25, 9, 0, tzinfo=TZ),
        (Kind.ASSESS_DUE, "12h", "lanhdao"): datetime(2026, 4, 25, 9, 0, tzinfo=TZ),
        (Kind.PLAN_DUE, "day4", "vhxh"): datetime(2026, 5, 5, 7, 0, tzinfo=TZ),
        (Kind.PLAN_DUE, "overdue", "vhxh"): datetime(2026, 5, 7, 0, 0, tzinfo=TZ),
        (Kind.PLAN_DUE, "overdue", "lanhdao"): datetime(2026, 5, 7, 0, 0, tzinfo=TZ),
    }
    assert Notification.objects.count() == len(first_seen)
    assert len(mail.outbox) == len(first_seen)
    due = Notification.objects.get(kind=Kind.PLAN_DUE, threshold="day4").due_at
    assert due.astimezone(TZ).date().isoformat() == "2026-05-06"
