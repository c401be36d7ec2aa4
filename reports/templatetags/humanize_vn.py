"""Vietnamese number formatting for report templates (1.234.567; 95,2%)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def _dec(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def vn(value):
    d = _dec(value)
    if d is None:
        return "—"
    text = f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.1f}"
    return text.replace(",", "§").replace(".", ",").replace("§", ".")


@register.filter
def num1(value):
    d = _dec(value)
    if d is None:
        return "—"
    return f"{d:,.1f}".replace(",", "§").replace(".", ",").replace("§", ".")


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
