"""Exports of the register lists, in the columns of the import templates (an exported file
imports back unchanged), and the aggregate tables finance may take."""

import datetime as dt

from django.db.models import Case, CharField, Count, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from children.filters import ChildFilter
from children.models import Child, DropoutReason, SchoolStatus, Sex
from households.filters import HouseholdFilter
from households.models import Household, PovertyStatus
from inspections.filters import BusinessFilter
from inspections.models import Business, Sector

from .columns import BUSINESS_COLUMNS, CHILD_COLUMNS, HOUSEHOLD_COLUMNS

FILTERSETS = {
    "households": HouseholdFilter,
    "children": ChildFilter,
    "businesses": BusinessFilter,
}


def filtered(kind: str, model, request):
    """The list the user is looking at: their scope, then the list page's own filters. A filter
    the user may not use (another group's code) matches nothing rather than being ignored."""
    filterset = FILTERSETS[kind](
        request.GET, queryset=model.objects.for_user(request.user), request=request
    )
    if not filterset.is_valid():
        return model.objects.none()
    return filterset.qs


def _d(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _yes(value: bool) -> str:
    return _("Có") if value else _("Không")


def _headers(columns) -> list[str]:
    return [str(c.header) for c in columns]


def household_table(qs):
    labels = dict(PovertyStatus.choices)
    rows = (
        [h.code, h.head_name, h.address, h.group.code, h.phone, str(labels[h.poverty_status])]
        for h in qs.select_related("group").order_by("code").iterator(chunk_size=2000)
    )
    return [(_("Hộ gia đình"), _headers(HOUSEHOLD_COLUMNS), rows)]


def child_table(qs):
    sexes, schools, reasons = (
        dict(Sex.choices),
        dict(SchoolStatus.choices),
        dict(DropoutReason.choices),
    )
    headers = [*_headers(CHILD_COLUMNS), _("Tổ dân phố")]

    def rows():
        # prefetch_related needs a chunk size with iterator(): one query per 2,000 children.
        for c in (
            qs.select_related("household__group")
            .prefetch_related("special_groups")
            .order_by("search_name", "birth_date", "pk")
            .iterator(chunk_size=2000)
        ):
            yield [
                c.full_name,
                str(sexes.get(c.sex, "")),
                _d(c.birth_date),
                c.household.code,
                c.national_id,
                str(schools.get(c.school_status, "")),
                c.school_name,
                _yes(c.at_risk),
                ", ".join(sorted(g.code for g in c.special_groups.all())),
                c.risk_factors,
                _d(c.dropout_date),
                str(reasons.get(c.dropout_reason, "")),
                _d(c.registered_on),
                _d(c.moved_out_on),
                c.household.group.code,
            ]

    return [(_("Trẻ em"), headers, rows())]


def business_table(qs):
    sectors = dict(Sector.choices)
    rows = (
        [
            b.code or "",
            b.name,
            b.owner_name,
            b.address,
            b.group.code,
            str(sectors.get(b.sector, "")),
            _yes(b.high_risk),
            b.employee_count,
            b.minor_employee_count,
            _yes(b.has_minor_register),
            _yes(b.active),
            b.phone,
        ]
        for b in qs.select_related("group").order_by("search_name", "pk").iterator(chunk_size=2000)
    )
    return [(_("Cơ sở SXKD"), _headers(BUSINESS_COLUMNS), rows)]


AGE_BANDS = [(0, 5, "0–5"), (6, 10, "6–10"), (11, 15, "11–15"), (16, 17, "16–17")]


def _age_band(today: dt.date):
    """Completed years today, banded in SQL: age ≥ n exactly when born on or before today
    minus n years (29/02 births count from 28/02 in common years, as the law does)."""

    def years_ago(n):
        try:
            return today.replace(year=today.year - n)
        except ValueError:
            return today.replace(year=today.year - n, day=28)

    whens = [
        When(birth_date__lte=years_ago(lo), birth_date__gt=years_ago(hi + 1), then=Value(label))
        for lo, hi, label in AGE_BANDS
    ]
    return Case(*whens, default=Value(""), output_field=CharField())


def aggregate_tables(user):
    """Counts only, never a name: children by group × age band × sex, households by group ×
    poverty status, businesses by group × sector. Finance sees the whole ward; other roles
    the part they may see."""
    from dongnguyen.roles import Role, role_of

    ward = role_of(user) == Role.FINANCE
    today = timezone.localdate()
    children = (Child.objects.all() if ward else Child.objects.for_user(user)).current(today)
    households = Household.objects.all() if ward else Household.objects.for_user(user)
    businesses = Business.objects.for_user(user)
    sexes, poverty, sectors = dict(Sex.choices), dict(PovertyStatus.choices), dict(Sector.choices)

    child_rows = [
        [r["household__group__code"], r["band"], str(sexes.get(r["sex"], "")), r["n"]]
        for r in children.annotate(band=_age_band(today))
        .exclude(band="")
        .values("household__group__code", "band", "sex")
        .annotate(n=Count("pk"))
        .order_by("household__group__code", "band", "sex")
    ]
    household_rows = [
        [r["group__code"], str(poverty.get(r["poverty_status"], "")), r["n"]]
        for r in households.values("group__code", "poverty_status")
        .annotate(n=Count("pk"))
        .order_by("group__code", "poverty_status")
    ]
    business_rows = [
        [r["group__code"], str(sectors.get(r["sector"], "")), r["n"]]
        for r in businesses.filter(active=True)
        .values("group__code", "sector")
        .annotate(n=Count("pk"))
        .order_by("group__code", "sector")
    ]
    return [
        (
            _("Trẻ em theo tổ, độ tuổi, giới"),
            [_("Tổ dân phố"), _("Độ tuổi"), _("Giới tính"), _("Số trẻ em")],
            child_rows,
        ),
        (
            _("Hộ theo tổ, diện hộ"),
            [_("Tổ dân phố"), _("Diện hộ"), _("Số hộ")],
            household_rows,
        ),
        (
            _("Cơ sở theo tổ, ngành nghề"),
            [_("Tổ dân phố"), _("Ngành nghề"), _("Số cơ sở đang hoạt động")],
            business_rows,
        ),
    ]
