"""The early-warning rules on one pupil's monthly attendance: pure functions, so the
boundaries (2 vs 3 days, a rising trend, a poor household) are tested on plain numbers."""

from dataclasses import dataclass
from datetime import date

from .models import WarningRule

POOR = ("poor", "near_poor")


@dataclass(frozen=True)
class Month:
    month: date
    days_absent: int
    days_absent_unexcused: int


def _previous(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def triggered(rule: WarningRule, months: list[Month], month: date, poverty_status: str) -> str:
    """The rule's finding for `month` (an empty string when it does not fire). `months` are
    the pupil's records, any order; a month without a record breaks a trend."""
    by_month = {m.month: m for m in months}
    now = by_month.get(month)
    if now is None:
        return ""
    params = rule.parameters or {}
    if rule.code == WarningRule.UNEXCUSED:
        n = params.get("min_days", 3)
        if now.days_absent_unexcused >= n:
            return f"{now.days_absent_unexcused} ngày nghỉ không phép trong tháng"
    elif rule.code == WarningRule.RISING:
        n = params.get("months", 3)
        run, m = [now], month
        while len(run) < n:
            m = _previous(m)
            if m not in by_month:
                return ""
            run.append(by_month[m])
        days = [r.days_absent for r in reversed(run)]
        if all(a < b for a, b in zip(days, days[1:], strict=False)):
            return "số ngày nghỉ tăng " + " → ".join(str(d) for d in days)
    elif rule.code == WarningRule.POOR_ABSENT:
        n = params.get("min_days", 5)
        if poverty_status in POOR and now.days_absent >= n:
            return f"hộ nghèo/cận nghèo, nghỉ {now.days_absent} ngày trong tháng"
    return ""
