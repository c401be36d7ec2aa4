"""The conditions the KPI catalogue (catalogue.py) is built from: small functions returning Q
objects or querysets for one period. The engine (kpis.py) counts them, the drill-down lists
(selectors.py) filter by exactly the same ones, and the statistics tables reuse them."""

import functools
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from children.models import Case as ChildCase
from children.models import (
    Child,
    FollowUp,
    HealthCheck,
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
    is_working_day,
)
from households.models import HouseholdScreening, PovertyStatus
from inspections.models import BusinessScreening, Commitment, Inspection, Violation
from outreach.models import OutreachSession, Training
from schools.models import EarlyWarning

from .periods import Period, shift_years

_same: ContextVar[dict | None] = ContextVar("same_conditions", default=None)


@contextmanager
def same_conditions():
    """In this block a condition asked for again with the same arguments is the same Q object:
    the KPI engine then compiles a term that is in several KPIs of one statement only once,
    knowing an EXISTS again by identity (kpis._shape). Outside such a block every call builds
    a new Q."""
    if _same.get() is not None:
        yield
        return
    token = _same.set({})
    try:
        yield
    finally:
        _same.reset(token)


def _same_q(condition):
    """The conditions that build an EXISTS: one Q per arguments in a same_conditions() block
    (a Q is never changed once built: &, | and ~ make new ones)."""

    @functools.wraps(condition)
    def same(*args, **kwargs):
        made = _same.get()
        if made is None:
            return condition(*args, **kwargs)
        key = (condition, args, tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:  # an argument that cannot be a key (a list of kinds)
            return condition(*args, **kwargs)
        if key not in made:
            made[key] = condition(*args, **kwargs)
        return made[key]

    return same


def in_period(p: Period, field_name: str = "date") -> Q:
    return Q(**{f"{field_name}__gte": p.start, f"{field_name}__lte": p.end})


def of_ward(qs, ward, path: str):
    """`qs` — the related rows an EXISTS looks for — restricted to the rows of `ward` (None:
    unchanged). The `ward` argument of the conditions below: for a row of that ward the answer
    is the same (its related rows are the ward's; the ward columns are kept by triggers), but
    PostgreSQL then hashes the ward's rows, read through its ward-led indexes, instead of the
    province's. Only for rows of `ward`: the engine counts one ward's rows with it."""
    if ward is None:
        return qs
    return qs.filter(**{path: ward})


# ---------------------------------------------------------------------------------------------
# Children


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


def _of_child(qs, ward):
    return of_ward(qs, ward, "child__ward")


def _own_ward(qs, ward):
    """Rows with a ward column of their own (screenings, follow-ups, supports: children
    0025): read through their (ward, date, child) index, no join of the ward's children."""
    return of_ward(qs, ward, "ward")


@_same_q
def child_in_labour(p: Period, ward=None) -> Q:
    return Q(Exists(_of_child(labour_records(p), ward).filter(child_id=OuterRef("pk"))))


@_same_q
def child_special(ward=None) -> Q:
    through = Child.special_groups.through
    return Q(Exists(_of_child(through.objects.all(), ward).filter(child_id=OuterRef("pk"))))


@_same_q
def child_managed(p: Period, ward=None) -> Q:
    return child_register(p) & (Q(at_risk=True) | child_special(ward) | child_in_labour(p, ward))


@_same_q
def child_contacted(p: Period, ward=None) -> Q:
    return child_screened(p, ward) | Q(
        Exists(
            _own_ward(FollowUp.objects.filter(in_period(p)), ward).filter(child_id=OuterRef("pk"))
        )
    )


@_same_q
def child_screened(p: Period, ward=None) -> Q:
    screenings = _own_ward(Screening.objects.filter(in_period(p)), ward)
    return Q(Exists(screenings.filter(child_id=OuterRef("pk"))))


@_same_q
def child_supported(p: Period, kinds=None, ward=None) -> Q:
    supports = _own_ward(Support.objects.filter(in_period(p)), ward).filter(child_id=OuterRef("pk"))
    if kinds is not None:
        supports = supports.filter(kind__in=kinds)
    return Q(Exists(supports))


POOR_STATUSES = (PovertyStatus.POOR, PovertyStatus.NEAR_POOR, PovertyStatus.HARDSHIP)
STUDY_SUPPORT_KINDS = (
    SupportKind.EDUCATION_RETURN,
    SupportKind.VOCATIONAL,
    SupportKind.SCHOLARSHIP,
    SupportKind.SCHOOL_SUPPLIES,
    SupportKind.SOCIAL_PROTECTION,
)
SCHOOLING = (SchoolStatus.IN_SCHOOL, SchoolStatus.VOCATIONAL)


def child_poor_household() -> Q:
    return Q(household__poverty_status__in=POOR_STATUSES)


def child_schooling() -> Q:
    return Q(school_status__in=SCHOOLING)


def child_economic_dropout(p: Period) -> Q:
    """Under 18 (the register rules without the age limit), dropped out in P for economic
    reasons."""
    return child_base(p, 18) & in_period(p, "dropout_date") & Q(dropout_reason="economic")


# ---------------------------------------------------------------------------------------------
# Households, businesses, violations, groups, staff


def _children_of(ward):
    return of_ward(Child.objects.all(), ward, "ward")


@_same_q
def household_with_register_child(p: Period, ward=None) -> Q:
    return Q(Exists(_children_of(ward).filter(child_register(p), household_id=OuterRef("pk"))))


def _households_reached(p: Period, ward, household):
    through = OutreachSession.households_reached.through
    return Q(
        Exists(
            of_ward(through.objects.all(), ward, "household__ward").filter(
                household_id=household,
                outreachsession__date__gte=p.start,
                outreachsession__date__lte=p.end,
            )
        )
    )


@_same_q
def household_reached(p: Period, ward=None) -> Q:
    return _households_reached(p, ward, OuterRef("pk"))


@_same_q
def business_informed(p: Period) -> Q:
    """Reached by a session, inspected with legal dissemination, or signed a commitment in P."""
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
    disseminated = Q(
        Exists(
            Inspection.objects.filter(
                in_period(p), business_id=OuterRef("pk"), legal_dissemination=True
            )
        )
    )
    committed = Q(
        Exists(Commitment.objects.filter(in_period(p, "signed_on"), business_id=OuterRef("pk")))
    )
    return reached | disseminated | committed


HANDLED = (
    Violation.Status.PENALTY_DECIDED,
    Violation.Status.REMEDIATED,
    Violation.Status.TRANSFERRED,
)


def violation_handled(p: Period) -> Q:
    return Q(status__in=HANDLED, handled_on__lte=p.end)


def _group_sessions(p: Period):
    return OutreachSession.objects.filter(in_period(p), group_id=OuterRef("pk"))


def group_with_session(p: Period) -> Q:
    return Q(Exists(_group_sessions(p)))


def group_with_two_sessions(p: Period) -> Q:
    # A second session exists: EXISTS over the sessions with OFFSET 1.
    return Q(Exists(_group_sessions(p).order_by("pk").values("pk")[1:2]))


def staff_active() -> Q:
    return Q(is_active=True, profile__isnull=False)


def staff_trained(p: Period) -> Q:
    through = Training.participants.through
    return Q(
        Exists(
            through.objects.filter(
                user_id=OuterRef("pk"), training__date__gte=p.start, training__date__lte=p.end
            )
        )
    )


# ---------------------------------------------------------------------------------------------
# Intake reports (K2)


def _plan_deadlines(p: Period) -> list[datetime]:
    """The plan deadline (exclusive: midnight after the 5th working day) of a report received
    on each day of P, in order: one holiday query, no loop over the reports."""
    last = p.end + timedelta(days=PLAN_WORKING_DAYS * 3 + 30)
    holidays = holiday_set(p.start, last)
    # The working days after P's first day, once: the deadline of a receipt on day d is the
    # 5th of them after d (nth_working_day_after's rule, by index rather than a walk per day).
    working = [
        day
        for i in range(1, (last - p.start).days + 1)
        if is_working_day(day := p.start + timedelta(days=i), holidays)
    ]
    midnights: dict[date, datetime] = {}
    deadlines, first_after = [], 0
    for i in range((p.end - p.start).days + 1):
        received = p.start + timedelta(days=i)
        while working[first_after] <= received:
            first_after += 1
        day = working[first_after + PLAN_WORKING_DAYS - 1] + timedelta(days=1)
        if day not in midnights:
            midnights[day] = _midnight(day)
        deadlines.append(midnights[day])
    return deadlines


class _ByDayOfReceipt(Func):
    """`received_at` → the entry of its local day of receipt in a list for the days of P from
    P.start (NULL outside P): one subscript of one array parameter on PostgreSQL, however long
    the period. A year's CASE of 260 WHENs, copied into each condition that reads the deadline,
    made K2's statement 280 KB: 0.5 s to build in Django and 76 ms to plan, for 120 rows."""

    output_field = DateTimeField()

    def __init__(self, first_day: date, values: list[datetime]):
        super().__init__(F("received_at"))
        self.first_day, self.values = first_day, values

    def as_postgresql(self, compiler, connection, **extra_context):
        received, params = compiler.compile(self.source_expressions[0])
        return (
            f"(%s::timestamptz[])[(({received}) AT TIME ZONE %s)::date - %s::date + 1]",
            [self.values, *params, timezone.get_current_timezone_name(), self.first_day],
        )


def _plan_deadline_case(p: Period, deadlines: list[datetime]) -> Case:
    """The same mapping as a CASE, for databases without arrays: the receipt days of P fall
    into runs sharing a deadline, one WHEN per run."""
    whens, run_start = [], 0
    for i in range(1, len(deadlines) + 1):
        if i == len(deadlines) or deadlines[i] != deadlines[run_start]:
            whens.append(
                When(
                    received_at__gte=_midnight(p.start + timedelta(days=run_start)),
                    received_at__lt=_midnight(p.start + timedelta(days=i)),
                    then=Value(deadlines[run_start]),
                )
            )
            run_start = i
    return Case(*whens, default=Value(None), output_field=DateTimeField())


def _plan_deadline_expr(p: Period):
    """received_at → the end of the 5th working day after its day of receipt."""
    deadlines = _plan_deadlines(p)
    if connection.vendor == "postgresql":
        return _ByDayOfReceipt(p.start, deadlines)
    return _plan_deadline_case(p, deadlines)


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def intake_received(p: Period) -> Q:
    """Received in P (local days)."""
    return Q(
        received_at__gte=_midnight(p.start), received_at__lt=_midnight(p.end + timedelta(days=1))
    )


def intake_queryset(p: Period):
    """Intake reports received in P, with `plan_deadline` (exclusive: midnight after the 5th
    working day), `assess_deadline` and `kpi_group` aliases."""
    return IntakeReport.objects.filter(intake_received(p)).alias(
        plan_deadline=_plan_deadline_expr(p),
        assess_deadline=ExpressionWrapper(
            F("received_at") + timedelta(hours=ASSESSMENT_HOURS), output_field=DateTimeField()
        ),
        kpi_group=Coalesce("child__household__group_id", "business__group_id"),
    )


def _assessed_in_time():
    return ChildCase.objects.filter(
        intake_id=OuterRef("pk"), assessed_at__lte=OuterRef("assess_deadline")
    )


def intake_met() -> Q:
    """Assessed within 12 h and either unfounded at assessment or planned in time."""
    return Q(
        Exists(
            _assessed_in_time().filter(
                Q(closure_outcome=ChildCase.ClosureOutcome.UNFOUNDED)
                | Q(plan_drafted_at__lt=OuterRef("plan_deadline"))
            )
        )
    )


def intake_decided(as_of: datetime) -> Q:
    """Left out while still inside an open deadline: not met yet, neither deadline missed."""
    return (
        intake_met()
        | Q(plan_deadline__lte=as_of)
        | (
            Q(received_at__lt=as_of - timedelta(hours=ASSESSMENT_HOURS))
            & ~Q(Exists(_assessed_in_time()))
        )
    )


# ---------------------------------------------------------------------------------------------
# Periodic reports (K13)

# (month, day) each periodic report is due in its year; settings.REPORT_DUE_DATES overrides.
DEFAULT_REPORT_DUE_DATES = {"semiannual": (6, 20), "annual": (12, 20)}


def report_due_dates(ward=None) -> dict:
    """The ward's due days (Ward.report_due_*); without a ward the settings' (which are the
    first ward's defaults)."""
    if ward is not None:
        return ward.report_due_dates()
    return getattr(settings, "REPORT_DUE_DATES", DEFAULT_REPORT_DUE_DATES)


def report_due_on(kind: str, period: Period, ward=None) -> date | None:
    """The default due date of the report of `kind` for `period` (None for ad-hoc)."""
    month_day = report_due_dates(ward).get(kind)
    if month_day is None:
        return None
    year, (month, day) = period.end.year, month_day
    if kind == "semiannual" and period.end.month > 6:
        # The date is set for the first half; the second half's falls six months later.
        month += 6
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, day)


def expected_reports(p: Period, ward=None) -> list[tuple[str, str, date]]:
    """(kind, period code, default due date) of the periodic reports due in P."""
    out = []
    for year in range(p.start.year, p.end.year + 1):
        for kind, code in (("semiannual", f"{year}-H1"), ("annual", str(year))):
            month_day = report_due_dates(ward).get(kind)
            if month_day and p.start <= date(year, *month_day) <= p.end:
                out.append((kind, code, date(year, *month_day)))
    return out


def reports_on_time(p: Period, ward=None) -> tuple[int, int]:
    """(finalized by their due date, due in P): the expected periodic reports, an expected
    report not even created included, plus every ad-hoc report due in P. One query.
    With a ward, that ward's reports and due days."""
    return reports_on_time_by_ward(p, [ward])[ward.pk if ward is not None else None]


def reports_on_time_by_ward(p: Period, wards) -> dict:
    """reports_on_time of each of `wards` (None: every report, the settings' due days), keyed
    by ward id (None for None): one query whatever the number of wards."""
    from .models import Report

    expected = {w.pk if w is not None else None: expected_reports(p, w) for w in wards}
    wanted = Q(pk__in=[])
    for kind, code in {(k, c) for rows in expected.values() for k, c, _due in rows}:
        wanted |= Q(kind=kind, period=code)
    adhoc = Q(kind=Report.Kind.ADHOC, due_on__gte=p.start, due_on__lte=p.end)
    reports = Report.objects.filter(wanted | adhoc, scope=Report.Scope.WARD)
    if None not in expected:
        reports = reports.filter(ward__in=list(expected))
    rows: dict = {key: {} for key in expected}
    for r in reports.only("ward_id", "kind", "period", "status", "due_on", "finalized_at"):
        # The province's consolidated report is not one of a ward's reports.
        for key in (r.ward_id, None):
            if key in rows:
                rows[key][(r.kind, r.period)] = r
    return {key: _on_time(expected[key], rows[key]) for key in expected}


def _on_time(expected, rows) -> tuple[int, int]:
    from .models import LOCKED_STATUSES, Report

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


# ---------------------------------------------------------------------------------------------
# Issue 14: early warnings (K14), health checks (K15), caregivers reached (K16), household
# commitments (K17)

PLAN_START = date(2026, 4, 28)  # Kế hoạch 143/KH-UBND
CONTACT_DAYS = 7


def _warnings_counted(at_period: Period, as_of: date, ward=None):
    """Early warnings raised in P, leaving out those raised in the last 7 days (of P, or up to
    today for a period still running) that are not yet contacted."""
    cutoff = min(at_period.end, as_of) - timedelta(days=CONTACT_DAYS)
    warnings = EarlyWarning.objects.filter(in_period(at_period, "raised_on")).exclude(
        raised_on__gt=cutoff, contacted_on__isnull=True
    )
    return _of_child(warnings, ward)


@_same_q
def child_warned(p: Period, as_of: date, ward=None) -> Q:
    return Q(Exists(_warnings_counted(p, as_of, ward).filter(child_id=OuterRef("pk"))))


@_same_q
def child_warnings_contacted(p: Period, as_of: date, ward=None) -> Q:
    """Every counted warning of the pupil was contacted within 7 days of being raised."""
    late = (
        _warnings_counted(p, as_of, ward)
        .filter(child_id=OuterRef("pk"))
        .exclude(contacted_on__lte=F("raised_on") + timedelta(days=CONTACT_DAYS))
    )
    return ~Q(Exists(late))


@_same_q
def child_health_checked(p: Period, ward=None) -> Q:
    checks = _of_child(HealthCheck.objects.filter(in_period(p)), ward)
    return Q(Exists(checks.filter(child_id=OuterRef("pk"))))


@_same_q
def caregiver_of_register_child(p: Period, ward=None) -> Q:
    return Q(
        Exists(_children_of(ward).filter(child_register(p), household_id=OuterRef("household_id")))
    )


@_same_q
def caregiver_reached(p: Period, ward=None) -> Q:
    """In caregivers_reached of a session dated in P, or of a household reached by one."""
    one_by_one = OutreachSession.caregivers_reached.through
    return Q(
        Exists(
            of_ward(one_by_one.objects.all(), ward, "caregiver__household__ward").filter(
                caregiver_id=OuterRef("pk"),
                outreachsession__date__gte=p.start,
                outreachsession__date__lte=p.end,
            )
        )
    ) | _households_reached(p, ward, OuterRef("household_id"))


@_same_q
def household_with_managed_child(p: Period, ward=None) -> Q:
    return Q(Exists(_children_of(ward).filter(child_managed(p, ward), household_id=OuterRef("pk"))))


@_same_q
def household_committed(p: Period, ward=None) -> Q:
    return Q(
        Exists(
            of_ward(Commitment.objects.all(), ward, "household__ward").filter(
                household_id=OuterRef("pk"), signed_on__gte=PLAN_START, signed_on__lte=p.end
            )
        )
    )


@_same_q
def household_screened(p: Period, ward=None) -> Q:
    """Screened (at risk or not) in P: the yearly screening of households (II.2)."""
    screenings = of_ward(HouseholdScreening.objects.filter(in_period(p)), ward, "household__ward")
    return Q(Exists(screenings.filter(household_id=OuterRef("pk"))))


@_same_q
def business_screened(p: Period) -> Q:
    """Screened (at risk or not) in P: the yearly screening of businesses (II.2)."""
    return Q(Exists(BusinessScreening.objects.filter(in_period(p), business_id=OuterRef("pk"))))
