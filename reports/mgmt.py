"""The management duties in the periodic report (issue 15): coordination meetings and their
actions, funding against the estimate, mobilized resources, the agencies' inputs and the good
practices shared. Counts, sums and the agencies' own texts, never a child's name; the KPIs
stay in catalogue.py."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, ExtractMonth

from coordination.models import FIGURES, AgencyInput, InputKind, Meeting, MeetingAction, Practice
from funding.models import Activity, BudgetEstimate, Donation, Donor, Source

from .periods import Period


def _ward(qs, ward_id, field="ward_id"):
    return qs if ward_id is None else qs.filter(**{field: ward_id})


def meetings(p: Period, ward_id=None) -> dict:
    """Meetings held in P by kind; actions due in P (not dropped), done, done by their due date."""
    held = _ward(Meeting.objects.filter(date__gte=p.start, date__lte=p.end), ward_id)
    by_kind = dict(held.order_by().values_list("kind").annotate(n=Count("pk")))
    actions = _ward(
        MeetingAction.objects.filter(due_on__gte=p.start, due_on__lte=p.end).exclude(
            status=MeetingAction.Status.DROPPED
        ),
        ward_id,
        "meeting__ward_id",
    )
    done = Q(status=MeetingAction.Status.DONE)
    a = actions.aggregate(
        due=Count("pk"),
        done=Count("pk", filter=done),
        on_time=Count("pk", filter=done & Q(done_on__lte=F("due_on"))),
    )
    return {
        "held": sum(by_kind.values()),
        "periodic": by_kind.get(Meeting.Kind.PERIODIC, 0),
        "adhoc": by_kind.get(Meeting.Kind.ADHOC, 0),
        "case_conference": by_kind.get(Meeting.Kind.CASE_CONFERENCE, 0),
        "actions_due": a["due"],
        "actions_done": a["done"],
        "actions_on_time": a["on_time"],
    }


def mobilized(p: Period, ward_id=None) -> list[dict]:
    """Resources mobilized in P by donor: cash, goods' value, and what supports used of them
    (in P or later). Donors are named; children are not."""
    rows = (
        _ward(Donation.objects.filter(date__gte=p.start, date__lte=p.end), ward_id)
        .order_by()
        .values("donor_id", "donor__name", "donor__kind")
        .annotate(
            n=Count("pk", distinct=True),
            cash=Coalesce(Sum("amount_vnd"), 0),
            goods=Coalesce(Sum("value_vnd"), 0),
        )
        .order_by("donor__name")
    )
    used = dict(
        _ward(Donation.objects.filter(date__gte=p.start, date__lte=p.end), ward_id)
        .order_by()
        .values_list("donor_id")
        .annotate(u=Coalesce(Sum("supports__amount_vnd"), 0))
    )
    kinds = dict(Donor.Kind.choices)
    return [
        {
            "donor": r["donor__name"],
            "kind": str(kinds.get(r["donor__kind"], "")),
            "n": r["n"],
            "cash": r["cash"],
            "goods": r["goods"],
            "total": r["cash"] + r["goods"],
            "used": used.get(r["donor_id"], 0),
        }
        for r in rows
    ]


def _plain(value):
    """Report data is stored as JSON: percentages as text ("40.0")."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, Decimal) else value


def _input_row(item: AgencyInput, today) -> dict:
    return {
        "source": item.source_name,
        "kind": item.kind,
        "status": item.status_on(today),
        "status_label": str(AgencyInput.Status(item.status_on(today)).label),
        "due_on": str(item.due_on),
        "submitted": item.submitted_at is not None,
        "figures": [
            {"key": key, "label": str(label), "value": item.figures.get(key)}
            for key, label in FIGURES[item.kind]
        ],
        "results": item.results,
        "difficulties": item.difficulties,
        "proposals": item.proposals,
    }


def agency_inputs(p: Period, ward_id=None, today=None) -> dict:
    """The inputs of the health station, the police and the residential groups for exactly this
    period: each agency's figures and texts, the groups' figures summed, and who is late (not
    sent by the due date, or sent after it). One query."""
    from django.utils import timezone

    today = today or timezone.localdate()
    items = list(
        _ward(AgencyInput.objects.of_period(p.start, p.end), ward_id)
        .select_related("agency", "group")
        .order_by("kind", "group__code", "pk")
    )
    rows = [_input_row(i, today) for i in items]
    by_kind = {kind: [r for r in rows if r["kind"] == kind] for kind in InputKind.values}
    groups = [r for r in by_kind[InputKind.GROUP] if r["submitted"]]
    totals = [
        {
            "key": key,
            "label": str(label),
            "value": sum(
                r_fig["value"] or 0 for r in groups for r_fig in r["figures"] if r_fig["key"] == key
            ),
        }
        for key, label in FIGURES[InputKind.GROUP]
    ]
    late = AgencyInput.Status.LATE, AgencyInput.Status.SUBMITTED_LATE
    return {
        "expected": len(rows),
        "received": sum(1 for r in rows if r["submitted"]),
        "health": next((r for r in by_kind[InputKind.HEALTH] if r["submitted"]), None),
        "police": next((r for r in by_kind[InputKind.POLICE] if r["submitted"]), None),
        "groups": {
            "expected": len(by_kind[InputKind.GROUP]),
            "received": len(groups),
            "totals": totals,
            "items": groups,
        },
        "late": [
            {"source": r["source"], "status": r["status"]} for r in rows if r["status"] in late
        ],
        "not_received": [r["source"] for r in rows if not r["submitted"]],
        "difficulties": [
            {"source": r["source"], "text": r["difficulties"]}
            for r in rows
            if r["submitted"] and r["difficulties"]
        ],
        "proposals": [
            {"source": r["source"], "text": r["proposals"]}
            for r in rows
            if r["submitted"] and r["proposals"]
        ],
    }


def practices(p: Period, ward_id=None) -> list[dict]:
    """The good practices shared in P, cited by the report (title, who, tags)."""
    return [
        {"title": x.title, "owner": x.owner_name, "tags": x.tag_list, "shared_on": str(x.shared_on)}
        for x in _ward(
            Practice.objects.filter(shared_on__gte=p.start, shared_on__lte=p.end), ward_id
        )
        .select_related("group", "agency")
        .order_by("shared_on", "pk")
    ]


def report_section(p: Period, ward_id=None) -> dict:
    section = {
        "meetings": meetings(p, ward_id),
        "mobilized": mobilized(p, ward_id),
        "inputs": agency_inputs(p, ward_id),
        "practices": practices(p, ward_id),
    }
    if p.start.year == p.end.year:
        b = budget(p.start.year, ward_id, until=p.end)
        section["funding"] = _plain(
            {k: b[k] for k in ("lines", "estimate", "spent", "pct", "over_lines")}
        )
    return section


# ---------------------------------------------------------------------------------------------
# Funding: the yearly estimate against what was spent (plan III, IV.4)


# Where each activity line's spending is recorded: (model, amount field, source field, ward
# path). Lines with no record of their own (screening, coordination, other) show the estimate
# only.
def _cost_sources():
    from children.models import Support
    from inspections.models import Inspection
    from outreach.models import MaterialDistribution, OutreachSession, Training

    return [
        (Activity.AWARENESS, OutreachSession.objects.all(), "cost_vnd", "cost_source", "ward_id"),
        # Leaflets, posters, banners and broadcasts paid for apart from a session.
        (
            Activity.AWARENESS,
            MaterialDistribution.objects.all(),
            "cost_vnd",
            "cost_source",
            "ward_id",
        ),
        (Activity.TRAINING, Training.objects.all(), "cost_vnd", "cost_source", "ward_id"),
        (
            Activity.INSPECTION,
            Inspection.objects.filter(status=Inspection.Status.DONE),
            "cost_vnd",
            "cost_source",
            "business__ward_id",
        ),
        (
            Activity.SUPPORT,
            Support.objects.all(),
            "amount_vnd",
            "funding_source",
            "ward_id",  # the child's, kept on the support (children 0025)
        ),
    ]


def spent_by_month(start, end, ward_id=None) -> dict:
    """{(activity, source, month 1–12): đồng} spent in [start, end] (one query per kind of
    record)."""
    out: dict = {}
    for activity, qs, amount, source, ward_path in _cost_sources():
        rows = (
            _ward(qs.filter(date__gte=start, date__lte=end), ward_id, ward_path)
            .order_by()
            .annotate(month=ExtractMonth("date"))
            .values("month", source)
            .annotate(total=Sum(amount))
        )
        for r in rows:
            key = (activity, r[source], r["month"])
            out[key] = out.get(key, 0) + (r["total"] or 0)
    return out


def _pct(spent, estimate):
    if not estimate:
        return None
    return (Decimal(spent) * 100 / Decimal(estimate)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def budget(year: int, ward_id=None, until=None) -> dict:
    """Estimate vs spent of a year per activity line and source, % executed, month by month,
    and the lines over their estimate. `until` cuts the year (a half-year report)."""
    start, end = date(year, 1, 1), until or date(year, 12, 31)
    estimates: dict = {}
    for e in _ward(BudgetEstimate.objects.filter(year=year), ward_id):
        estimates[(e.activity, e.source)] = e.amount_vnd
    spent = spent_by_month(start, end, ward_id)
    by_line: dict = {}
    for (activity, source, _month), amount in spent.items():
        by_line[(activity, source)] = by_line.get((activity, source), 0) + amount
    lines = []
    for activity, activity_label in Activity.choices:
        sources = []
        for source, source_label in Source.choices:
            est = estimates.get((activity, source), 0)
            sp = by_line.get((activity, source), 0)
            if est or sp:
                sources.append(
                    {
                        "source": source,
                        "source_label": str(source_label),
                        "estimate": est,
                        "spent": sp,
                        "pct": _pct(sp, est),
                        "over": sp > est,
                    }
                )
        if sources:
            est = sum(s["estimate"] for s in sources)
            sp = sum(s["spent"] for s in sources)
            lines.append(
                {
                    "activity": activity,
                    "label": str(activity_label),
                    "sources": sources,
                    "estimate": est,
                    "spent": sp,
                    "pct": _pct(sp, est),
                    "over": sp > est,
                }
            )
    by_source = []
    for source, source_label in Source.choices:
        est = sum(v for (a, s), v in estimates.items() if s == source)
        sp = sum(v for (a, s), v in by_line.items() if s == source)
        if est or sp:
            by_source.append(
                {
                    "source": source,
                    "label": str(source_label),
                    "estimate": est,
                    "spent": sp,
                    "pct": _pct(sp, est),
                    "over": sp > est,
                }
            )
    months = []
    running = 0
    for month in range(1, 13):
        amount = sum(v for (a, s, m), v in spent.items() if m == month)
        running += amount
        months.append({"month": month, "spent": amount, "cumulative": running})
    total_estimate = sum(estimates.values())
    total_spent = sum(by_line.values())
    return {
        "year": year,
        "lines": lines,
        "by_source": by_source,
        "months": months,
        "estimate": total_estimate,
        "spent": total_spent,
        "pct": _pct(total_spent, total_estimate),
        "over_lines": [
            f"{line['label']} ({s['source_label']})"
            for line in lines
            for s in line["sources"]
            if s["over"]
        ],
    }


def budget_chart(b: dict, width=640, height=220) -> dict:
    """Geometry of a server-side SVG: a bar per month (spent that month), the cumulative spent
    as a line, the year's estimate as a dashed line. Drawn by templates/reports/_budget_chart."""
    pad_left, pad_bottom, pad_top = 10, 24, 10
    inner_h = height - pad_bottom - pad_top
    top = max([b["estimate"], b["spent"], 1])
    step = (width - pad_left) / 12
    bars, points = [], []
    for i, m in enumerate(b["months"]):
        x = pad_left + i * step
        h = inner_h * m["spent"] / top
        bars.append(
            {
                "x": round(x + step * 0.15, 1),
                "y": round(pad_top + inner_h - h, 1),
                "w": round(step * 0.7, 1),
                "h": round(h, 1),
                "month": m["month"],
                "spent": m["spent"],
                "label_x": round(x + step / 2, 1),
            }
        )
        cy = pad_top + inner_h - inner_h * m["cumulative"] / top
        points.append(f"{x + step / 2:.1f},{cy:.1f}")
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "line": " ".join(points),
        "estimate_y": round(pad_top + inner_h - inner_h * b["estimate"] / top, 1),
        "axis_y": pad_top + inner_h,
        "label_y": height - 6,
    }
