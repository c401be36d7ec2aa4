"""What goes in a user's calendar: deadlines of the cases they may see, planned follow-ups and
plan actions, inspections — as codes and times only, never a name (the private iCalendar feed
leaves the app). The month page and the feed read the same `calendar_items`."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Case, CasePlanAction, FollowUp
from dongnguyen.permissions import may
from dongnguyen.workdays import assessment_deadline, holiday_set, plan_deadline
from inspections.models import Inspection

from .channels import absolute
from .reminders import FOLLOWUP_GAP_DAYS, case_code, monitored_cases

# Roles that may subscribe to a feed and see the month page (issue 13 point 5, plus leadership).


@dataclass(frozen=True)
class Item:
    uid: str
    start: date | datetime
    kind: str
    label: str
    code: str
    link: str

    @property
    def day(self) -> date:
        if isinstance(self.start, datetime):
            return timezone.localtime(self.start).date()
        return self.start

    @property
    def summary(self) -> str:
        return f"{self.label}: {self.code}"


def calendar_items(user, start: date, end: date) -> list[Item]:
    """Items dated between start and end (both included) that `user` may see."""
    if not may(user, "calendar.view"):
        return []
    items: list[Item] = []
    cases = Case.objects.for_user(user)
    holidays = holiday_set(start - timedelta(days=30), end + timedelta(days=60))
    lo = timezone.make_aware(datetime.combine(start - timedelta(days=15), datetime.min.time()))
    for case in cases.filter(
        status__in=[Case.Status.RECEIVED, Case.Status.ASSESSED], received_at__gte=lo
    ).only("pk", "status", "received_at"):
        link = reverse("children:case_detail", args=[case.pk])
        if case.status == Case.Status.RECEIVED:
            items.append(
                Item(
                    f"assess-{case.pk}",
                    assessment_deadline(case.received_at),
                    "deadline",
                    _("Hạn đánh giá ban đầu"),
                    case_code(case.pk),
                    link,
                )
            )
        items.append(
            Item(
                f"plan-{case.pk}",
                plan_deadline(case.received_at, holidays),
                "deadline",
                _("Hạn xây dựng kế hoạch"),
                case_code(case.pk),
                link,
            )
        )
    for action in CasePlanAction.objects.filter(
        case__in=cases, done_on__isnull=True, due_on__gte=start, due_on__lte=end
    ).only("pk", "case_id", "due_on"):
        items.append(
            Item(
                f"action-{action.pk}",
                action.due_on,
                "followup",
                _("Hoạt động hỗ trợ đến hạn"),
                case_code(action.case_id),
                reverse("children:case_detail", args=[action.case_id]),
            )
        )
    for case, next_due in monitored_cases(cases):
        if start <= next_due <= end:
            items.append(
                Item(
                    f"followup-due-{case.pk}-{next_due:%Y%m%d}",
                    next_due,
                    "followup",
                    _("Theo dõi định kỳ (%(days)s ngày)") % {"days": FOLLOWUP_GAP_DAYS},
                    case_code(case.pk),
                    reverse("children:case_detail", args=[case.pk]),
                )
            )
    for fu in (
        FollowUp.objects.for_user(user)
        .filter(date__gte=start, date__lte=end, case__isnull=False)
        .only("pk", "case_id", "date")
    ):
        items.append(
            Item(
                f"followup-{fu.pk}",
                fu.date,
                "followup",
                _("Đã theo dõi"),
                case_code(fu.case_id),
                reverse("children:case_detail", args=[fu.case_id]),
            )
        )
    for insp in Inspection.objects.for_user(user).exclude(status=Inspection.Status.CANCELLED):
        when = insp.date or insp.planned_on
        if when is None or not (start <= when <= end):
            continue
        items.append(
            Item(
                f"inspection-{insp.pk}",
                when,
                "inspection",
                _("Kiểm tra") if insp.date else _("Kiểm tra theo kế hoạch"),
                f"KT-{insp.pk:05d}",
                reverse("inspections:inspection_detail", args=[insp.pk]),
            )
        )
    return sorted(
        (i for i in items if start <= i.day <= end), key=lambda i: (i.day, i.summary, i.uid)
    )


def ical_feed(user, today: date | None = None) -> bytes:
    """The user's private feed: 60 days back, 180 ahead."""
    today = today or timezone.localdate()
    cal = icalendar.Calendar()
    cal.add("prodid", "-//UBND phuong//nhac viec//VI")
    cal.add("version", "2.0")
    from dongnguyen.roles import ward_of

    ward = ward_of(user)  # the feed's user's ward
    cal.add("x-wr-calname", _("Nhắc việc - phường %(ward)s") % {"ward": ward.name})
    stamp = timezone.now()
    for item in calendar_items(user, today - timedelta(days=60), today + timedelta(days=180)):
        event = icalendar.Event()
        event.add("uid", f"{item.uid}@{ward.code}.dongnguyen")
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        if isinstance(item.start, datetime):
            event.add("dtstart", item.start)
            event.add("dtend", item.start + timedelta(minutes=30))
        else:
            event.add("dtstart", item.start)
        event.add("url", absolute(item.link))
        event.add("categories", [item.kind])
        cal.add_component(event)
    return cal.to_ical()
