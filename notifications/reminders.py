"""The reminder pass: which events are due now, and for whom (issue 13, point 1).

One small rule per event (after rubyforgood/casa's one notifier per event). A rule reads the
domain models as they stand and yields `Event`s; it never writes. `services.record_events`
turns them into `Notification`s, once per (event, object, threshold, recipient), and
`services.run_pass` is the one pass that `manage.py send_reminders` and the beat task run.

Being state-based, a rule is idempotent by itself: running it twice yields the same events,
and the unique key makes the second pass record nothing. A pass that was missed (the worker
was down) catches up at the next one, and a reminder whose moment has passed because the next
one is due (8 h when 12 h is already past) is not sent late.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from children.models import Case, CasePlanAction, IntakeReport, Referral, Support
from dongnguyen.roles import Role
from dongnguyen.workdays import (
    assessment_deadline,
    end_of_day,
    holiday_set,
    nth_working_day_after,
    plan_deadline,
)
from inspections.models import VIOLATION_OVERDUE_DAYS, Violation

from .models import Kind

# The first reminder of the 12-hour assessment deadline.
ASSESS_FIRST_HOURS = 8
# The plan reminder goes out on this working day after the day of receipt (deadline: 5th).
PLAN_REMINDER_DAY = 4
# Reminders dated to a day go out at the start of the working day.
WORKDAY_START = time(7, 0)
APPROVAL_WORKING_DAYS = 1
REFERRAL_WORKING_DAYS = 5
FOLLOWUP_GAP_DAYS = 30
REPORT_DUE_DAYS = 10
# A periodic report past its due day and not finalized: one more reminder, if it fell due in
# the last this many days (older ones are on the dashboards, not in the bell).
REPORT_LATE_WINDOW_DAYS = 30
# An agency's or residential group's input to the ward's report: reminded this many days before
# its due day, and once more when it is past due and not sent.
AGENCY_INPUT_DUE_DAYS = 3
# ...but not for inputs more than this many days late when the rule first sees them (a new
# deployment, or periods asked for long ago): those are on the input list, not in the bell.
AGENCY_INPUT_LATE_WINDOW_DAYS = 30
# A new intake report or referral older than this is not announced as new any more.
NEW_WINDOW = timedelta(days=3)
REFERRAL_NEW_WINDOW_DAYS = 30


def case_code(case_id: int) -> str:
    return f"HS-{case_id:05d}"


@dataclass(frozen=True)
class Recipient:
    user_id: int
    escalated: bool = False


@dataclass
class Event:
    kind: str
    model: type
    object_id: str
    threshold: str
    code: str
    link: str
    due_at: datetime | None
    recipients: list[Recipient] = field(default_factory=list)


class People:
    """The active users of each role and agency, read once per pass."""

    def __init__(self):
        rows = (
            get_user_model()
            .objects.filter(is_active=True, profile__isnull=False)
            .values_list("pk", "profile__role", "profile__agency_id", "profile__ward_id")
        )
        self.by_role: dict[str, list[int]] = {}
        self.by_agency: dict[int, list[int]] = {}
        self.ward_of: dict[int, int | None] = {}
        for pk, role, agency_id, ward_id in rows:
            self.ward_of[pk] = ward_id
            self.by_role.setdefault(role, []).append(pk)
            if agency_id is not None and role in (Role.HEALTH, Role.MASS_ORG, Role.POLICE):
                self.by_agency.setdefault(agency_id, []).append(pk)
        self._by_group: dict[int, list[int]] | None = None

    def collaborators(self, group_id: int) -> list[Recipient]:
        """The active collaborators of a residential group (read once, when first asked)."""
        if self._by_group is None:
            from dongnguyen.models import Profile

            self._by_group = {}
            links = Profile.groups.through.objects.filter(
                profile__role=Role.COLLABORATOR, profile__user__is_active=True
            ).values_list("profile__user_id", "residentialgroup_id")
            for user_id, gid in links:
                self._by_group.setdefault(gid, []).append(user_id)
        return [Recipient(pk) for pk in self._by_group.get(group_id, [])]

    def role(self, role: str, escalated: bool = False) -> list[Recipient]:
        return [Recipient(pk, escalated) for pk in self.by_role.get(role, [])]

    def officers_for(self, assigned_to_id: int | None) -> list[Recipient]:
        """The assigned officer, else every case officer (the one on duty is among them)."""
        if assigned_to_id is not None:
            return [Recipient(assigned_to_id)]
        return self.role(Role.CASE_OFFICER)

    def leaders(self) -> list[Recipient]:
        return self.role(Role.LEADERSHIP, escalated=True)

    def agency(self, agency_id: int) -> list[Recipient]:
        return [Recipient(pk) for pk in self.by_agency.get(agency_id, [])]


class Context:
    def __init__(self, now: datetime):
        self.now = now
        self.today = timezone.localtime(now).date()
        self.tomorrow = self.today + timedelta(days=1)
        self.holidays = holiday_set(
            self.today - timedelta(days=400), self.today + timedelta(days=60)
        )
        self.people = People()

    def working_day(self, after: date, n: int) -> date:
        return nth_working_day_after(after, n, self.holidays)

    def start_of(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, WORKDAY_START))


def _unique(recipients: list[Recipient]) -> list[Recipient]:
    """One entry per user; escalation wins."""
    out: dict[int, Recipient] = {}
    for r in recipients:
        if r.user_id not in out or r.escalated:
            out[r.user_id] = r
    return list(out.values())


class Rule:
    kind: str

    def events(self, ctx: Context):
        raise NotImplementedError


class IntakeNew(Rule):
    """A new intake report: the case officers at once; leadership too when an emergency case
    was opened from it."""

    kind = Kind.INTAKE_NEW

    def events(self, ctx):
        emergency = Case.objects.filter(intake=OuterRef("pk"), emergency=True)
        intakes = (
            IntakeReport.objects.filter(received_at__gte=ctx.now - NEW_WINDOW)
            .exclude(status=IntakeReport.Status.DUPLICATE)
            .annotate(emergency=Exists(emergency))
            .only("pk", "receipt_code", "received_at", "received_by_id")
        )
        for intake in intakes:
            people = [
                r for r in ctx.people.role(Role.CASE_OFFICER) if r.user_id != intake.received_by_id
            ]
            if intake.emergency:
                people += ctx.people.leaders()
            yield Event(
                self.kind,
                IntakeReport,
                str(intake.pk),
                "new",
                intake.receipt_code,
                reverse("children:intake_detail", args=[intake.pk]),
                assessment_deadline(intake.received_at),
                people,
            )


class AssessDue(Rule):
    """12 hours to assess: a reminder at 8 h, and at 12 h overdue with leadership copied.
    Cases still at "received", and intake reports not yet triaged into a case."""

    kind = Kind.ASSESS_DUE

    def _event(self, ctx, model, pk, code, link, received_at, officers):
        due = assessment_deadline(received_at)
        if ctx.now >= due:
            return Event(
                self.kind, model, str(pk), "12h", code, link, due, officers + ctx.people.leaders()
            )
        if ctx.now >= received_at + timedelta(hours=ASSESS_FIRST_HOURS):
            return Event(self.kind, model, str(pk), "8h", code, link, due, officers)
        return None

    def events(self, ctx):
        first = ctx.now - timedelta(hours=ASSESS_FIRST_HOURS)
        cases = Case.objects.filter(status=Case.Status.RECEIVED, received_at__lte=first).only(
            "pk", "received_at", "assigned_to_id"
        )
        for case in cases:
            event = self._event(
                ctx,
                Case,
                case.pk,
                case_code(case.pk),
                reverse("children:case_detail", args=[case.pk]),
                case.received_at,
                ctx.people.officers_for(case.assigned_to_id),
            )
            if event:
                yield event
        intakes = (
            IntakeReport.objects.filter(
                status__in=[IntakeReport.Status.NEW, IntakeReport.Status.VERIFYING],
                received_at__lte=first,
            )
            .exclude(Exists(Case.objects.filter(intake=OuterRef("pk"))))
            .only("pk", "receipt_code", "received_at")
        )
        for intake in intakes:
            event = self._event(
                ctx,
                IntakeReport,
                intake.pk,
                intake.receipt_code,
                reverse("children:intake_detail", args=[intake.pk]),
                intake.received_at,
                ctx.people.role(Role.CASE_OFFICER),
            )
            if event:
                yield event


class PlanDue(Rule):
    """The plan by the end of the 5th working day after the day of receipt: a reminder on the
    morning of the 4th, and when overdue (leadership copied)."""

    kind = Kind.PLAN_DUE

    def events(self, ctx):
        cases = Case.objects.filter(
            status__in=[Case.Status.RECEIVED, Case.Status.ASSESSED],
            received_at__lte=ctx.now - timedelta(days=1),
        ).only("pk", "received_at", "assigned_to_id")
        for case in cases:
            received_day = timezone.localtime(case.received_at).date()
            due = plan_deadline(case.received_at, ctx.holidays)
            officers = ctx.people.officers_for(case.assigned_to_id)
            if ctx.now > due:
                threshold, people = "overdue", officers + ctx.people.leaders()
            elif ctx.now >= ctx.start_of(ctx.working_day(received_day, PLAN_REMINDER_DAY)):
                threshold, people = "day4", officers
            else:
                continue
            yield Event(
                self.kind,
                Case,
                str(case.pk),
                threshold,
                case_code(case.pk),
                reverse("children:case_detail", args=[case.pk]),
                due,
                people,
            )


class ApprovalWaiting(Rule):
    """A drafted plan not approved by the end of the next working day: leadership."""

    kind = Kind.APPROVAL_WAITING

    def events(self, ctx):
        cases = Case.objects.filter(
            status=Case.Status.PLAN_DRAFTED,
            plan_drafted_at__isnull=False,
            plan_drafted_at__lte=ctx.now - timedelta(days=1),
        ).only("pk", "plan_drafted_at")
        for case in cases:
            drafted = timezone.localtime(case.plan_drafted_at)
            due = end_of_day(ctx.working_day(drafted.date(), APPROVAL_WORKING_DAYS))
            if ctx.now <= due:
                continue
            yield Event(
                self.kind,
                Case,
                str(case.pk),
                # A plan drafted again after a reopen waits afresh.
                f"{drafted:%Y%m%d%H%M}",
                case_code(case.pk),
                reverse("children:case_detail", args=[case.pk]),
                due,
                ctx.people.leaders(),
            )


def _referral_code(referral) -> str:
    return case_code(referral.case_id) if referral.case_id else f"CG-{referral.pk:05d}"


def _referral_link(referral) -> str:
    if referral.case_id:
        return reverse("children:case_detail", args=[referral.case_id])
    return reverse("children:tasks")


class ReferralUnanswered(Rule):
    """A referral the agency has neither closed nor recorded a support for within 5 working
    days: the agency's users, a copy to the officer."""

    kind = Kind.REFERRAL_UNANSWERED

    def events(self, ctx):
        acted = Support.objects.filter(
            child=OuterRef("child"),
            provider=OuterRef("agency"),
            date__gte=OuterRef("referred_on"),
        )
        referrals = (
            Referral.objects.filter(closed=False, referred_on__lt=ctx.today - timedelta(days=5))
            .exclude(Exists(acted))
            .select_related("case")
            .only(
                "pk", "agency_id", "referred_on", "referred_by_id", "case_id", "case__assigned_to"
            )
        )
        for referral in referrals:
            due = end_of_day(ctx.working_day(referral.referred_on, REFERRAL_WORKING_DAYS))
            if ctx.now <= due:
                continue
            officer = (referral.case.assigned_to_id if referral.case_id else None) or (
                referral.referred_by_id
            )
            yield Event(
                self.kind,
                Referral,
                str(referral.pk),
                "5wd",
                _referral_code(referral),
                _referral_link(referral),
                due,
                ctx.people.agency(referral.agency_id) + ctx.people.officers_for(officer),
            )


def monitored_cases(cases=None):
    """Monitored cases (of `cases`, default all) with the day their next follow-up is due
    (30 days after the last follow-up, or after monitoring began)."""
    cases = (
        (Case.objects.all() if cases is None else cases)
        .filter(status=Case.Status.MONITORING)
        .annotate(
            last_followup=Max("follow_ups__date"),
            monitoring_since=Max("events__at", filter=Q(events__to_status=Case.Status.MONITORING)),
        )
        .only("pk", "assigned_to_id")
    )
    for case in cases:
        since = case.monitoring_since
        base = [d for d in (case.last_followup, since and timezone.localtime(since).date()) if d]
        if not base:
            continue
        yield case, max(base) + timedelta(days=FOLLOWUP_GAP_DAYS)


class FollowupMissing(Rule):
    """A monitored case with no follow-up for 30 days: the officer."""

    kind = Kind.FOLLOWUP_MISSING

    def events(self, ctx):
        for case, next_due in monitored_cases():
            if ctx.today <= next_due:
                continue
            yield Event(
                self.kind,
                Case,
                str(case.pk),
                next_due.isoformat(),
                case_code(case.pk),
                reverse("children:case_detail", args=[case.pk]),
                end_of_day(next_due),
                ctx.people.officers_for(case.assigned_to_id),
            )


class FollowupTomorrow(Rule):
    """Planned for tomorrow: a monitored case's next follow-up visit, or an action of a case
    plan (the agency doing it and the officer)."""

    kind = Kind.FOLLOWUP_TOMORROW

    def events(self, ctx):
        for case, next_due in monitored_cases():
            if next_due != ctx.tomorrow:
                continue
            yield Event(
                self.kind,
                Case,
                str(case.pk),
                next_due.isoformat(),
                case_code(case.pk),
                reverse("children:case_detail", args=[case.pk]),
                ctx.start_of(next_due),
                ctx.people.officers_for(case.assigned_to_id),
            )
        actions = (
            CasePlanAction.objects.filter(done_on__isnull=True, due_on=ctx.tomorrow)
            .exclude(case__status=Case.Status.CLOSED)
            .select_related("case")
            .only("pk", "due_on", "agency_id", "case_id", "case__assigned_to")
        )
        for action in actions:
            yield Event(
                self.kind,
                CasePlanAction,
                str(action.pk),
                action.due_on.isoformat(),
                case_code(action.case_id),
                reverse("children:case_detail", args=[action.case_id]),
                ctx.start_of(action.due_on),
                ctx.people.agency(action.agency_id)
                + ctx.people.officers_for(action.case.assigned_to_id),
            )


class ViolationOverdue(Rule):
    """An open violation past its re-inspection date, or 30 days without a decision: police."""

    kind = Kind.VIOLATION_OVERDUE

    def events(self, ctx):
        for violation in Violation.objects.overdue(ctx.today).only(
            "pk", "detected_on", "reinspection_due"
        ):
            due_day = violation.reinspection_due or (
                violation.detected_on + timedelta(days=VIOLATION_OVERDUE_DAYS)
            )
            yield Event(
                self.kind,
                Violation,
                str(violation.pk),
                "overdue",
                f"VP-{violation.pk:05d}",
                reverse("inspections:violation_edit", args=[violation.pk]),
                end_of_day(due_day),
                ctx.people.role(Role.POLICE),
            )


def _reports_due_between(ctx, ward, first: date, last: date):
    """(kind, period code, due day, Report or None) of `ward`'s periodic reports (on the ward's
    own due days) and ad-hoc reports (on their own) due from `first` to `last`, both included."""
    from reports.models import Report

    due_dates = ward.report_due_dates()
    rows = {(r.kind, r.period): r for r in ctx.ward_reports.get(ward.pk, [])}
    for year in range(first.year, last.year + 1):
        for kind, code in (("semiannual", f"{year}-H1"), ("annual", str(year))):
            month_day = due_dates.get(kind)
            if month_day and first <= date(year, *month_day) <= last:
                yield kind, code, date(year, *month_day), rows.get((kind, code))
    for (kind, code), report in rows.items():
        if kind == Report.Kind.ADHOC and report.due_on and first <= report.due_on <= last:
            yield kind, code, report.due_on, report


def reports_due(ctx, ward):
    """`ward`'s reports due in the next REPORT_DUE_DAYS days (see _reports_due_between)."""
    return _reports_due_between(ctx, ward, ctx.today, ctx.today + timedelta(days=REPORT_DUE_DAYS))


def reports_late(ctx, ward):
    """`ward`'s reports whose due day passed in the last REPORT_LATE_WINDOW_DAYS days."""
    oldest = ctx.today - timedelta(days=REPORT_LATE_WINDOW_DAYS)
    return _reports_due_between(ctx, ward, oldest, ctx.today - timedelta(days=1))


class ReportDue(Rule):
    """A report due in 10 days and not finalized: the officers and leadership of its ward,
    about their own ward only; the province user: per period, how many wards have not
    finalized it (a count, nothing of any ward's records). Once more for each when the due
    day has passed and the report is still not finalized ("overdue", "province-overdue")."""

    kind = Kind.REPORT_DUE

    def events(self, ctx):
        from dongnguyen.models import Ward
        from reports.models import LOCKED_STATUSES, Report

        wards = list(Ward.objects.active().only("pk", "report_due_semiannual", "report_due_annual"))
        ctx.ward_reports = {}
        # Last year's too: an annual report due on 20/12 is still late in January.
        years = (ctx.today.year - 1, ctx.today.year, ctx.today.year + 1)
        periodic = [c for y in years for c in (f"{y}-H1", str(y))]
        horizon = ctx.today + timedelta(days=REPORT_DUE_DAYS)
        for report in Report.objects.filter(
            Q(kind__in=("semiannual", "annual"), period__in=periodic)
            | Q(
                kind=Report.Kind.ADHOC,
                due_on__gte=ctx.today - timedelta(days=REPORT_LATE_WINDOW_DAYS),
                due_on__lte=horizon,
            ),
            scope=Report.Scope.WARD,
            ward__in=wards,
        ).only("pk", "ward_id", "kind", "period", "status", "due_on"):
            ctx.ward_reports.setdefault(report.ward_id, []).append(report)
        # Per ward, the reports due soon and those past due; for the province, per threshold
        # and (kind, period): [due day, wards due, wards not finalized] of the periodic ones.
        sources = (
            (f"{REPORT_DUE_DAYS}d", "province", reports_due),
            ("overdue", "province-overdue", reports_late),
        )
        pending: dict[str, dict[tuple[str, str], list]] = {t: {} for _w, t, _s in sources}
        for ward in wards:
            staff = [
                r
                for r in ctx.people.role(Role.CASE_OFFICER) + ctx.people.role(Role.LEADERSHIP)
                if ctx.people.ward_of.get(r.user_id) == ward.pk
            ]
            for threshold, province_threshold, source in sources:
                for kind, code, due, report in source(ctx, ward):
                    locked = report is not None and report.status in LOCKED_STATUSES
                    if kind != Report.Kind.ADHOC:
                        tally = pending[province_threshold].setdefault((kind, code), [due, 0, 0])
                        tally[0] = max(tally[0], due)
                        tally[1] += 1
                        tally[2] += not locked
                    if locked or not staff:
                        continue
                    yield Event(
                        self.kind,
                        Report,
                        f"{ward.pk}:{kind}:{code}",
                        threshold,
                        f"BC-{code}",
                        reverse("reports:report_detail", args=[report.pk])
                        if report
                        else reverse("reports:report_list"),
                        end_of_day(due),
                        staff,
                    )
        province = ctx.people.role(Role.PROVINCE)
        for threshold, tallies in pending.items():
            for (kind, code), (due, total, not_final) in sorted(tallies.items()):
                if not not_final or not province:
                    continue
                yield Event(
                    self.kind,
                    Report,
                    f"province:{kind}:{code}",
                    threshold,
                    f"BC-{code} ({not_final}/{total})",
                    reverse("reports:province_dashboard"),
                    end_of_day(due),
                    province,
                )


class Assigned(Rule):
    """A case assigned (transferred) to me; a child referred to my agency."""

    kind = Kind.ASSIGNED

    def events(self, ctx):
        cases = (
            Case.objects.exclude(status=Case.Status.CLOSED)
            .filter(assigned_to__isnull=False)
            .only("pk", "assigned_to_id")
        )
        for case in cases:
            yield Event(
                self.kind,
                Case,
                str(case.pk),
                "case",
                case_code(case.pk),
                reverse("children:case_detail", args=[case.pk]),
                None,
                [Recipient(case.assigned_to_id)],
            )
        referrals = Referral.objects.filter(
            closed=False, referred_on__gte=ctx.today - timedelta(days=REFERRAL_NEW_WINDOW_DAYS)
        ).only("pk", "agency_id", "case_id", "referred_on")
        for referral in referrals:
            due = end_of_day(ctx.working_day(referral.referred_on, REFERRAL_WORKING_DAYS))
            yield Event(
                self.kind,
                Referral,
                str(referral.pk),
                "referral",
                _referral_code(referral),
                _referral_link(referral),
                due,
                ctx.people.agency(referral.agency_id),
            )


class MeetingActionDue(Rule):
    """An open action decided at a coordination meeting, due tomorrow or overdue: its assignee,
    else the people of its agency, else the case officers (issue 15)."""

    kind = Kind.MEETING_ACTION_DUE

    def events(self, ctx):
        from coordination.models import MeetingAction

        actions = MeetingAction.objects.open().filter(due_on__lte=ctx.tomorrow)
        for action in actions.only("pk", "due_on", "agency_id", "assignee_id", "meeting_id"):
            if action.assignee_id:
                recipients = [Recipient(action.assignee_id)]
            else:
                recipients = (
                    ctx.people.agency(action.agency_id) if action.agency_id else []
                ) or ctx.people.role(Role.CASE_OFFICER)
            yield Event(
                self.kind,
                MeetingAction,
                str(action.pk),
                "overdue" if action.due_on < ctx.today else "due",
                f"VG-{action.pk:05d}",
                reverse("coordination:meeting_detail", args=[action.meeting_id]),
                end_of_day(action.due_on),
                recipients,
            )


class AgencyInputDue(Rule):
    """An input to the ward's report (the health station's, the police's, a residential
    group's) not sent yet: its senders AGENCY_INPUT_DUE_DAYS days before the due day, and again
    once past it, then with the officer who asked for it. A new due day is a new reminder."""

    kind = Kind.AGENCY_INPUT_DUE

    def events(self, ctx):
        from coordination.models import AgencyInput, InputKind

        horizon = ctx.today + timedelta(days=AGENCY_INPUT_DUE_DAYS)
        inputs = AgencyInput.objects.pending().filter(
            due_on__lte=horizon,
            due_on__gte=ctx.today - timedelta(days=AGENCY_INPUT_LATE_WINDOW_DAYS),
        )
        role_of_kind = {InputKind.HEALTH: Role.HEALTH, InputKind.POLICE: Role.POLICE}
        for item in inputs.only(
            "pk", "kind", "agency_id", "group_id", "period", "due_on", "requested_by_id"
        ):
            if item.kind == InputKind.GROUP:
                senders = ctx.people.collaborators(item.group_id) if item.group_id else []
            elif item.agency_id:
                senders = ctx.people.agency(item.agency_id)
            else:
                senders = ctx.people.role(role_of_kind.get(item.kind, ""))
            late = item.due_on < ctx.today
            threshold = "overdue" if late else f"{AGENCY_INPUT_DUE_DAYS}d"
            recipients = senders
            if late:
                requester = item.requested_by_id
                recipients = senders + (
                    [Recipient(requester)] if requester else ctx.people.role(Role.CASE_OFFICER)
                )
            yield Event(
                self.kind,
                AgencyInput,
                str(item.pk),
                f"{threshold}:{item.due_on.isoformat()}",
                f"BC-{item.period}",
                reverse("coordination:input_detail", args=[item.pk]),
                end_of_day(item.due_on),
                recipients,
            )


RULES: list[Rule] = [
    IntakeNew(),
    AssessDue(),
    PlanDue(),
    ApprovalWaiting(),
    ReferralUnanswered(),
    FollowupMissing(),
    FollowupTomorrow(),
    ViolationOverdue(),
    ReportDue(),
    Assigned(),
    MeetingActionDue(),
    AgencyInputDue(),
]


def _ward_path(model) -> str | None:
    """How a record of `model` reaches its ward (None: it has none)."""
    names = {f.name for f in model._meta.get_fields()}
    for name, path in (
        ("ward", "ward"),
        ("inspection", "inspection__business__ward"),
        ("business", "business__ward"),
        # The child before the case: a referral or support may have a child and no case.
        ("child", "child__household__group__ward"),
        ("case", "case__child__household__group__ward"),
    ):
        if name in names:
            return path
    return None


def _same_ward(events: list[Event], people: People) -> None:
    """Each event goes only to the users of its record's ward: one query per model."""
    by_model: dict[type, set[str]] = {}
    for e in events:
        if e.object_id.isdigit():  # a due report not yet made is named by kind and period
            by_model.setdefault(e.model, set()).add(e.object_id)
    wards: dict[tuple[type, str], int | None] = {}
    for model, ids in by_model.items():
        path = _ward_path(model)
        if path is None:
            continue
        for pk, ward_id in model._base_manager.filter(pk__in=ids).values_list("pk", path):
            wards[(model, str(pk))] = ward_id
    for e in events:
        ward_id = wards.get((e.model, e.object_id))
        if ward_id is not None:
            e.recipients = [r for r in e.recipients if people.ward_of.get(r.user_id) == ward_id]


def due_events(now: datetime | None = None) -> list[Event]:
    """Every event due at `now`, recipients de-duplicated and of the record's ward."""
    ctx = Context(now or timezone.now())
    out = []
    for rule in RULES:
        for event in rule.events(ctx):
            event.recipients = _unique(event.recipients)
            if event.recipients:
                out.append(event)
    _same_ward(out, ctx.people)
    return [e for e in out if e.recipients]


def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
