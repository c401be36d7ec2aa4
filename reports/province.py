"""Reads of the province (issue 12.3–12.4): every ward's KPIs from their snapshots, the wards
ranked per KPI against the targets, the due reports not finalized, and the numbers of the
consolidated province report frozen from the wards' finalized reports.

Nothing here reads a child, household or case: the province sees aggregates only. Each read
filters by ward explicitly and costs a constant number of queries whatever the number of
wards."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, F, Max, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from dongnguyen.models import Ward

from . import catalogue, freshness, kpis
from .catalogue import LT_PREVIOUS
from .models import LOCKED_STATUSES, KpiSnapshot, Report
from .periods import Period

# The SVG chart (400 wide): ward names on the left, bars from BAR_LEFT, the value on the right.
BAR_LEFT, BAR_WIDTH = 140, 210


@dataclass
class WardValue:
    ward: Ward
    value: kpis.KpiValue | None  # None: the ward has no snapshot of the period


# The dashboard shows per KPI the SHOWN best and the SHOWN worst wards (a constant page whatever the
# number of wards); the KPI's own page ranks every ward.
SHOWN = 5


@dataclass
class ProvinceKpi:
    kpi: catalogue.Kpi
    total: kpis.KpiValue
    ranked: list[WardValue] = field(default_factory=list)  # the wards shown, best first
    ranks: list[int] = field(default_factory=list)  # their places in the full ranking
    valued: int = 0  # wards with a value of the period (ranked)
    wards: int = 0  # active wards

    @property
    def code(self) -> str:
        return self.kpi.code

    @property
    def hidden(self) -> int:
        """Wards ranked between the best and the worst shown (on the KPI's own page)."""
        return max(0, self.valued - len([wv for wv in self.ranked if wv.value is not None]))

    @property
    def without_value(self) -> int:
        return max(0, self.wards - self.valued)

    @property
    def bar_max(self) -> Decimal:
        """The chart's full width: the largest value shown (at least the target, at least 1)."""
        values = [wv.value.value for wv in self.ranked if wv.value and wv.value.value is not None]
        if self.kpi.target is not None and self.kpi.comparator != LT_PREVIOUS:
            values.append(self.kpi.target)
        return max([Decimal(1), *values])

    def bars(self) -> list[dict]:
        """One bar per ward shown for the server-drawn SVG chart (widths in % of the chart);
        a gap row stands for the wards ranked between the best and the worst."""
        top = self.bar_max
        out, y = [], 0
        ranks = self.ranks or list(range(1, len(self.ranked) + 1))
        previous = 0
        for rank, wv in zip(ranks, self.ranked, strict=True):
            if rank > previous + 1:
                out.append({"y": y, "gap": rank - previous - 1})
                y += 22
            previous = rank
            v = wv.value.value if wv.value else None
            out.append(
                {
                    "y": y,
                    "rank": rank,
                    "ward": wv.ward,
                    "value": v,
                    "status": wv.value.status if wv.value else "none",
                    "width": round(float(v / top) * BAR_WIDTH, 1) if v is not None else 0,
                }
            )
            y += 22
        return out

    @property
    def target_x(self) -> float | None:
        if self.kpi.target is None or self.kpi.comparator == LT_PREVIOUS:
            return None
        return round(BAR_LEFT + float(self.kpi.target / self.bar_max) * BAR_WIDTH, 1)

    @property
    def chart_height(self) -> int:
        return max(1, len(self.bars())) * 22


def _value(code: str, snap) -> kpis.KpiValue:
    """A KpiValue from a ward-scope snapshot (a KpiSnapshot or a dict of its values)."""
    get = snap.get if isinstance(snap, dict) else lambda name: getattr(snap, name)
    kpi = catalogue.get(code)
    extra = get("extra") or {}
    previous = extra.get("previous")
    numerator, denominator = get("numerator"), get("denominator")
    return kpis.KpiValue(
        code=code,
        name=kpi.name,
        unit=kpi.unit,
        comparator=kpi.comparator,
        numerator=int(numerator) if numerator is not None else None,
        denominator=int(denominator) if denominator is not None else None,
        value=get("value"),
        target=kpi.target,
        met=get("met"),
        previous=Decimal(previous) if previous is not None else None,
        extra=extra,
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


def _ward_snapshots(p: Period, ward_ids, codes=None) -> dict[int, dict[str, KpiSnapshot]]:
    out: dict[int, dict[str, KpiSnapshot]] = {}
    rows = KpiSnapshot.objects.filter(
        period_start=p.start, period_end=p.end, group__isnull=True, ward_id__in=ward_ids
    )
    if codes is not None:
        rows = rows.filter(code__in=codes)
    rows = rows.only(
        "code", "ward_id", "numerator", "denominator", "value", "met", "extra", "computed_at"
    )
    for r in rows:
        out.setdefault(r.ward_id, {})[r.code] = r
    return out


def _ward_scope(p: Period, ward_ids):
    return KpiSnapshot.objects.filter(
        period_start=p.start, period_end=p.end, group__isnull=True, ward_id__in=ward_ids
    )


def _totals(p: Period, ward_ids) -> dict[str, dict]:
    """Per KPI code: the sums of the wards' numerators and denominators of `p`, the number of
    wards with a value and the latest computation; with the previous period's sums (and its
    number of wards) for the KPIs that must fall. One query, grouped in SQL."""
    prev = p.previous()
    this = Q(period_start=p.start, period_end=p.end)
    before = Q(period_start=prev.start, period_end=prev.end)
    rows = (
        KpiSnapshot.objects.filter(group__isnull=True, ward_id__in=ward_ids)
        .filter(this | before)
        .order_by()
        .values("code")
        .annotate(
            num=Sum("numerator", filter=this),
            den=Sum("denominator", filter=this),
            n=Count("pk", filter=this),
            valued=Count("value", filter=this),
            computed_at=Max("computed_at", filter=this),
            prev_num=Sum("numerator", filter=before),
            prev_den=Sum("denominator", filter=before),
            prev_n=Count("pk", filter=before),
        )
    )
    return {r["code"]: r for r in rows}


def _shown(p: Period, ward_ids, n: int) -> list[dict]:
    """Per KPI the `n` best wards (a ward without a value last) and the `n` worst wards with a
    value (ranked as _rank_key), with their places: one query with window functions, whatever the number of wards."""
    falling = [k.code for k in catalogue.entries() if k.comparator == LT_PREVIOUS]
    key = Case(When(code__in=falling, then=F("value")), default=-F("value"))
    valued_first = Case(When(value__isnull=True, then=Value(1)), default=Value(0))
    rows = (
        _ward_scope(p, ward_ids)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("code")],
                order_by=[key.asc(nulls_last=True), F("ward__code").asc()],
            ),
            from_last=Window(
                RowNumber(),
                partition_by=[F("code")],
                order_by=[valued_first.asc(), key.desc(), F("ward__code").desc()],
            ),
        )
        .filter(Q(place__lte=n) | Q(from_last__lte=n))
        .values("code", "ward_id", "numerator", "denominator", "value", "met", "extra", "place")
    )
    return sorted(rows, key=lambda r: (r["code"], r["place"]))


def active_wards() -> list[Ward]:
    return list(Ward.objects.active().order_by("code"))


def active_ward_keys() -> list[tuple]:
    """What the province dashboard's cached parts depend on of the active wards, without
    loading them: (id, code, name, semiannual due day, annual due day), in code order."""
    return list(
        Ward.objects.active()
        .order_by("code")
        .values_list("pk", "code", "name", "report_due_semiannual", "report_due_annual")
    )


def _ward_ids(wards):
    """The wards' ids for a filter: a subquery for a queryset of wards (no list of ids to
    compile and send: 99 of them took longer than the indexed read), the ids of a list."""
    if isinstance(wards, QuerySet):
        return wards.order_by().values("pk")
    return [w.pk for w in wards]


def dashboard_snapshots(p: Period, wards) -> list:
    """The ward-scope snapshots the province dashboard of `p` reads: this period's and the
    previous period's, one queryset each (freshness.snapshot_token reads each by its index).
    `wards`: a list of wards or a queryset of them."""
    ids = _ward_ids(wards)
    return [_ward_scope(p, ids), _ward_scope(p.previous(), ids)]


def dashboard(p: Period, wards: list[Ward] | None = None, shown: int = SHOWN) -> dict:
    """Every active ward's KPIs of the period (their ward-scope snapshots): per KPI the province
    total (sums of the wards' numerators and denominators) and the `shown` best and worst
    wards. Three queries, none per ward: wards, the totals of this period and the previous
    one (grouped in SQL), the wards shown (window functions)."""
    wards = active_wards() if wards is None else wards
    by_pk = {w.pk: w for w in wards}
    ids = list(by_pk)
    totals = _totals(p, ids)
    shown_rows: dict[str, list[dict]] = {}
    for r in _shown(p, ids, shown):
        shown_rows.setdefault(r["code"], []).append(r)
    out = []
    for kpi in catalogue.entries():
        t = totals.get(kpi.code) or {}
        cells = [(t["num"], t["den"])] if t.get("n") else []
        previous_cells = None
        if kpi.compares_previous and t.get("prev_n"):
            previous_cells = [(t["prev_num"], t["prev_den"])]
        total = kpis.combine(kpi.code, cells, previous_cells)
        rows = shown_rows.get(kpi.code, [])
        out.append(
            ProvinceKpi(
                kpi,
                total,
                [WardValue(by_pk[r["ward_id"]], _value(kpi.code, r)) for r in rows],
                [r["place"] for r in rows],
                valued=t.get("valued", 0),
                wards=len(wards),
            )
        )
    computed = [t["computed_at"] for t in totals.values() if t["computed_at"]]
    return {
        "wards": wards,
        "kpis": out,
        "missing_snapshots": missing_snapshots(p, wards),
        "computed_at": max(computed, default=None),
    }


def missing_snapshots(p: Period, wards: list[Ward]) -> list[Ward]:
    """The wards with no ward-scope snapshot of the period (one query)."""
    having = set(
        _ward_scope(p, [w.pk for w in wards])
        .order_by()
        .values_list("ward_id", flat=True)
        .distinct()
    )
    return [w for w in wards if w.pk not in having]


def kpi_ranking(p: Period, code: str) -> ProvinceKpi:
    """One KPI in every active ward, ranked, with the province total (the KPI's own page):
    wards, this period's and the previous period's snapshots of that KPI."""
    kpi = catalogue.get(code)
    wards = list(Ward.objects.active().order_by("code"))
    ids = [w.pk for w in wards]
    snaps = _ward_snapshots(p, ids, [code])
    values = [
        WardValue(w, _value(code, snaps[w.pk][code]) if w.pk in snaps else None) for w in wards
    ]
    cells = [(wv.value.numerator, wv.value.denominator) for wv in values if wv.value]
    previous_cells = None
    if kpi.compares_previous:
        prev = _ward_snapshots(p.previous(), ids, [code])
        previous_cells = [(s[code].numerator, s[code].denominator) for s in prev.values()]
    total = kpis.combine(code, cells, previous_cells)
    ranked = sorted(values, key=_rank_key(kpi))
    return ProvinceKpi(
        kpi,
        total,
        ranked,
        valued=sum(1 for wv in values if wv.value and wv.value.value is not None),
        wards=len(wards),
    )


def expected_reports(ward: Ward, year: int) -> list[tuple[str, str, date]]:
    """(kind, period code, due date) of the ward's periodic reports of `year`, on its due days."""
    due = ward.report_due_dates()
    return [
        (kind, code, date(year, *due[kind]))
        for kind, code in (("semiannual", f"{year}-H1"), ("annual", str(year)))
    ]


def _finalized(wards, year: int):
    """The wards' periodic reports of `year` that are finalized (or archived, still issued).
    `wards`: a list of wards or a queryset of them."""
    return Report.objects.filter(
        scope=Report.Scope.WARD,
        ward__in=wards,
        status__in=LOCKED_STATUSES,
        period_start__year=year,
    ).order_by()


def finalized_token(wards, today: date | None = None) -> str:
    """What the wards' finalized reports of this year are now (one query, a row whatever the
    number of wards): their number, the highest id and the latest finalization. Finalizing
    sets finalized_at to now and a report leaves the set only by being deleted, so any change
    of which reports are finalized gives a new token (the overdue list is cached under it)."""
    today = today or timezone.localdate()
    return freshness.rows_token(
        _finalized(wards, today.year).aggregate(
            n=Count("pk"), last=Max("pk"), at=Max("finalized_at")
        )
    )


def reports_not_finalized(wards: list[Ward], today: date | None = None) -> list[dict]:
    """The wards' periodic reports of this year past their due day and not finalized (one
    query)."""
    today = today or timezone.localdate()
    finalized = set(_finalized(wards, today.year).values_list("ward_id", "kind", "period"))
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
