"""Cell parsers: each turns one cell into a value or raises RowError with a Vietnamese reason."""

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.text import normalize_name
from dongnguyen.validators import normalize_vn_phone

from .readers import cell_text


class RowError(Exception):
    pass


_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TRUE = {"co", "x", "1", "true", "yes", "dung"}
_FALSE = {"khong", "0", "false", "no", "sai", ""}


def parse_date(
    value, column: str, *, required=False, not_future=False, today: dt.date | None = None
) -> dt.date | None:
    """A date cell. `today` (the check's day, read once per file: timezone.localdate() is not
    cheap for every cell of a long file) bounds a `not_future` date; default the current day."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    else:
        text = cell_text(value)
        if not text:
            if required:
                raise RowError(_("thiếu %(col)s") % {"col": column})
            return None
        m = _DATE.match(text)
        iso = _ISO.match(text)
        try:
            if m:
                parsed = dt.date(int(m[3]), int(m[2]), int(m[1]))
            elif iso:
                parsed = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
            else:
                raise ValueError
        except ValueError as exc:
            raise RowError(
                _("%(col)s “%(v)s” không phải ngày hợp lệ (ghi theo dạng dd/mm/yyyy)")
                % {"col": column, "v": text}
            ) from exc
    if not_future and parsed > (today or timezone.localdate()):
        raise RowError(
            _("%(col)s %(v)s ở tương lai") % {"col": column, "v": parsed.strftime("%d/%m/%Y")}
        )
    return parsed


def parse_bool(value, column: str, default=False) -> bool:
    text = normalize_name(cell_text(value))
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError(
        _("%(col)s “%(v)s” không hợp lệ (ghi “Có” hoặc “Không”)")
        % {"col": column, "v": cell_text(value)}
    )


def parse_int(value, column: str) -> int:
    text = cell_text(value).replace(".", "").replace(" ", "")
    if not text:
        return 0
    if not text.isdigit():
        raise RowError(
            _("%(col)s “%(v)s” phải là số nguyên không âm") % {"col": column, "v": cell_text(value)}
        )
    return int(text)


def choice_lookup(choices, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Normalized label → stored value, so “Hộ nghèo”, “hộ nghèo” and “Ho ngheo” all match."""
    table = {normalize_name(str(label)): value for value, label in choices}
    for alias, value in (aliases or {}).items():
        table[normalize_name(alias)] = value
    return table


def parse_choice(value, column: str, table: dict[str, str], labels, default=None) -> str:
    text = cell_text(value)
    if not text:
        if default is None:
            raise RowError(_("thiếu %(col)s") % {"col": column})
        return default
    try:
        return table[normalize_name(text)]
    except KeyError:
        raise RowError(
            _("%(col)s “%(v)s” không hợp lệ (chọn một trong: %(labels)s)")
            % {"col": column, "v": text, "labels": ", ".join(str(label) for label in labels)}
        ) from None


def parse_text(value, column: str, *, required=False, max_length=255) -> str:
    text = cell_text(value)
    if required and not text:
        raise RowError(_("thiếu %(col)s") % {"col": column})
    if len(text) > max_length:
        raise RowError(_("%(col)s dài quá %(n)s ký tự") % {"col": column, "n": max_length})
    return text


def parse_phone(value, column: str) -> str:
    """As the forms store it (the model's validator judges the number)."""
    text = cell_text(value)
    # A phone number typed into a number cell loses its leading 0.
    if isinstance(value, int | float) and len(text) == 9:
        text = "0" + text
    return normalize_vn_phone(parse_text(text, column, max_length=20))


def parse_national_id(value) -> str:
    """The ID with its zeros back (the model checks its 12 digits)."""
    text = cell_text(value)
    # Excel drops the leading zeros of an ID typed into a number cell (province codes 001…).
    if isinstance(value, int | float) and text.isdigit() and len(text) < 12:
        text = text.zfill(12)
    return text


def parse_name(value, column: str) -> str:
    """A person's name with its spaces tidied, as the forms do (the model judges the name)."""
    return " ".join(parse_text(value, column, required=True, max_length=120).split())
