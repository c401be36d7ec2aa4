"""Who the awareness work has reached in a year, per residential group (plan 143 targets:
every group holds 1–2 sessions a year, >95% of caregivers reached, 100% of businesses
informed). Every function costs a constant number of queries whatever the number of groups:
counts come from one GROUP BY per measure."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from children.models import Child
from households.models import Household, ResidentialGroup
from inspections.models import Business, Commitment, Inspection

from .models import OutreachSession

CHILD_AGE = 16


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _under_16_on(on: date) -> Q:
    try:
        limit = on.replace(year=on.year - CHILD_AGE)
    except ValueError:  # 29 February
        limit = on.replace(year=on.year - CHILD_AGE, day=28)
    return Q(birth_date__gt=limit)


def households_with_children(on: date | None = None):
    """Households with at least one current child under 16 (on `on`, default today)."""
    from django.utils import timezone

    on = on or timezone.localdate()
    children = Child.objects.current(on).filter(
        _under_16_on(on), household_id=OuterRef("pk"), registered_on__lte=on
    )
    return Household.objects.filter(Exists(children))


def _household_reached(start: date, end: date):
    through = OutreachSession.households_reached.through
    return Exists(
        through.objects.filter(
            household_id=OuterRef("pk"),
            outreachsession__date__gte=start,
            outreachsession__date__lte=end,
        )
    )


def _business_reached(start: date, end: date) -> Q:
    """Reached by a session, by legal dissemination during an inspection, or by signing a
    commitment in the period (KPI K9)."""
    through = OutreachSession.businesses_reached.through
    return (
        Q(
            Exists(
                through.objects.filter(
                    business_id=OuterRef("pk"),
                    outreachsession__date__gte=start,
                    outreachsession__date__lte=end,
                )
            )
        )
        | Q(
            Exists(
                Inspection.objects.filter(
                    business_id=OuterRef("pk"),
                    legal_dissemination=True,
                    date__gte=start,
                    date__lte=end,
                )
            )
        )
        | Q(
            Exists(
                Commitment.objects.filter(
                    business_id=OuterRef("pk"), signed_on__gte=start, signed_on__lte=end
                )
            )
        )
    )


def households_not_reached(year: int, on: date | None = None):
    start, end = year_bounds(year)
    return households_with_children(on or min(end, _today())).exclude(
        _household_reached(start, end)
    )


def businesses_not_reached(year: int):
    start, end = year_bounds(year)
    return Business.objects.active().exclude(_business_reached(start, end))


def _today():
    from django.utils import timezone

    return timezone.localdate()


@dataclass
class GroupCoverage:
    group: ResidentialGroup
    sessions: int = 0
    households_with_children: int = 0
    households_not_reached: int = 0
    businesses: int = 0
    businesses_not_reached: int = 0

    @property
    def sessions_met(self) -> bool:
        return self.sessions >= 1

    @property
    def households_reached_pct(self) -> float | None:
        if not self.households_with_children:
            return None
        reached = self.households_with_children - self.households_not_reached
        return round(100 * reached / self.households_with_children, 1)


def coverage_by_group(groups, year: int) -> list[GroupCoverage]:
    """One row per group: 4 queries in all (groups, sessions, households, businesses)."""
    start, end = year_bounds(year)
    rows = {g.pk: GroupCoverage(group=g) for g in groups}
    ids = list(rows)
    sessions = (
        OutreachSession.objects.filter(group_id__in=ids, date__gte=start, date__lte=end)
        .values("group_id")
        .annotate(n=Count("pk"))
    )
    for r in sessions:
        rows[r["group_id"]].sessions = r["n"]
    on = min(end, _today())
    households = (
        households_with_children(on)
        .filter(group_id__in=ids)
        .values("group_id")
        .annotate(total=Count("pk"), missing=Count("pk", filter=~_household_reached(start, end)))
    )
    for r in households:
        rows[r["group_id"]].households_with_children = r["total"]
        rows[r["group_id"]].households_not_reached = r["missing"]
    businesses = (
        Business.objects.active()
        .filter(group_id__in=ids)
        .values("group_id")
        .annotate(total=Count("pk"), missing=Count("pk", filter=~_business_reached(start, end)))
    )
    for r in businesses:
        rows[r["group_id"]].businesses = r["total"]
        rows[r["group_id"]].businesses_not_reached = r["missing"]
    return list(rows.values())


def materials_by_kind(start, end, distributions=None, sessions=None) -> list[dict]:
    """Materials given out in [start, end] by kind: the distributions recorded, plus the
    leaflets, posters and booklets typed on the sessions of the period. Two queries."""
    from django.db.models import Sum

    from .models import MaterialDistribution, MaterialKind, OutreachSession

    distributions = distributions if distributions is not None else MaterialDistribution.objects
    sessions = sessions if sessions is not None else OutreachSession.objects
    totals = dict.fromkeys(MaterialKind.values, 0)
    for r in (
        distributions.in_period(start, end).order_by().values("kind").annotate(n=Sum("quantity"))
    ):
        totals[r["kind"]] += r["n"] or 0
    typed = sessions.in_period(start, end).aggregate(
        leaflet=Sum("leaflets"), poster=Sum("posters"), qa_booklet=Sum("booklets")
    )
    for kind, n in typed.items():
        totals[kind] += n or 0
    return [
        {"kind": kind, "label": str(label), "quantity": totals[kind]}
        for kind, label in MaterialKind.choices
    ]
