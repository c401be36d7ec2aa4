"""Reporting periods: a year ("2026"), a half ("2026-H1"), a quarter ("2026-Q3") or a custom
range ("2026-01-15..2026-03-31" or "15/01/2026-31/03/2026"), both days included."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    code: str

    @property
    def label(self) -> str:
        m = re.fullmatch(r"(\d{4})(?:-(H|Q)(\d))?", self.code)
        if m:
            year, kind, n = m.groups()
            if kind == "H":
                if n == "1":
                    return _("6 tháng đầu năm %(year)s") % {"year": year}
                return _("6 tháng cuối năm %(year)s") % {"year": year}
            if kind == "Q":
                roman = ["I", "II", "III", "IV"][int(n) - 1]
                return _("Quý %(quarter)s năm %(year)s") % {"quarter": roman, "year": year}
            return _("Năm %(year)s") % {"year": year}
        if self.is_month:
            return _("Tháng %(month)s năm %(year)s") % {
                "month": self.start.month,
                "year": self.start.year,
            }
        return _("Từ %(start)s đến %(end)s") % {
            "start": f"{self.start:%d/%m/%Y}",
            "end": f"{self.end:%d/%m/%Y}",
        }

    @property
    def is_month(self) -> bool:
        """A custom range that is exactly one calendar month (an ad-hoc monthly report)."""
        return (
            ".." in self.code
            and self.start.day == 1
            and (self.start.year, self.start.month) == (self.end.year, self.end.month)
            and self.end == _month_end(self.end.year, self.end.month)
        )

    @property
    def is_range(self) -> bool:
        """Told by its dates ("từ … đến …"), not by a name such as "Quý III năm 2026"."""
        return ".." in self.code and not self.is_month

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The immediately preceding period of the same length: the previous calendar year,
        half or quarter; for a custom range, the same number of days just before it."""
        m = re.fullmatch(r"(\d{4})(?:-(H|Q)(\d))?", self.code)
        if m:
            year, kind, n = int(m.group(1)), m.group(2), int(m.group(3) or 0)
            if kind is None:
                return parse_period(str(year - 1))
            last = 2 if kind == "H" else 4
            if n == 1:
                return parse_period(f"{year - 1}-{kind}{last}")
            return parse_period(f"{year}-{kind}{n - 1}")
        end = self.start - timedelta(days=1)
        start = end - timedelta(days=self.days - 1)
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _parse_day(text: str) -> date:
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if m:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError as exc:
        raise PeriodError(_("Ngày không hợp lệ: %(text)s") % {"text": text}) from exc
    raise PeriodError(_("Ngày không hợp lệ: %(text)s") % {"text": text})


def parse_period(text: str) -> Period:
    """Parse a period code; a bad one raises PeriodError with a Vietnamese message."""
    raw = (text or "").strip().upper()
    m = re.fullmatch(r"(\d{4})(?:-(H|Q)(\d))?", raw)
    if m:
        year, kind, n = int(m.group(1)), m.group(2), int(m.group(3) or 0)
        if not 2000 <= year <= 2100:
            raise PeriodError(_("Năm không hợp lệ: %(year)s (từ 2000 đến 2100).") % {"year": year})
        if kind is None:
            return Period(date(year, 1, 1), date(year, 12, 31), str(year))
        if kind == "H" and n in (1, 2):
            first = 1 if n == 1 else 7
            return Period(date(year, first, 1), _month_end(year, first + 5), f"{year}-H{n}")
        if kind == "Q" and 1 <= n <= 4:
            first = 3 * n - 2
            return Period(date(year, first, 1), _month_end(year, first + 2), f"{year}-Q{n}")
    parts = re.split(r"\.\.|\s+-\s+|(?<=\d{4})-(?=\d{1,2}/)", text or "")
    if len(parts) == 2:
        start, end = _parse_day(parts[0]), _parse_day(parts[1])
        if start > end:
            raise PeriodError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    raise PeriodError(
        _(
            "Kỳ không hợp lệ: “%(text)s”. Dùng dạng 2026 (năm), 2026-H1 (6 tháng), 2026-Q3 (quý) "
            "hoặc 2026-01-01..2026-03-31 (khoảng ngày)."
        )
        % {"text": text}
    )


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    end = _month_end(year, month)
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


def current_periods(today: date | None = None) -> list[Period]:
    """The current year, half-year and quarter (what the nightly snapshot keeps fresh)."""
    today = today or timezone.localdate()
    half = 1 if today.month <= 6 else 2
    quarter = (today.month - 1) // 3 + 1
    return [
        parse_period(str(today.year)),
        parse_period(f"{today.year}-H{half}"),
        parse_period(f"{today.year}-Q{quarter}"),
    ]


def shift_years(day: date, years: int) -> date:
    """The same calendar day `years` later (negative: earlier); 29/02 becomes 28/02."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
