"""Reads for dashboards, reports and drill-downs. Aggregates only, grouped in SQL: a constant
number of queries whatever the number of rows or groups."""

from decimal import Decimal, InvalidOperation

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from children.models import (
    Child,
    FundingSource,
    IntakeReport,
    SpecialGroup,
    Support,
    SupportKind,
)
from households.models import Household, ResidentialGroup
from inspections.catalogue import violation_type
from inspections.models import Business, Commitment, Inspection, Violation
from outreach.coverage import materials_by_kind
from outreach.models import Channel, MaterialDistribution, OutreachSession

from . import catalogue, conditions
from .models import KpiSnapshot
from .periods import Period

AGE_BANDS = [
    (0, 5, _("0–5 tuổi")),
    (6, 10, _("6–10 tuổi")),
    (11, 14, _("11–14 tuổi")),
    (15, 15, _("15 tuổi")),
]


def _label(choices, value):
    return str(dict(choices).get(value, value or "—"))


def _violation_label(code: str) -> str:
    entry = violation_type(code)
    return entry.label if entry else code


def _in(ward, path: str) -> dict:
    """The filter keeping one ward's rows (`path`: the row's ward); none without a ward."""
    return {path: ward.pk} if ward is not None else {}


def supports_by_kind_and_source(p: Period, ward=None) -> list[dict]:
    """Support spending by kind × funding source (no personal data: counts and sums)."""
    rows = (
        Support.objects.filter(conditions.in_period(p))
        .filter(**_in(ward, "ward"))
        .order_by()
        .values("kind", "funding_source")
        .annotate(n=Count("pk"), children=Count("child", distinct=True), amount=Sum("amount_vnd"))
    )
    table: dict = {}
    for r in rows:
        entry = table.setdefault(
            r["kind"],
            {"kind": _label(SupportKind.choices, r["kind"]), "n": 0, "children": 0, "total": 0},
        )
        entry[r["funding_source"]] = r["amount"] or 0
        entry["n"] += r["n"]
        entry["children"] += r["children"]
        entry["total"] += r["amount"] or 0
    order = [k for k, _ in SupportKind.choices]
    out = [table[k] for k in order if k in table]
    for e in out:
        for src in FundingSource.values:
            e.setdefault(src, 0)
    return out


def statistics(p: Period, ward=None) -> dict:
    """The ward's statistics tables as provincial plans show them (all aggregates)."""
    register = Child.objects.filter(conditions.child_register(p)).filter(**_in(ward, "ward"))
    band_aggs = {}
    for lo, hi, _label_text in AGE_BANDS:
        cond = conditions.aged_at_least(p, lo) & ~conditions.aged_at_least(p, hi + 1)
        for sex in ("male", "female"):
            band_aggs[f"{lo}_{sex}"] = Count("pk", filter=cond & Q(sex=sex))
    bands = register.aggregate(**band_aggs)
    age_sex = [
        {
            "band": str(label),
            "male": bands[f"{lo}_male"],
            "female": bands[f"{lo}_female"],
            "total": bands[f"{lo}_male"] + bands[f"{lo}_female"],
        }
        for lo, _hi, label in AGE_BANDS
    ]
    through = Child.special_groups.through
    special_counts = dict(
        through.objects.filter(child__in=register)
        .order_by()
        .values("specialgroup_id")
        .annotate(n=Count("child_id", distinct=True))
        .values_list("specialgroup_id", "n")
    )
    special = [
        {"code": g.code, "name": g.name, "n": special_counts.get(g.code, 0)}
        for g in SpecialGroup.objects.order_by("order")
    ]
    labour = conditions.child_in_labour(p, ward)
    by_group_rows = {
        r["grp"]: r
        for r in register.order_by()
        .values(grp=F("household__group_id"))
        .annotate(
            n_children=Count("pk"),
            n_at_risk=Count("pk", filter=Q(at_risk=True)),
            n_labour=Count("pk", filter=labour),
            n_managed=Count("pk", filter=conditions.child_managed(p, ward)),
        )
    }
    by_group = []
    for g in ResidentialGroup.objects.filter(**_in(ward, "ward")).order_by("code"):
        r = by_group_rows.get(g.pk, {})
        if not g.active and not r:
            continue
        by_group.append(
            {
                "code": g.code,
                "name": g.name,
                "children": r.get("n_children", 0),
                "at_risk": r.get("n_at_risk", 0),
                "labour": r.get("n_labour", 0),
                "managed": r.get("n_managed", 0),
            }
        )
    sessions = [
        {
            "channel": _label(Channel.choices, r["channel"]),
            "n": r["n"],
            "attendees": r["attendees"] or 0,
            "caregivers": r["caregivers"] or 0,
            "children": r["children"] or 0,
        }
        for r in OutreachSession.objects.filter(conditions.in_period(p))
        .filter(**_in(ward, "ward"))
        .order_by()
        .values("channel")
        .annotate(
            n=Count("pk"),
            attendees=Sum("attendee_count"),
            caregivers=Sum("caregiver_count"),
            children=Sum("children_count"),
        )
        .order_by("channel")
    ]
    inspections = [
        {
            "kind": _label(Inspection.Kind.choices, r["kind"]),
            "n": r["n"],
            "interdisciplinary": r["inter"],
            "dissemination": r["dissem"],
        }
        for r in Inspection.objects.filter(conditions.in_period(p))
        .filter(**_in(ward, "business__ward"))
        .order_by()
        .values("kind")
        .annotate(
            n=Count("pk"),
            inter=Count("pk", filter=Q(interdisciplinary=True)),
            dissem=Count("pk", filter=Q(legal_dissemination=True)),
        )
        .order_by("kind")
    ]
    violations = [
        {
            "code": r["code"],
            "label": _violation_label(r["code"]),
            "n": r["n"],
            "handled": r["handled"],
            "fines": r["fines"] or 0,
        }
        for r in Violation.objects.filter(conditions.in_period(p, "detected_on"))
        .filter(**_in(ward, "inspection__business__ward"))
        .order_by()
        .values("code")
        .annotate(
            n=Count("pk"),
            handled=Count("pk", filter=conditions.violation_handled(p)),
            fines=Sum("fine_vnd"),
        )
        .order_by("code")
    ]
    # Received in P: the count needs none of the deadline aliases of intake_queryset.
    intakes = IntakeReport.objects.filter(
        conditions.intake_received(p), **_in(ward, "ward")
    ).count()
    return {
        "age_sex": age_sex,
        "special": special,
        "by_group": by_group,
        "supports": supports_by_kind_and_source(p, ward),
        "sessions": sessions,
        "inspections": inspections,
        "violations": violations,
        "intakes": intakes,
        "materials": materials_by_kind(
            p.start,
            p.end,
            distributions=MaterialDistribution.objects.filter(**_in(ward, "ward")),
            sessions=OutreachSession.objects.filter(**_in(ward, "ward")),
        ),
        "commitments": _commitments(p, ward),
    }


def _commitments(p: Period, ward=None) -> dict:
    """Commitments signed in P by the ward's households and businesses (a commitment names one
    or the other)."""
    rows = Commitment.objects.filter(conditions.in_period(p, "signed_on"))
    if ward is not None:
        # The ward's households and businesses as two lists the year's commitments are looked
        # up in: joined, PostgreSQL hashed the province's 30,000 businesses (at 100×: 23 → 5
        # ms).
        rows = rows.filter(
            Q(household__in=Household.objects.filter(ward=ward.pk).values("pk"))
            | Q(business__in=Business.objects.filter(ward=ward.pk).values("pk"))
        )
    return rows.aggregate(
        households=Count("pk", filter=Q(household__isnull=False)),
        businesses=Count("pk", filter=Q(business__isnull=False)),
    )


# ---------------------------------------------------------------------------------------------
# Snapshots


_ALL = object()


def snapshots_for(p: Period, ward=None, *, scope=_ALL, groups=()) -> list[KpiSnapshot]:
    """The period's snapshots: all of them, or (scope=…) those of one scope (a group, or None
    for the ward) and of the given groups, e.g. one page of the dashboard's heat table."""
    # No group join and only what the dashboard shows: a row per KPI and group, thousands at
    # province scale, so model instances are kept as light as possible.
    qs = KpiSnapshot.objects.filter(period_start=p.start, period_end=p.end, **_in(ward, "ward"))
    if scope is not _ALL:
        wanted = Q(group__isnull=True) if scope is None else Q(group=scope)
        qs = qs.filter(wanted | Q(group__in=[g.pk for g in groups]))
    return list(
        qs.only(
            "code", "group_id", "numerator", "denominator", "value", "met", "extra", "computed_at"
        )
    )


# ---------------------------------------------------------------------------------------------
# Drill-down: the records behind a KPI's numerator and the missing ones of its denominator


def drill_queryset(code: str, part: str, p: Period, user, group=None, as_of=None):
    """(kind, queryset) of the records behind `code` — part "numerator" or "missing" (in the
    denominator, not in the numerator) — in the viewer's scope, or (None, None) when the
    catalogue entry offers no such list. `group` narrows to one residential group."""
    kpi = catalogue.get(code)
    if kpi is None or part not in kpi.drill or kpi.source.visible is None:
        return None, None
    at = catalogue.At(p, as_of or timezone.now())
    den, num = kpi.denominator(at), kpi.numerator(at)
    cond = den & num if part == catalogue.NUMERATOR else den & ~num
    qs = kpi.source.visible(at, user).filter(cond)
    if group is not None and kpi.source.group_path:
        qs = qs.filter(**{kpi.source.group_path: group.pk})
    return kpi.source.kind, qs.order_by("pk")


def off_target(p: Period) -> list[dict]:
    """The KPIs of the ward that miss their target in P, from the stored snapshots (one
    query): what the leader's home page puts first. Nothing stored, nothing claimed."""
    rows = KpiSnapshot.objects.filter(
        period_start=p.start, period_end=p.end, group__isnull=True, met=False
    ).only("code", "value", "target")
    by_code = {r.code: r for r in rows}
    out = []
    for kpi in catalogue.entries():
        row = by_code.get(kpi.code)
        if row is None:
            continue
        bar = None
        if row.value is not None and kpi.unit == catalogue.PERCENT:
            bar = max(0, min(20, round(float(row.value) / 5)))  # progress-w-0 … progress-w-20
        out.append({"kpi": kpi, "value": row.value, "target": _target_words(kpi, row), "bar": bar})
    return out


def _target_words(kpi, row) -> str:
    """The target as the catalogue words it ("≥ 100%", "Thấp hơn kỳ trước (7,3)"), not the
    snapshot's stored code ("ge 100", "lt_previous 7.3")."""
    if kpi.compares_previous:
        previous = (row.target or "").split()[1:]
        if previous:
            try:
                return f"{kpi.target_label} ({number_format(Decimal(previous[0]))})"
            except InvalidOperation:
                pass
    return kpi.target_label
