"""Working-day deadlines (Decree 56: the plan within 5 working days of receipt).

Day 1 is the first working day after the day of receipt; Saturdays, Sundays and the dates of
the Holiday table are not working days. The deadline is the end of the 5th working day.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

ASSESSMENT_HOURS = 12
PLAN_WORKING_DAYS = 5


def holiday_set(start: date, end: date) -> set[date]:
    from .models import Holiday

    return set(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def nth_working_day_after(day: date, n: int, holidays: set[date] | None = None) -> date:
    """The n-th working day after `day` (day itself not counted)."""
    if holidays is None:
        holidays = holiday_set(day, day + timedelta(days=n * 3 + 30))
    current, counted = day, 0
    while counted < n:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            counted += 1
    return current


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def assessment_deadline(received_at: datetime) -> datetime:
    return received_at + timedelta(hours=ASSESSMENT_HOURS)


def plan_deadline(received_at: datetime, holidays: set[date] | None = None) -> datetime:
    received_day = timezone.localtime(received_at).date()
    return end_of_day(nth_working_day_after(received_day, PLAN_WORKING_DAYS, holidays))
