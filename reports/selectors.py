"""Reads for dashboards, reports and drill-downs. Aggregates only, grouped in SQL: a constant
number of queries whatever the number of rows or groups."""

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from children.models import Child, FundingSource, IntakeReport, SpecialGroup, Support, SupportKind
from households.models import Household, ResidentialGroup
from inspections.catalogue import violation_type
from inspections.models import Business, Inspection, Violation
from outreach.models import Channel, OutreachSession

from . import kpis
from .kpis import Measure
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


def supports_by_kind_and_source(p: Period) -> list[dict]:
    """Support spending by kind × funding source (no personal data: counts and sums)."""
    rows = (
        Support.objects.filter(kpis.in_period(p))
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


def statistics(p: Period) -> dict:
    """The ward's statistics tables as provincial plans show them (all aggregates)."""
    register = Child.objects.filter(kpis.child_register(p))
    band_aggs = {}
    for lo, hi, _label_text in AGE_BANDS:
        cond = kpis.aged_at_least(p, lo) & ~kpis.aged_at_least(p, hi + 1)
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
    labour = kpis.child_in_labour(p)
    by_group_rows = {
        r["grp"]: r
        for r in register.order_by()
        .values(grp=F("household__group_id"))
        .annotate(
            n_children=Count("pk"),
            n_at_risk=Count("pk", filter=Q(at_risk=True)),
            n_labour=Count("pk", filter=labour),
            n_managed=Count("pk", filter=kpis.child_managed(p)),
        )
    }
    by_group = []
    for g in ResidentialGroup.objects.order_by("code"):
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
        for r in OutreachSession.objects.filter(kpis.in_period(p))
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
        for r in Inspection.objects.filter(kpis.in_period(p))
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
        for r in Violation.objects.filter(kpis.in_period(p, "detected_on"))
        .order_by()
        .values("code")
        .annotate(
            n=Count("pk"),
            handled=Count("pk", filter=kpis.violation_measure(p).num),
            fines=Sum("fine_vnd"),
        )
        .order_by("code")
    ]
    intakes = kpis.intake_queryset(p).count()
    return {
        "age_sex": age_sex,
        "special": special,
        "by_group": by_group,
        "supports": supports_by_kind_and_source(p),
        "sessions": sessions,
        "inspections": inspections,
        "violations": violations,
        "intakes": intakes,
    }


# ---------------------------------------------------------------------------------------------
# Snapshots


def snapshots_for(p: Period) -> list[KpiSnapshot]:
    # No group join and only what the dashboard shows: a row per KPI and group, thousands at
    # province scale, so model instances are kept as light as possible.
    return list(
        KpiSnapshot.objects.filter(period_start=p.start, period_end=p.end).only(
            "code", "group_id", "numerator", "denominator", "value", "met", "extra", "computed_at"
        )
    )


# ---------------------------------------------------------------------------------------------
# Drill-down: the records behind a KPI's numerator and the missing ones of its denominator


def drill_queryset(code: str, part: str, p: Period, user, group=None, as_of=None):
    """(kind, queryset) of the records behind `code` — part "numerator" or "missing" — in the
    viewer's scope (for_user), or (None, None) when the KPI has no such list."""
    from django.utils import timezone

    measure: Measure
    if code in ("K1", "K3", "K4", "K5", "K6", "K11"):
        kind, measure = "child", kpis.child_measures(p)[code]
        qs = Child.objects.for_user(user).select_related("household__group")
        group_path = "household__group"
    elif code == "K8":
        kind, measure = "household", kpis.household_measure(p)
        qs, group_path = Household.objects.for_user(user).select_related("group"), "group"
    elif code == "K9":
        kind, measure = "business", kpis.business_measure(p)
        qs, group_path = Business.objects.for_user(user).select_related("group"), "group"
    elif code == "K10":
        kind, measure = "violation", kpis.violation_measure(p)
        qs = Violation.objects.for_user(user).select_related("inspection__business__group")
        group_path = "inspection__business__group"
    elif code == "K2":
        kind, measure = "intake", kpis.intake_measure(as_of or timezone.now())
        qs = kpis.intake_queryset(p).filter(pk__in=IntakeReport.objects.for_user(user))
        group_path = "kpi_group"
    elif code == "K7":
        kind, measure = "group", kpis.group_measure(p)
        qs, group_path = ResidentialGroup.objects.for_user(user), "pk"
    elif code == "K12":
        kind, measure = "user", kpis.staff_measure(p)
        if user.is_superuser or _is_staff_reader(user):
            qs = get_user_model().objects.select_related("profile")
        else:
            qs = get_user_model().objects.none()
        group_path = None
    else:
        return None, None
    if code in ("K1", "K11") and part == "missing":
        return None, None  # the numerator is the problem itself; nothing is "missing"
    cond = measure.num if part == "numerator" else measure.den & ~measure.num
    qs = qs.filter(cond)
    if group is not None and group_path:
        qs = qs.filter(**{group_path: group.pk if group_path == "kpi_group" else group})
    return kind, qs.order_by("pk")


def _is_staff_reader(user) -> bool:
    from dongnguyen.roles import Role, role_of

    return role_of(user) in (Role.LEADERSHIP, Role.CASE_OFFICER)
