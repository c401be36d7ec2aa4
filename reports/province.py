"""Reads of the province (issue 12.3–12.4): every ward's KPIs from their snapshots, the wards
ranked per KPI against the targets, the due reports not finalized, and the numbers of the
consolidated province report frozen from the wards' finalized reports.

Nothing here reads a child, household or case: the province sees aggregates only. Each read
filters by ward explicitly and costs a constant number of queries whatever the number of
wards."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from dongnguyen.models import Ward

from . import catalogue, kpis
from .catalogue import LT_PREVIOUS
from .models import LOCKED_STATUSES, KpiSnapshot, Report
from .periods import Period

# The SVG chart (400 wide): ward names on the left, bars from BAR_LEFT, the value on the right.
BAR_LEFT, BAR_WIDTH = 140, 210


@dataclass
class WardValue:
    ward: Ward
    value: kpis.KpiValue | None  # None: the ward has no snapshot of the period


@dataclass
class ProvinceKpi:
    kpi: catalogue.Kpi
    total: kpis.KpiValue
    ranked: list[WardValue] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.kpi.code

    @property
    def bar_max(self) -> Decimal:
        """The chart's full width: the largest value shown (at least the target, at least 1)."""
        values = [wv.value.value for wv in self.ranked if wv.value and wv.value.value is not None]
        if self.kpi.target is not None and self.kpi.comparator != LT_PREVIOUS:
            values.append(self.kpi.target)
        return max([Decimal(1), *values])

    def bars(self) -> list[dict]:
        """One bar per ward for the server-drawn SVG chart (widths in % of the chart)."""
        top = self.bar_max
        out = []
        for i, wv in enumerate(self.ranked):
            v = wv.value.value if wv.value else None
            out.append(
                {
                    "y": i * 22,
                    "ward": wv.ward,
                    "value": v,
                    "status": wv.value.status if wv.value else "none",
                    "width": round(float(v / top) * BAR_WIDTH, 1) if v is not None else 0,
                }
            )
        return out

    @property
    def target_x(self) -> float | None:
        if self.kpi.target is None or self.kpi.comparator == LT_PREVIOUS:
            return None
        return round(BAR_LEFT + float(self.kpi.target / self.bar_max) * BAR_WIDTH, 1)

    @property
    def chart_height(self) -> int:
        return max(1, len(self.ranked)) * 22


def _value(code: str, snap: KpiSnapshot) -> kpis.KpiValue:
    kpi = catalogue.get(code)
    previous = (snap.extra or {}).get("previous")
    return kpis.KpiValue(
        code=code,
        name=kpi.name,
        unit=kpi.unit,
        comparator=kpi.comparator,
        numerator=int(snap.numerator) if snap.numerator is not None else None,
        denominator=int(snap.denominator) if snap.denominator is not None else None,
        value=snap.value,
        target=kpi.target,
        met=snap.met,
        previous=Decimal(previous) if previous is not None else None,
        extra=snap.extra or {},
    )


def _rank_key(kpi: catalogue.Kpi):
    """Best first: the highest share, the lowest rate for a KPI that must fall; wards with no
    value last; ties by ward code."""

    def key(wv: WardValue):
        v = wv.value.value if wv.value else None
        if v is None:
            return (1, Decimal(0), wv.ward.code)
        return (0, v if kpi.comparator == LT_PREVIOUS else -v, wv.ward.code)

    return key


def _ward_snapshots(p: Period, ward_ids) -> dict[int, dict[str, KpiSnapshot]]:
    out: dict[int, dict[str, KpiSnapshot]] = {}
    rows = KpiSnapshot.objects.filter(
        period_start=p.start, period_end=p.end, group__isnull=True, ward_id__in=ward_ids
    ).only("code", "ward_id", "numerator", "denominator", "value", "met", "extra", "computed_at")
    for r in rows:
        out.setdefault(r.ward_id, {})[r.code] = r
    return out


def dashboard(p: Period) -> dict:
    """Every active ward's KPIs of the period (their ward-scope snapshots), ranked per KPI,
    with the province totals. Three queries: wards, this period's snapshots, the previous
    period's (for the KPIs that must fall)."""
    wards = list(Ward.objects.active().order_by("code"))
    ids = [w.pk for w in wards]
    snaps = _ward_snapshots(p, ids)
    prev = _ward_snapshots(p.previous(), ids)
    out = []
    for kpi in catalogue.entries():
        values = [
            WardValue(
                w,
                _value(kpi.code, snaps[w.pk][kpi.code])
                if kpi.code in snaps.get(w.pk, {})
                else None,
            )
            for w in wards
        ]
        cells = [(wv.value.numerator, wv.value.denominator) for wv in values if wv.value]
        previous_cells = None
        if kpi.compares_previous:
            previous_cells = [
                (s.numerator, s.denominator)
                for w in wards
                if (s := prev.get(w.pk, {}).get(kpi.code)) is not None
            ]
        total = kpis.combine(kpi.code, cells, previous_cells)
        out.append(ProvinceKpi(kpi, total, sorted(values, key=_rank_key(kpi))))
    computed = [s.computed_at for by_code in snaps.values() for s in by_code.values()]
    return {
        "wards": wards,
        "kpis": out,
        "missing_snapshots": [w for w in wards if w.pk not in snaps],
        "computed_at": max(computed, default=None),
    }


def expected_reports(ward: Ward, year: int) -> list[tuple[str, str, date]]:
    """(kind, period code, due date) of the ward's periodic reports of `year`, on its due days."""
    due = ward.report_due_dates()
    return [
        (kind, code, date(year, *due[kind]))
        for kind, code in (("semiannual", f"{year}-H1"), ("annual", str(year)))
    ]


def reports_not_finalized(wards: list[Ward], today: date | None = None) -> list[dict]:
    """The wards' periodic reports of this year past their due day and not finalized (one
    query)."""
    today = today or timezone.localdate()
    finalized = set(
        Report.objects.filter(
            scope=Report.Scope.WARD,
            ward__in=wards,
            status__in=LOCKED_STATUSES,
            period_start__year=today.year,
        ).values_list("ward_id", "kind", "period")
    )
    out = []
    for w in wards:
        for kind, code, due_on in expected_reports(w, today.year):
            if due_on < today and (w.pk, kind, code) not in finalized:
                out.append(
                    {
                        "ward": w,
                        "kind": Report.Kind(kind).label,
                        "period": code,
                        "due_on": due_on,
                    }
                )
    return out


# ---------------------------------------------------------------------------------------------
# The consolidated province report


def _cell_numbers(cell: dict) -> tuple[int | None, int | None]:
    return cell.get("numerator"), cell.get("denominator")


def _previous_cell(kpi: catalogue.Kpi, cell: dict) -> tuple[int | None, int | None] | None:
    """A ward report's (numerator, denominator) of the previous period, as frozen in it; a
    count's previous value is its numerator. None: the report does not say."""
    if cell.get("previous_numerator") is not None:
        return cell["previous_numerator"], cell.get("previous_denominator")
    if kpi.unit == kpis.COUNT and cell.get("previous") is not None:
        return int(Decimal(cell["previous"])), None
    return None


def report_data(kind: str, p: Period) -> dict:
    """The frozen numbers of the province report of `kind` for `p`: from each active ward's
    finalized report of the same kind and period (its frozen data), a table per KPI by ward,
    the province total from the sums of numerators and denominators, and the wards that have
    not reported. Two queries (three when a ward report lacks its previous period's numbers)."""
    wards = list(Ward.objects.active().order_by("code"))
    reports = {
        r.ward_id: r
        for r in Report.objects.filter(
            scope=Report.Scope.WARD,
            ward__in=wards,
            kind=kind,
            period=p.code,
            status__in=LOCKED_STATUSES,
        )
    }
    reported = [w for w in wards if w.pk in reports]
    previous_snaps = None  # read once, only if a ward's report lacks its previous numbers
    rows = []
    for kpi in catalogue.entries():
        by_ward, previous_cells = [], [] if kpi.compares_previous else None
        for w in reported:
            cell = next(
                (k for k in reports[w.pk].data.get("kpis", []) if k["code"] == kpi.code), None
            )
            if cell is None:
                continue
            met = cell.get("met")
            if kpi.compares_previous:
                prev = _previous_cell(kpi, cell)
                if prev is None:
                    if previous_snaps is None:
                        previous_snaps = _ward_snapshots(p.previous(), [x.pk for x in reported])
                    snap = previous_snaps.get(w.pk, {}).get(kpi.code)
                    prev = None if snap is None else (snap.numerator, snap.denominator)
                if previous_cells is not None:
                    previous_cells = None if prev is None else [*previous_cells, prev]
                if met is None and prev is not None:
                    met = kpis.combine(kpi.code, [_cell_numbers(cell)], [prev]).met
            by_ward.append(
                {
                    "ward": w.name,
                    "ward_code": w.code,
                    "numerator": cell.get("numerator"),
                    "denominator": cell.get("denominator"),
                    "value": cell.get("value"),
                    "previous": cell.get("previous"),
                    "met": met,
                }
            )
        cells = [(c["numerator"], c["denominator"]) for c in by_ward]
        # A KPI that must fall (K1, K11) is met when the province's value is below the
        # province's previous one, both from summed numerators and denominators: null when a
        # reporting ward's previous numbers are not known.
        total = kpis.combine(kpi.code, cells, previous_cells or None)
        rows.append(
            {
                "code": kpi.code,
                "name": str(kpi.name),
                "unit": kpi.unit,
                "target": str(kpi.target_label),
                "compares_previous": kpi.compares_previous,
                "by_ward": by_ward,
                "total": {
                    "numerator": total.numerator,
                    "denominator": total.denominator,
                    "value": None if total.value is None else str(total.value),
                    "previous": None if total.previous is None else str(total.previous),
                    "met": total.met,
                },
            }
        )
    return {
        "scope": "province",
        "period": {"code": p.code, "label": p.label, "start": str(p.start), "end": str(p.end)},
        "wards": [
            {
                "code": w.code,
                "name": w.name,
                "number": reports[w.pk].number,
                "finalized_at": reports[w.pk].finalized_at.isoformat()
                if reports[w.pk].finalized_at
                else None,
            }
            for w in reported
        ],
        "not_reported": [{"code": w.code, "name": w.name} for w in wards if w.pk not in reports],
        "kpis": rows,
    }
