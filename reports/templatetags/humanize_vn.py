"""Number formatting for report templates and PDFs, from the l10n formats (1.234.567; 95,2%)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()


def _dec(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _grouped(d: Decimal, places: int) -> str:
    # The separators of the active language's formats (dongnguyen/formats: 1.234.567,5 in
    # Vietnamese; PDFs render under "vi"). number_format cuts extra digits: round first.
    return formats.number_format(
        d.quantize(Decimal(1).scaleb(-places)), places, force_grouping=True
    )


@register.filter
def vn(value):
    d = _dec(value)
    if d is None:
        return "—"
    return _grouped(d, 0 if d == d.to_integral_value() else 1)


@register.filter
def num1(value):
    d = _dec(value)
    if d is None:
        return "—"
    return _grouped(d, 1)


@register.filter
def pct(value):
    d = _dec(value)
    return "—" if d is None else f"{num1(d)}%"


@register.filter
def permille(value):
    d = _dec(value)
    return "—" if d is None else f"{num1(d)}‰"


@register.filter
def sum_of(rows, key):
    return sum((r.get(key) or 0) for r in rows or [])


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key, {})


@register.filter
def by_unit(value, unit):
    """A KPI's value as its unit shows it: a count, a per-mille rate or a percentage."""
    if unit == "count":
        return vn(value)
    if unit == "per_mille":
        return permille(value)
    return pct(value)
