"""The plan's KPI catalogue (K1–K13, DESIGN.md "KPI catalogue") and the engine computing it.

Every KPI is defined once as Q conditions on a model (its denominator and its numerator); the
engine turns them into conditional Counts grouped by residential group, so the ward and every
group cost the same constant number of queries however many groups and rows there are, and
the drill-down lists (selectors.py) use exactly the same conditions.

Decisions the catalogue left open, written here so they are checked by the tests:
- "met" compares the exact ratio, not the rounded value (95.04% is > 95%);
- for "lower than previous" a value with no previous value to compare (the previous
  denominator was 0) has met = null;
- K12 and K13 are ward-only: a group scope leaves them out;
- K13 expects a semiannual report for H1 and an annual report each year, due on the days of
  REPORT_DUE_DATES (settings may override; defaults 20/06 and 20/12), plus every ad-hoc
  report whose due_on falls in the period. An expected report not even created is not met.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Case as ChildCase
from children.models import (
    Child,
    FollowUp,
    IntakeReport,
    SchoolStatus,
    Screening,
    Support,
    SupportKind,
    WorkRecord,
)
from dongnguyen.workdays import (
    ASSESSMENT_HOURS,
    PLAN_WORKING_DAYS,
    holiday_set,
    nth_working_day_after,
)
from households.models import Household, PovertyStatus, ResidentialGroup
from inspections.models import Business, Commitment, Inspection, Violation
from outreach.models import OutreachSession, Training

from .periods import Period, shift_years

PERCENT, PER_MILLE, COUNT = "percent", "per_mille", "count"
GE, GT, LT_PREVIOUS = "ge", "gt", "lt_previous"


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    clause: str
    unit: str
    comparator: str
    target: Decimal | None
    ward_only: bool = False

    @property
    def target_label(self) -> str:
        if self.comparator == LT_PREVIOUS:
            return str(_("Thấp hơn kỳ trước"))
        sign = "≥" if self.comparator == GE else ">"
        return f"{sign} {self.target:g}%"


CATALOGUE = [
    Kpi(
        "K1",
        _("Tỷ lệ trẻ em lao động trái quy định (‰ trẻ em dưới 16 tuổi)"),
        _("Mục I.2: giảm tỷ lệ trẻ em lao động trái quy định hằng năm"),
        PER_MILLE,
        LT_PREVIOUS,
        None,
    ),
    Kpi(
        "K2",
        _("Phản ánh được đánh giá trong 12 giờ và lập kế hoạch trong 5 ngày làm việc"),
        _("Mục I.2: 100% trường hợp được phát hiện, xử lý, can thiệp kịp thời"),
        PERCENT,
        GE,
        Decimal(100),
    ),
    Kpi(
        "K3",
        _("Trẻ em trong danh sách quản lý được rà soát, theo dõi trong kỳ"),
        _("Mục I.2, nhiệm vụ 2: 100% trẻ em có nguy cơ, có HCĐB được rà soát, theo dõi"),
        PERCENT,
        GE,
        Decimal(100),
    ),
    Kpi(
        "K4",
        _("Trẻ em lao động trái quy định được hỗ trợ, can thiệp"),
        _("Mục I.2, nhiệm vụ 3: 100% trẻ em lao động được tư vấn, hỗ trợ, can thiệp"),
        PERCENT,
        GE,
        Decimal(100),
    ),
    Kpi(
        "K5",
        _("Trẻ em 6–15 tuổi trong danh sách quản lý đang đi học hoặc học nghề"),
        _("Mục I.2: trên 95% trẻ em có nguy cơ được phổ cập giáo dục, học nghề"),
        PERCENT,
        GT,
        Decimal(95),
    ),
    Kpi(
        "K6",
        _("Trẻ em hộ nghèo, cận nghèo, khó khăn được hỗ trợ học tập, an sinh"),
        _("Mục I.2: 100% trẻ em có nguy cơ thuộc hộ nghèo, cận nghèo được hỗ trợ"),
        PERCENT,
        GE,
        Decimal(100),
    ),
    Kpi(
        "K7",
        _("Tổ dân phố tổ chức tuyên truyền trong kỳ"),
        _("Mục I.2, nhiệm vụ 1: 100% tổ dân phố tuyên truyền ít nhất 1–2 lần/năm"),
        PERCENT,
        GE,
        Decimal(100),
    ),
    Kpi(
        "K8",
        _("Hộ gia đình có trẻ em được tuyên truyền"),
        # xgettext:no-python-format
        _("Mục I.2: trên 95% cha mẹ, người chăm sóc trẻ được tuyên truyền"),
        PERCENT,
        GT,
        Decimal(95),
    ),
    Kpi(
        "K9",
        _("Cơ sở sản xuất, kinh doanh được phổ biến pháp luật"),
        # xgettext:no-python-format
        _("Mục I.2: 100% cơ sở được thông tin, phổ biến pháp luật"),
        PERCENT,
        GE,
        Decimal(100),
    ),
    Kpi(
        "K10",
        _("Vi phạm được xử lý trong kỳ"),
        _("Mục I.2, nhiệm vụ 4: kiểm tra phát hiện, xử lý 100% vi phạm"),
        PERCENT,
        GE,
        Decimal(100),
    ),
    Kpi(
        "K11",
        _("Số trẻ em bỏ học vì hoàn cảnh kinh tế"),
        _("Mục I.2: hạn chế thấp nhất trẻ em bỏ học vì kinh tế"),
        COUNT,
        LT_PREVIOUS,
        None,
    ),
    Kpi(
        "K12",
        _("Cán bộ, cộng tác viên được tập huấn"),
        _("Nhiệm vụ 5: tập huấn cán bộ, cộng tác viên"),
        PERCENT,
        GE,
        Decimal(100),
        ward_only=True,
    ),
    Kpi(
        "K13",
        _("Báo cáo định kỳ được ban hành đúng hạn"),
        _("Mục I.2, nhiệm vụ 6: báo cáo định kỳ 6 tháng, năm và đột xuất"),
        PERCENT,
        GE,
        Decimal(100),
        ward_only=True,
    ),
]
BY_CODE = {k.code: k for k in CATALOGUE}

# (month, day) each periodic report is due in its year; settings.REPORT_DUE_DATES overrides.
DEFAULT_REPORT_DUE_DATES = {"semiannual": (6, 20), "annual": (12, 20)}


def report_due_dates() -> dict:
    return getattr(settings, "REPORT_DUE_DATES", DEFAULT_REPORT_DUE_DATES)


def report_due_on(kind: str, period: Period) -> date | None:
    """The default due date of the report of `kind` for `period` (None for ad-hoc)."""
    month_day = report_due_dates().get(kind)
    if month_day is None:
        return None
    return date(period.end.year, *month_day)


# ---------------------------------------------------------------------------------------------
# Conditions (shared by the counts and the drill-down lists)


def in_period(p: Period, field_name: str = "date") -> Q:
    return Q(**{f"{field_name}__gte": p.start, f"{field_name}__lte": p.end})


def child_base(p: Period, max_age: int = 16) -> Q:
    """Register rules: age < max_age on P.end, registered by P.end, not moved out before P."""
    return (
        Q(birth_date__gt=shift_years(p.end, -max_age), birth_date__lte=p.end)
        & Q(registered_on__lte=p.end)
        & (Q(moved_out_on__isnull=True) | Q(moved_out_on__gte=p.start))
    )


def child_register(p: Period) -> Q:
    return child_base(p, 16)


def aged_at_least(p: Period, years: int) -> Q:
    return Q(birth_date__lte=shift_years(p.end, -years))


def labour_records(p: Period):
    return WorkRecord.objects.filter(lawful=False, started_on__lte=p.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=p.start)
    )


def child_in_labour(p: Period) -> Q:
    return Q(Exists(labour_records(p).filter(child_id=OuterRef("pk"))))


def child_special() -> Q:
    through = Child.special_groups.through
    return Q(Exists(through.objects.filter(child_id=OuterRef("pk"))))


def child_managed(p: Period) -> Q:
    return child_register(p) & (Q(at_risk=True) | child_special() | child_in_labour(p))


def child_contacted(p: Period) -> Q:
    return Q(Exists(Screening.objects.filter(in_period(p), child_id=OuterRef("pk")))) | Q(
        Exists(FollowUp.objects.filter(in_period(p), child_id=OuterRef("pk")))
    )


def child_supported(p: Period, kinds=None) -> Q:
    supports = Support.objects.filter(in_period(p), child_id=OuterRef("pk"))
    if kinds is not None:
        supports = supports.filter(kind__in=kinds)
    return Q(Exists(supports))


POOR_STATUSES = (PovertyStatus.POOR, PovertyStatus.NEAR_POOR, PovertyStatus.HARDSHIP)
K6_KINDS = (
    SupportKind.EDUCATION_RETURN,
    SupportKind.VOCATIONAL,
    SupportKind.SCHOLARSHIP,
    SupportKind.SCHOOL_SUPPLIES,
    SupportKind.SOCIAL_PROTECTION,
)
SCHOOLING = (SchoolStatus.IN_SCHOOL, SchoolStatus.VOCATIONAL)
HANDLED = (
    Violation.Status.PENALTY_DECIDED,
    Violation.Status.REMEDIATED,
    Violation.Status.TRANSFERRED,
)


@dataclass(frozen=True)
class Measure:
    """One KPI as conditions: rows of `model` in `den`, of which `num` count."""

    den: Q
    num: Q


def child_measures(p: Period) -> dict[str, Measure]:
    register, labour, managed = child_register(p), child_in_labour(p), child_managed(p)
    aged_6_15 = managed & aged_at_least(p, 6)
    poor = managed & Q(household__poverty_status__in=POOR_STATUSES)
    u18 = child_base(p, 18)
    return {
        "K1": Measure(register, register & labour),
        "K1_5_17": Measure(u18 & aged_at_least(p, 5), u18 & aged_at_least(p, 5) & labour),
        "K3": Measure(managed, managed & child_contacted(p)),
        "K4": Measure(register & labour, register & labour & child_supported(p)),
        "K5": Measure(aged_6_15, aged_6_15 & Q(school_status__in=SCHOOLING)),
        "K6": Measure(poor, poor & child_supported(p, K6_KINDS)),
        "K11": Measure(
            u18 & in_period(p, "dropout_date") & Q(dropout_reason="economic"),
            u18 & in_period(p, "dropout_date") & Q(dropout_reason="economic"),
        ),
    }


def household_measure(p: Period) -> Measure:
    has_child = Q(Exists(Child.objects.filter(child_register(p), household_id=OuterRef("pk"))))
    through = OutreachSession.households_reached.through
    reached = Q(
        Exists(
            through.objects.filter(
                household_id=OuterRef("pk"),
                outreachsession__date__gte=p.start,
                outreachsession__date__lte=p.end,
            )
        )
    )
    return Measure(has_child, has_child & reached)


def business_measure(p: Period) -> Measure:
    through = OutreachSession.businesses_reached.through
    reached = Q(
        Exists(
            through.objects.filter(
                business_id=OuterRef("pk"),
                outreachsession__date__gte=p.start,
                outreachsession__date__lte=p.end,
            )
        )
    )
    informed = Q(
        Exists(
            Inspection.objects.filter(
                in_period(p), business_id=OuterRef("pk"), legal_dissemination=True
            )
        )
    )
    committed = Q(
        Exists(Commitment.objects.filter(in_period(p, "signed_on"), business_id=OuterRef("pk")))
    )
    active = Q(active=True)
    return Measure(active, active & (reached | informed | committed))


def violation_measure(p: Period) -> Measure:
    detected = in_period(p, "detected_on")
    return Measure(detected, detected & Q(status__in=HANDLED, handled_on__lte=p.end))


def group_measure(p: Period) -> Measure:
    sessions = OutreachSession.objects.filter(in_period(p), group_id=OuterRef("pk"))
    return Measure(Q(active=True), Q(active=True) & Q(Exists(sessions)))


def staff_measure(p: Period) -> Measure:
    through = Training.participants.through
    trained = Exists(
        through.objects.filter(
            user_id=OuterRef("pk"), training__date__gte=p.start, training__date__lte=p.end
        )
    )
    active = Q(is_active=True, profile__isnull=False)
    return Measure(active, active & Q(trained))


def _plan_deadline_expr(p: Period):
    """A CASE mapping received_at to the end of the 5th working day after its day of receipt.
    The receipt days of P fall into runs sharing a deadline, so this costs one WHEN per
    working day (one holiday query), not a Python loop over the reports."""
    holidays = holiday_set(p.start, p.end + timedelta(days=PLAN_WORKING_DAYS * 3 + 30))
    whens, day = [], p.start
    run_start, run_deadline = None, None
    while day <= p.end + timedelta(days=1):
        deadline = nth_working_day_after(day, PLAN_WORKING_DAYS, holidays)
        if deadline != run_deadline or day > p.end:
            if run_start is not None:
                whens.append(
                    When(
                        received_at__gte=_midnight(run_start),
                        received_at__lt=_midnight(day),
                        then=Value(_midnight(run_deadline + timedelta(days=1))),
                    )
                )
            run_start, run_deadline = day, deadline
        day += timedelta(days=1)
    return Case(*whens, default=Value(None), output_field=DateTimeField())


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def intake_queryset(p: Period):
    """Intake reports received in P, with `plan_deadline` (exclusive: midnight after the 5th
    working day), `assess_deadline` and `kpi_group` aliases."""
    return IntakeReport.objects.filter(
        received_at__gte=_midnight(p.start), received_at__lt=_midnight(p.end + timedelta(days=1))
    ).alias(
        plan_deadline=_plan_deadline_expr(p),
        assess_deadline=ExpressionWrapper(
            F("received_at") + timedelta(hours=ASSESSMENT_HOURS), output_field=DateTimeField()
        ),
        kpi_group=Coalesce("child__household__group_id", "business__group_id"),
    )


def intake_measure(as_of: datetime) -> Measure:
    """K2 on intake_queryset(): met both deadlines / those whose outcome is known at as_of."""
    assessed = ChildCase.objects.filter(
        intake_id=OuterRef("pk"), assessed_at__lte=OuterRef("assess_deadline")
    )
    met = Q(
        Exists(
            assessed.filter(
                Q(closure_outcome=ChildCase.ClosureOutcome.UNFOUNDED)
                | Q(plan_drafted_at__lt=OuterRef("plan_deadline"))
            )
        )
    )
    # Still inside an open deadline: not met yet, and neither deadline already missed.
    decided = (
        met
        | Q(plan_deadline__lte=as_of)
        | (Q(received_at__lt=as_of - timedelta(hours=ASSESSMENT_HOURS)) & ~Q(Exists(assessed)))
    )
    return Measure(decided, met)


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

    @property
    def kpi(self) -> Kpi:
        return BY_CODE[self.code]

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
    if not den:
        return None
    if kpi.comparator == GE:
        return num * 100 >= kpi.target * den
    return num * 100 > kpi.target * den


def _grouped(qs, group_path: str | None, measures: dict[str, Measure]) -> dict:
    """{group key: {code: (num, den)}} from one query; key None = rows in no group."""
    aggs = {}
    for code, m in measures.items():
        aggs[f"d_{code}"] = Count("pk", filter=m.den)
        aggs[f"n_{code}"] = Count("pk", filter=m.num)
    if group_path is None:
        rows = [{"grp": None, **qs.aggregate(**aggs)}]
    else:
        rows = qs.order_by().values(grp=F(group_path)).annotate(**aggs)
    out: dict = defaultdict(dict)
    for row in rows:  # one row per group, not per record
        for code in measures:
            out[row["grp"]][code] = (row[f"n_{code}"], row[f"d_{code}"])
    return out


# The KPIs compared with the previous period (comparator LT_PREVIOUS), all child measures.
PREVIOUS_COMPARED = ("K1", "K11")


class Counts:
    """All raw numerator/denominator counts of a period, per group (None = outside groups)."""

    def __init__(
        self, p: Period, as_of: datetime, group_id: int | None = None, children_only=False
    ):
        self.period = p
        by = {"household__group_id": group_id} if group_id else {}
        children = Child.objects.filter(child_base(p, 18)).filter(**by)
        self.data: dict = defaultdict(dict)
        measures = child_measures(p)
        if children_only:  # the previous period: only K1 and K11 compare with it
            measures = {code: measures[code] for code in PREVIOUS_COMPARED}
        self._merge(_grouped(children, "household__group_id", measures))
        if children_only:
            return
        households = Household.objects.filter(**({"group_id": group_id} if group_id else {}))
        self._merge(_grouped(households, "group_id", {"K8": household_measure(p)}))
        businesses = Business.objects.filter(**({"group_id": group_id} if group_id else {}))
        self._merge(_grouped(businesses, "group_id", {"K9": business_measure(p)}))
        violations = Violation.objects.filter(in_period(p, "detected_on"))
        if group_id:
            violations = violations.filter(inspection__business__group_id=group_id)
        self._merge(
            _grouped(violations, "inspection__business__group_id", {"K10": violation_measure(p)})
        )
        intakes = intake_queryset(p)
        if group_id:
            intakes = intakes.filter(kpi_group=group_id)
        self._merge(_grouped(intakes, "kpi_group", {"K2": intake_measure(as_of)}))
        groups = ResidentialGroup.objects.all()
        if group_id:
            groups = groups.filter(pk=group_id)
        sessions = OutreachSession.objects.filter(in_period(p), group_id=OuterRef("pk"))
        k7 = group_measure(p)
        # A second session exists: EXISTS over the sessions with OFFSET 1.
        two = Q(active=True) & Q(Exists(sessions.order_by("pk").values("pk")[1:2]))
        self._merge(_grouped(groups, "pk", {"K7": k7, "K7_2": Measure(Q(active=True), two)}))
        if group_id is None:
            users = get_user_model().objects.all()
            self._merge(_grouped(users, None, {"K12": staff_measure(p)}))
            self._merge({None: {"K13": k13_counts(p)}})

    def _merge(self, part: dict):
        for grp, codes in part.items():
            self.data[grp].update(codes)

    def get(self, code: str, group_id: int | None = None, ward: bool = False) -> tuple[int, int]:
        if ward:
            num = sum(v[code][0] for v in self.data.values() if code in v)
            den = sum(v[code][1] for v in self.data.values() if code in v)
            return num, den
        return self.data.get(group_id, {}).get(code, (0, 0))


def expected_reports(p: Period) -> list[tuple[str, str, date]]:
    """(kind, period code, default due date) of the periodic reports due in P."""
    out = []
    for year in range(p.start.year, p.end.year + 1):
        for kind, code in (("semiannual", f"{year}-H1"), ("annual", str(year))):
            month_day = report_due_dates().get(kind)
            if month_day and p.start <= date(year, *month_day) <= p.end:
                out.append((kind, code, date(year, *month_day)))
    return out


def k13_counts(p: Period) -> tuple[int, int]:
    from .models import LOCKED_STATUSES, Report

    expected = expected_reports(p)
    wanted = Q(pk__in=[])
    for kind, code, _due in expected:
        wanted |= Q(kind=kind, period=code)
    adhoc = Q(kind=Report.Kind.ADHOC, due_on__gte=p.start, due_on__lte=p.end)
    rows = {
        (r.kind, r.period): r
        for r in Report.objects.filter(wanted | adhoc).only(
            "kind", "period", "status", "due_on", "finalized_at"
        )
    }
    den, num = 0, 0
    due_list = [(k, c, d) for k, c, d in expected] + [
        (r.kind, r.period, r.due_on) for r in rows.values() if r.kind == Report.Kind.ADHOC
    ]
    for kind, code, default_due in due_list:  # at most a few per year
        den += 1
        report = rows.get((kind, code))
        if report is None or report.status not in LOCKED_STATUSES or not report.finalized_at:
            continue
        due = report.due_on or default_due
        if timezone.localtime(report.finalized_at).date() <= due:
            num += 1
    return num, den


def _values(counts: Counts, prev: Counts | None, group_id, ward: bool) -> list[KpiValue]:
    out = []
    for kpi in CATALOGUE:
        if kpi.ward_only and not ward:
            continue
        num, den = counts.get(kpi.code, group_id, ward)
        previous, extra = None, {}
        if kpi.unit == COUNT:
            value, denominator = Decimal(num), None
            if prev is not None and kpi.comparator == LT_PREVIOUS:
                previous = Decimal(prev.get(kpi.code, group_id, ward)[0])
        else:
            scale = 1000 if kpi.unit == PER_MILLE else 100
            value, denominator = ratio(num, den, scale), den
            if prev is not None and kpi.comparator == LT_PREVIOUS:
                pn, pd = prev.get(kpi.code, group_id, ward)
                previous = ratio(pn, pd, scale)
        if kpi.code == "K1":
            n5, d5 = counts.get("K1_5_17", group_id, ward)
            extra["age_5_17"] = {"numerator": n5, "denominator": d5, "value": _str(ratio(n5, d5))}
        if kpi.code == "K7":
            extra["groups_with_two"] = counts.get("K7_2", group_id, ward)[0]
        if kpi.comparator == LT_PREVIOUS:
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
) -> list[KpiValue]:
    """The KPIs of one scope (the ward, or one residential group) for a period."""
    p = _as_period(period_start, period_end)
    as_of = as_of or timezone.now()
    gid = group.pk if group is not None else None
    counts = Counts(p, as_of, gid)
    prev = Counts(p.previous(), as_of, gid, children_only=True)
    return _values(counts, prev, gid, ward=group is None)


def compute_all_groups(
    period: Period, as_of: datetime | None = None
) -> tuple[list[KpiValue], dict[ResidentialGroup, list[KpiValue]]]:
    """The ward and every active residential group, in a constant number of queries."""
    as_of = as_of or timezone.now()
    counts = Counts(period, as_of)
    prev = Counts(period.previous(), as_of, children_only=True)
    ward = _values(counts, prev, None, ward=True)
    groups = {
        g: _values(counts, prev, g.pk, ward=False)
        for g in ResidentialGroup.objects.filter(active=True).order_by("code")
    }
    return ward, groups


def _as_period(start, end) -> Period:
    if isinstance(start, Period):
        return start
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
