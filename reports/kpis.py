"""The KPI engine: computes the catalogue's entries (catalogue.py) for a period and a scope.

The engine knows no KPI by code. It groups the entries by their source and turns each
entry's denominator and numerator conditions (and its extras') into conditional Counts grouped
by residential group: one query per source, so the ward and every group cost the same constant
number of queries however many groups and rows there are. The drill-down lists (selectors.py)
filter by exactly the same conditions.

Decisions the catalogue left open, written here so they are checked by the tests:
- "met" compares the exact ratio, not the rounded value (95.04% is > 95%);
- for "lower than previous" a value with no previous value to compare (the previous
  denominator was 0) has met = null;
- a KPI whose source has no residential group (K12, K13) is ward-only: a group scope leaves
  it out;
- K13 expects a semiannual report for H1 and an annual report each year, due on the days of
  REPORT_DUE_DATES (settings may override; defaults 20/06 and 20/12), plus every ad-hoc
  report whose due_on falls in the period. An expected report not even created is not met.
"""

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.db import connections, transaction
from django.db.models import BooleanField, Expression, ExpressionWrapper, F, Q
from django.utils import timezone

from dongnguyen.db_router import read_alias
from households.models import ResidentialGroup

from . import catalogue
from .catalogue import COUNT, GE, LT_PREVIOUS, PER_MILLE, PERCENT, RATIO, At, Kpi
from .conditions import (
    DEFAULT_REPORT_DUE_DATES,
    report_due_dates,
    report_due_on,
    same_conditions,
)
from .periods import Period
from .reads import Reads, set_local

__all__ = [
    "COUNT",
    "DEFAULT_REPORT_DUE_DATES",
    "GE",
    "PER_MILLE",
    "PERCENT",
    "KpiValue",
    "compute",
    "compute_all_groups",
    "compute_all_wards",
    "report_due_dates",
    "report_due_on",
]


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class KpiValue:
    code: str
    name: str
    unit: str
    comparator: str
    numerator: int | None
    denominator: int | None
    value: Decimal | None
    target: Decimal | None
    met: bool | None
    previous: Decimal | None = None
    extra: dict = field(default_factory=dict)
    # The previous period's numerator and denominator behind `previous` (KPIs that must fall):
    # frozen in the ward's report so the province can total the previous period too.
    previous_numerator: int | None = None
    previous_denominator: int | None = None

    @property
    def kpi(self) -> Kpi:
        return catalogue.get(self.code)

    @property
    def extra_lines(self) -> list[tuple[str, str]]:
        """(label, text) of the entry's extra figures, as the dashboard tile shows them."""
        from .templatetags.humanize_vn import pct, vn

        lines = []
        for extra in self.kpi.extras if self.kpi else ():
            shown = self.extra.get(extra.key)
            if shown is None:
                continue
            text = pct(shown.get("value")) if extra.shows == RATIO else vn(shown)
            lines.append((str(extra.label), text))
        return lines

    @property
    def status(self) -> str:
        """met / near / missed / none — the tile colour (near = within 10 points, or no
        higher than the previous value)."""
        if self.met is None:
            return "none"
        if self.met:
            return "met"
        if self.comparator == LT_PREVIOUS:
            return (
                "near"
                if self.value is not None and self.value <= (self.previous or 0)
                else "missed"
            )
        return "near" if self.value is not None and self.value >= self.target - 10 else "missed"

    def target_text(self) -> str:
        if self.comparator == LT_PREVIOUS:
            return f"lt_previous {self.previous}" if self.previous is not None else "lt_previous"
        if self.target is None:
            return self.comparator
        return f"{self.comparator} {self.target:g}"

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": str(self.name),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": (
                None
                if self.value is None
                else int(self.value)
                if self.unit == COUNT
                else float(self.value)
            ),
            "target": {
                "comparator": self.comparator,
                "value": _num(self.previous if self.comparator == LT_PREVIOUS else self.target),
            },
            "met": self.met,
        }


def _num(d: Decimal | None):
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def ratio(num: int, den: int | None, scale: int = 100) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num * scale) / Decimal(den)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _met(kpi: Kpi, num: int, den: int | None, value, previous) -> bool | None:
    if kpi.comparator == LT_PREVIOUS:
        if value is None or previous is None:
            return None
        return value < previous or (value == 0 and previous == 0)
    if not den or kpi.comparator == catalogue.TRACKED:
        return None
    if kpi.comparator == GE:
        return num * 100 >= kpi.target * den
    return num * 100 > kpi.target * den


def _conjuncts(q: Q) -> list[Q]:
    """The terms `q` is the AND of (itself if it is not an AND), empty Q()s left out."""
    if not isinstance(q, Q):
        return [q]
    if q.negated or (q.connector != Q.AND and len(q.children) > 1):
        return [q]
    out = []
    for child in q.children:
        out += _conjuncts(child) if isinstance(child, Q) else [Q(child)]
    return out


def _disjuncts(q) -> list:
    """The alternatives `q` is the OR of (itself alone if it is not an un-negated OR)."""
    if not isinstance(q, Q) or q.negated or q.connector != Q.OR or len(q.children) < 2:
        return [q]
    return [child if isinstance(child, Q) else Q(child) for child in q.children]


def _shape(term):
    """A key equal for two terms only if they compile to the same SQL, found without compiling:
    a Q's connector, negation and children, a lookup's name and value (with its type: 1 is not
    True), and any other expression (an EXISTS) by identity. conditions.py gives the same
    EXISTS for the same condition (same_conditions), so the child KPIs' 136 terms compile as
    their 23 distinct ones. Only used while the terms are alive (one statement's measures)."""
    if isinstance(term, Q):
        return (term.connector, term.negated, tuple(_shape(child) for child in term.children))
    if isinstance(term, tuple) and len(term) == 2 and isinstance(term[0], str):
        lookup, value = term
        try:
            return (lookup, type(value), hash(value), value)
        except TypeError:
            return (lookup, "id", id(value))
    return ("id", id(term))


class _Compiled(Expression):
    """A condition already compiled against the query it is selected from (`_grouped`), so
    that each KPI term is resolved and compiled once, not again by `values()`. Same SQL and
    parameters as before; no measurable difference in time (bench/README.md)."""

    output_field = BooleanField()

    def __init__(self, sql: str, params):
        super().__init__()
        self.sql, self.params = sql, list(params)

    def resolve_expression(self, *args, **kwargs):
        return self

    def as_sql(self, compiler, connection):
        return self.sql, self.params


def _grouped(qs, group_path: str | None, measures: dict, ward_path: str | None = None) -> dict:
    """{group key: {code: (num, den)}} from one query; key None = rows in no group.
    `measures` maps a code to (denominator Q, numerator Q). With `ward_path`, the rows of
    every ward at once: the key is (ward id, group key).

    The conditions share terms (the register rules, "in labour", "managed" and each
    denominator again in its numerator): each distinct term is computed once per row, as a
    column of an inner query the planner may not flatten (OFFSET 0), and the counts AND
    those columns. Inlined, PostgreSQL evaluated every copy of every EXISTS (27 of them on
    the children) on every row."""
    flags: dict = {}  # term SQL -> (alias, term)
    wanted: dict = {}  # code -> ([den terms], [num terms]): quoted aliases, or ORs of them
    inner = qs.order_by()
    compiler = inner.query.get_compiler(using=qs.db)
    connection = connections[qs.db]
    quote = connection.ops.quote_name

    shapes: dict = {}  # _shape(term) -> alias: a term seen before is not compiled again

    def column(term) -> str:
        shape = _shape(term)
        if shape not in shapes:
            # Resolved into the query itself (its joins stay there) and compiled once: the
            # SQL is both the key that finds the same term in another KPI and its column.
            expr = ExpressionWrapper(term, output_field=BooleanField())
            sql, params = compiler.compile(expr.resolve_expression(inner.query))
            key = (sql, tuple(map(repr, params)))
            if key not in flags:
                flags[key] = (f"f{len(flags)}", _Compiled(sql, params))
            shapes[shape] = flags[key][0]
        return quote(shapes[shape])

    for code, (den, num) in measures.items():
        sides = []
        for cond in (den, num):
            terms = []
            for term in _conjuncts(cond):
                # An OR's alternatives are columns of their own, ORed by the outer query: an
                # EXISTS that is also a term elsewhere ("screened" alone and in "screened or
                # followed up") is then computed once per row, not once per OR it is in. Same
                # three-valued logic inside or outside the fence.
                parts = _disjuncts(term)
                terms.append(
                    column(term) if len(parts) < 2 else f"({' OR '.join(map(column, parts))})"
                )
            sides.append(sorted(set(terms)))
        wanted[code] = sides
    keys = {}
    if ward_path is not None:
        keys["wrd"] = F(ward_path)
    if group_path is not None:
        keys["grp"] = F(group_path)
    inner = inner.values(**keys, **dict(flags.values()))
    sql, params = inner.query.get_compiler(using=qs.db).as_sql()
    fence = " OFFSET 0" if connection.vendor == "postgresql" else " LIMIT -1 OFFSET 0"

    def counted(terms):
        if not terms:
            return "COUNT(*)"
        return f"COUNT(*) FILTER (WHERE {' AND '.join(terms)})"

    columns = [quote(k) for k in keys]
    selects = list(columns)
    for den, num in wanted.values():
        selects += [counted(den), counted(sorted(set(den) | set(num)))]
    outer = f"SELECT {', '.join(selects)} FROM ({sql}{fence}) kpi_rows"  # noqa: S608 (quoted aliases; values are params)
    if columns:
        outer += f" GROUP BY {', '.join(columns)}"
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        rows = cursor.fetchall()
    out: dict = defaultdict(dict)
    for row in rows:  # one row per group (of a ward), not per record
        wrd = row[0] if ward_path is not None else None
        key = row[len(columns) - 1] if group_path is not None else None
        if ward_path is not None:
            key = (wrd, key)
        values = row[len(columns) :]
        for i, code in enumerate(wanted):
            out[key][code] = (values[2 * i + 1], values[2 * i])
    return out


def _tallied(source, at: At, codes: list[str]) -> dict:
    tally = source.tally(at)
    return {None: dict.fromkeys(codes, tally)}


def _extra_code(kpi: Kpi, extra) -> str:
    return f"{kpi.code}.{extra.key}"


def _measures(at: At, kpis: list[Kpi], group_id: int | None, extras: bool) -> dict:
    """{source: {code: (denominator Q, numerator Q)}} of `kpis` (and their extras'): what one
    query per source counts. A source with a tally has no measures."""
    by_source: dict = {}
    with same_conditions():  # a term in several KPIs is one object, compiled once (_shape)
        for kpi in kpis:
            if group_id is not None and kpi.ward_only:
                continue
            measures = by_source.setdefault(kpi.source, {})
            if kpi.source.tally is not None:
                continue
            den = kpi.denominator(at)
            measures[kpi.code] = (den, den & kpi.numerator(at))
            for extra in kpi.extras if extras else ():
                den = extra.denominator(at)
                measures[_extra_code(kpi, extra)] = (den, den & extra.numerator(at))
    return by_source


class Counts:
    """The raw numerator/denominator counts of `kpis` in a period, per group (None = outside
    groups): one query per source of those entries. Made, a Counts holds those queries as
    `jobs`; `Counts.counted` runs them and fills in `data`."""

    def __init__(self, at: At, kpis: list[Kpi], group_id: int | None = None, extras=True):
        self.period = at.period
        self.data: dict = defaultdict(dict)
        self.jobs = self._jobs(at, kpis, group_id, extras)

    @classmethod
    def counted(cls, *planned: "Counts", run=None) -> tuple["Counts", ...]:
        """Run the statements of `planned` Counts (made, not yet run): one after the other,
        or by `run` (a `reads.Reads.map`, two at a time), and fill in their numbers."""
        jobs = [job for counts in planned for job in counts.jobs]
        results = iter(run(jobs) if run is not None else [job() for job in jobs])
        for counts in planned:
            for _ in counts.jobs:
                for grp, codes in next(results).items():
                    counts.data[grp].update(codes)
            counts.jobs = []
        return planned

    @staticmethod
    def _jobs(at: At, kpis: list[Kpi], group_id, extras) -> list:
        """One callable per source: its {group: {code: (num, den)}}."""
        jobs = []
        for source, measures in _measures(at, kpis, group_id, extras).items():
            if source.tally is not None:
                codes = [kpi.code for kpi in kpis if kpi.source is source]
                jobs.append(partial(_tallied, source, at, codes))
                continue
            rows = source.rows(at)
            if at.ward is not None:
                rows = rows.filter(**{source.ward_path: at.ward.pk})
            if group_id is not None:
                rows = rows.filter(**{source.group_path: group_id})
            jobs.append(partial(_grouped, rows, source.group_path, measures))
        return jobs

    @classmethod
    def by_ward(cls, at: At, kpis: list[Kpi], wards: list, extras=True, only=False) -> dict:
        """{ward id: Counts of that ward} for every ward of `wards`, each the same as
        Counts(At(period, as_of, ward), kpis) gives, in one query per source grouped by ward
        and group (the same conditions). `only`: count the rows of those wards alone (a few
        wards); otherwise the rows of every ward are grouped and the others' left out."""
        out = {w.pk: cls(at, [], extras=extras) for w in wards}
        for source, measures in _measures(at, kpis, None, extras).items():
            if source.tally is not None:
                if source.tallies is not None:
                    tallies = source.tallies(at, wards)
                else:
                    tallies = {w.pk: source.tally(replace(at, ward=w)) for w in wards}
                for wid, counts in out.items():
                    for kpi in kpis:
                        if kpi.source is source:
                            counts.data[None][kpi.code] = tallies[wid]
                continue
            rows = source.rows(replace(at, ward=None))
            if only:
                rows = rows.filter(**{f"{source.ward_path}__in": list(out)})
            grouped = _grouped(rows, source.group_path, measures, ward_path=source.ward_path)
            for (wid, grp), codes in grouped.items():
                if wid in out:  # rows of no ward, or of an inactive one, count nowhere
                    out[wid].data[grp].update(codes)
        return out

    def get(self, code: str, group_id: int | None = None, ward: bool = False) -> tuple[int, int]:
        if ward:
            num = sum(v[code][0] for v in self.data.values() if code in v)
            den = sum(v[code][1] for v in self.data.values() if code in v)
            return num, den
        return self.data.get(group_id, {}).get(code, (0, 0))


def _values(counts: Counts, prev: Counts | None, group_id, ward: bool) -> list[KpiValue]:
    out = []
    for kpi in catalogue.entries():
        if kpi.ward_only and not ward:
            continue
        num, den = counts.get(kpi.code, group_id, ward)
        previous, extra = None, {}
        pn = pd = None
        if kpi.unit == COUNT:
            value, denominator = Decimal(num), None
            if prev is not None and kpi.compares_previous:
                pn = prev.get(kpi.code, group_id, ward)[0]
                previous = Decimal(pn)
        else:
            value, denominator = ratio(num, den, kpi.scale), den
            if prev is not None and kpi.compares_previous:
                pn, pd = prev.get(kpi.code, group_id, ward)
                previous = ratio(pn, pd, kpi.scale)
        for e in kpi.extras:
            en, ed = counts.get(_extra_code(kpi, e), group_id, ward)
            extra[e.key] = (
                {"numerator": en, "denominator": ed, "value": _str(ratio(en, ed))}
                if e.shows == RATIO
                else en
            )
        if kpi.compares_previous:
            extra["previous"] = _str(previous)
            extra["previous_period"] = prev.period.code if prev else None
        out.append(
            KpiValue(
                code=kpi.code,
                name=kpi.name,
                unit=kpi.unit,
                comparator=kpi.comparator,
                numerator=num,
                denominator=denominator,
                value=value,
                target=kpi.target,
                met=_met(kpi, num, den, value, previous),
                previous=previous,
                extra=extra,
                previous_numerator=pn,
                previous_denominator=pd,
            )
        )
    return out


def _str(d: Decimal | None) -> str | None:
    return None if d is None else str(d)


def compute(
    period_start: date | Period,
    period_end: date | None = None,
    group: ResidentialGroup | None = None,
    as_of: datetime | None = None,
    ward=None,
) -> list[KpiValue]:
    """The KPIs of one scope (the ward, or one residential group) for a period. `ward`: the
    ward counted (default: the group's ward; None and no group: every row, single-ward)."""
    p = _as_period(period_start, period_end)
    as_of = as_of or timezone.now()
    gid = group.pk if group is not None else None
    if ward is None and group is not None:
        ward = group.ward
    counts, prev = _counts(p, as_of, gid, ward)
    return _values(counts, prev, gid, ward=group is None)


def compute_all_groups(
    period: Period, as_of: datetime | None = None, ward=None, run=None
) -> tuple[list[KpiValue], dict[ResidentialGroup, list[KpiValue]]]:
    """The ward and every active residential group of it, in a constant number of queries
    (`run`: how they run, see Counts.counted)."""
    as_of = as_of or timezone.now()
    counts, prev = _counts(period, as_of, None, ward, run)
    ward_values = _values(counts, prev, None, ward=True)
    groups_qs = ResidentialGroup.objects.filter(active=True).order_by("code")
    if ward is not None:
        groups_qs = groups_qs.filter(ward=ward)
    groups = {g: _values(counts, prev, g.pk, ward=False) for g in groups_qs}
    return ward_values, groups


def compute_all_wards(period: Period, as_of: datetime | None = None, wards=None) -> dict:
    """{ward: (ward values, {group: values})} of every active ward (or of `wards`): for each,
    exactly what compute_all_groups(period, as_of, ward) gives, in a constant number of
    queries whatever the number of wards (one per source grouped by ward and group, the
    previous period's for K1/K11, the tallies' and the list of groups)."""
    from dongnguyen.models import Ward

    as_of = as_of or timezone.now()
    only = wards is not None
    wards = list(Ward.objects.active().order_by("pk") if wards is None else wards)
    entries = catalogue.entries()
    compared = [k for k in entries if k.compares_previous]
    with without_jit():
        counts = Counts.by_ward(At(period, as_of), entries, wards, only=only)
        prev = Counts.by_ward(At(period.previous(), as_of), compared, wards, False, only)
        groups_of: dict = defaultdict(list)
        groups_qs = ResidentialGroup.objects.filter(active=True, ward__in=[w.pk for w in wards])
        for g in groups_qs.order_by("code"):
            groups_of[g.ward_id].append(g)
    out = {}
    for w in wards:
        c, p = counts[w.pk], prev[w.pk]
        out[w] = (
            _values(c, p, None, ward=True),
            {g: _values(c, p, g.pk, ward=False) for g in groups_of[w.pk]},
        )
    return out


@contextmanager
def without_jit(
    work_mem: str | None = "64MB",
    random_page_cost: str | None = None,
    one_snapshot=False,
    helper=False,
):
    """PostgreSQL's JIT compiles the big grouped KPI queries for longer than they run (their
    cost estimate is high, their rows few): off for this block, and a larger work_mem
    (None: the server's) and, if given, random_page_cost, in a transaction on the database
    the reads go to (SET LOCAL ends with it). Elsewhere, nothing.

    `one_snapshot` (a report's numbers): the block's transaction is REPEATABLE READ, so every
    statement in it sees the database as it was at the first one. In the default READ
    COMMITTED each of a report's 40 statements saw the changes committed while the earlier
    ones ran, and a child saved meanwhile could be in the statistics tables and not in the
    KPI table. Reads only: a read-only REPEATABLE READ transaction never fails to serialize,
    and a hot standby allows it. Inside a transaction already open (a caller's atomic, a
    test's), that transaction's level stands.

    Yields a `reads.Reads`: work given to it runs in this block's transaction and, with
    `helper` and one snapshot, also on a second connection that imports the snapshot, so
    two statements run at a time (reads.py)."""
    alias = read_alias()
    connection = connections[alias]
    work = Reads()
    if connection.vendor != "postgresql":
        yield work
        return
    one_snapshot = one_snapshot and not connection.in_atomic_block
    # work_mem: room to hash each period's screenings, supports, work records... once (a
    # hashed EXISTS must fit in work_mem; at 4 MB the screenings of a year were probed
    # through their index once per child instead) and to sort in memory.
    settings = {"jit": "off", "work_mem": work_mem, "random_page_cost": random_page_cost}
    settings = {k: v for k, v in settings.items() if v is not None}
    helper = helper and one_snapshot
    if helper:
        # The two connections keep both cores busy: parallel workers of a Gather (one per
        # statement reading the year's screenings) only took turns with them (at 100×: 360 →
        # 315 ms for a ward's numbers).
        settings["max_parallel_workers_per_gather"] = "0"
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            if one_snapshot:  # before any other statement of the transaction
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            set_local(cursor, settings)
            if helper:
                cursor.execute("SELECT pg_export_snapshot()")
                work.start(alias, cursor.fetchone()[0], settings)
        try:
            yield work
        finally:
            work.close()


def _counts(
    p: Period, as_of: datetime, group_id: int | None, ward=None, run=None
) -> tuple[Counts, Counts]:
    """This period's counts, and the previous period's of the KPIs compared with it."""
    entries = catalogue.entries()
    counts = Counts(At(p, as_of, ward), entries, group_id)
    compared = [k for k in entries if k.compares_previous]
    prev = Counts(At(p.previous(), as_of, ward), compared, group_id, extras=False)
    return Counts.counted(counts, prev, run=run)


def _as_period(start, end) -> Period:
    if isinstance(start, Period):
        return start
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


# ---------------------------------------------------------------------------------------------
# Province values (DESIGN "KPI catalogue"): a province value is computed from the wards'
# numerators and denominators, never as an average of their percentages.


def combine(
    code: str,
    cells: list[tuple[int | None, int | None]],
    previous_cells: list[tuple[int | None, int | None]] | None = None,
) -> KpiValue:
    """The province value of KPI `code` from each ward's (numerator, denominator). For a KPI
    compared with the previous period, `previous_cells` are the wards' (numerator, denominator)
    of that period; without them (or with none of its wards known) met is null."""
    kpi = catalogue.get(code)
    num = sum(int(n or 0) for n, _ in cells)
    den = sum(int(d or 0) for _, d in cells)
    previous = None
    if kpi.unit == COUNT:
        value, denominator = Decimal(num), None
        if previous_cells:
            previous = Decimal(sum(int(n or 0) for n, _ in previous_cells))
    else:
        value, denominator = ratio(num, den, kpi.scale), den
        if previous_cells:
            previous = ratio(
                sum(int(n or 0) for n, _ in previous_cells),
                sum(int(d or 0) for _, d in previous_cells),
                kpi.scale,
            )
    if not kpi.compares_previous:
        previous = None
    return KpiValue(
        code=kpi.code,
        name=kpi.name,
        unit=kpi.unit,
        comparator=kpi.comparator,
        numerator=num,
        denominator=denominator,
        value=value,
        target=kpi.target,
        met=_met(kpi, num, den, value, previous),
        previous=previous,
    )
