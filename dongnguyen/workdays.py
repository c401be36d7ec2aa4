"""Working-day deadlines (Decree 56: the plan within 5 working days of receipt).

Day 1 is the first working day after the day of receipt; Saturdays, Sundays and the dates of
the Holiday table are not working days. The deadline is the end of the 5th working day.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

ASSESSMENT_HOURS = 12
PLAN_WORKING_DAYS = 5

# Every deadline page (task list, case list, case file) reads the holidays: a few dozen dates a
# year, changed a few times a year. They come from the cache; a saved or deleted holiday drops
# it (dongnguyen/models.py). Another web process, with the per-process cache of a deployment
# without CACHE_URL, sees the change within this many seconds.
HOLIDAYS_CACHE_KEY = "dn:holidays"
HOLIDAYS_CACHE_SECONDS = 300


def all_holidays() -> frozenset[date]:
    """Every date of the Holiday table."""
    from django.core.cache import cache

    from .models import Holiday

    days = cache.get(HOLIDAYS_CACHE_KEY)
    if days is None:
        days = frozenset(Holiday.objects.values_list("date", flat=True))
        cache.set(HOLIDAYS_CACHE_KEY, days, HOLIDAYS_CACHE_SECONDS)
    return days


def forget_holidays() -> None:
    from django.core.cache import cache

    cache.delete(HOLIDAYS_CACHE_KEY)


def holiday_set(start: date, end: date) -> set[date]:
    return {day for day in all_holidays() if start <= day <= end}


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
