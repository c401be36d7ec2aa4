"""seed_demo's notifications: one real reminder pass over the demo ward (recorded, not sent:
`manage.py send_reminders` then prints the emails on the console), then, for the kinds the
demo ward has nothing due for today (the report due in ten days, say), one example each drawn
from the demo records, so every kind of notification can be seen. A few are marked read."""

from datetime import timedelta

from django.utils import timezone

from children.models import Case, CasePlanAction, IntakeReport, Referral
from dongnguyen.roles import Role
from inspections.models import Violation
from reports.models import Report

from .models import Kind, Notification
from .reminders import Event, People, _same_ward, case_code, due_events
from .services import record_event


def _examples(now, people: People):
    """One event per kind from the demo records, as the rule would make it."""
    from django.urls import reverse

    officers = people.role(Role.CASE_OFFICER)
    leaders = people.leaders()
    case = Case.objects.exclude(status=Case.Status.CLOSED).order_by("pk").first()
    intake = IntakeReport.objects.order_by("-received_at").first()
    referral = Referral.objects.order_by("pk").first()
    action = CasePlanAction.objects.order_by("pk").first()
    violation = Violation.objects.order_by("pk").first()
    report = Report.objects.filter(scope=Report.Scope.WARD).order_by("-period_start").first()
    due = now + timedelta(hours=4)
    if case is not None:
        link = reverse("children:case_detail", args=[case.pk])
        code = case_code(case.pk)
        yield Event(Kind.ASSESS_DUE, Case, str(case.pk), "demo", code, link, due, officers)
        yield Event(Kind.PLAN_DUE, Case, str(case.pk), "demo", code, link, due, officers)
        yield Event(Kind.APPROVAL_WAITING, Case, str(case.pk), "demo", code, link, due, leaders)
        yield Event(Kind.FOLLOWUP_MISSING, Case, str(case.pk), "demo", code, link, due, officers)
        yield Event(Kind.ASSIGNED, Case, str(case.pk), "demo", code, link, None, officers)
    if intake is not None:
        yield Event(
            Kind.INTAKE_NEW,
            IntakeReport,
            str(intake.pk),
            "demo",
            intake.receipt_code,
            reverse("children:intake_detail", args=[intake.pk]),
            due,
            officers,
        )
    if referral is not None:
        yield Event(
            Kind.REFERRAL_UNANSWERED,
            Referral,
            str(referral.pk),
            "demo",
            f"CG-{referral.pk:05d}",
            reverse("children:tasks"),
            due,
            people.agency(referral.agency_id) + officers,
        )
    if action is not None:
        yield Event(
            Kind.FOLLOWUP_TOMORROW,
            CasePlanAction,
            str(action.pk),
            "demo",
            case_code(action.case_id),
            reverse("children:case_detail", args=[action.case_id]),
            now + timedelta(days=1),
            people.agency(action.agency_id) + officers,
        )
    if violation is not None:
        yield Event(
            Kind.VIOLATION_OVERDUE,
            Violation,
            str(violation.pk),
            "demo",
            f"VP-{violation.pk:05d}",
            reverse("inspections:violation_edit", args=[violation.pk]),
            due,
            people.role(Role.POLICE),
        )
    meeting_action = _demo_meeting_action(now, officers)
    if meeting_action is not None:
        yield Event(
            Kind.MEETING_ACTION_DUE,
            type(meeting_action),
            str(meeting_action.pk),
            "demo",
            f"VG-{meeting_action.pk:05d}",
            reverse("coordination:meeting_detail", args=[meeting_action.meeting_id]),
            now + timedelta(days=1),
            officers,
        )
    agency_input = _demo_agency_input()
    if agency_input is not None:
        yield Event(
            Kind.AGENCY_INPUT_DUE,
            type(agency_input),
            str(agency_input.pk),
            "demo",
            f"BC-{agency_input.period}",
            reverse("coordination:input_detail", args=[agency_input.pk]),
            now + timedelta(days=3),
            officers,
        )
    # A report's reminder goes to its own ward's staff only (the rule's per-ward reading).
    staff = officers + people.role(Role.LEADERSHIP)
    if report is not None:
        staff = [r for r in staff if people.ward_of.get(r.user_id) == report.ward_id]
    yield Event(
        Kind.REPORT_DUE,
        Report,
        "demo",
        "demo",
        f"BC-{report.period}" if report else "BC",
        reverse("reports:report_list"),
        now + timedelta(days=10),
        staff,
    )


def _demo_agency_input():
    """An input to the ward's report not sent yet (the demo asks for the current period's)."""
    from coordination.models import AgencyInput

    return AgencyInput.objects.pending().order_by("due_on", "pk").first()


def _demo_meeting_action(now, officers):
    """An open action of a coordination meeting (the demo's quarterly giao ban)."""
    from coordination.models import Meeting, MeetingAction

    action = MeetingAction.objects.open().order_by("pk").first()
    if action is not None or not officers:
        return action
    meeting = Meeting.objects.create(
        kind="periodic",
        date=now.date() - timedelta(days=7),
        chair="Nguyễn Văn Hùng, Phó Chủ tịch UBND phường",
        attendees="Công chức VH-XH, Trạm Y tế, Công an phường, các tổ trưởng tổ dân phố",
        agenda="Giao ban công tác phòng, chống lao động trẻ em quý IV",
    )
    return MeetingAction.objects.create(
        meeting=meeting,
        what="Rà soát lại các cơ sở mộc có lao động chưa thành niên ở Tổ 3 và Tổ 5",
        assignee_id=officers[0].user_id,
        due_on=now.date() + timedelta(days=1),
    )


def seed(ctx) -> None:
    now = timezone.now()
    for event in due_events(now):
        record_event(event, now)
    have = set(Notification.objects.values_list("kind", flat=True))
    people = People()
    examples = list(_examples(now, people))
    _same_ward(examples, people)  # a demo record's events reach its own ward only
    for event in examples:
        if event.kind not in have and event.recipients:
            event.recipients = list({r.user_id: r for r in event.recipients}.values())
            record_event(event, now)
            have.add(event.kind)
    # Some already read, so the list shows both.
    for user_id in people.by_role.get(Role.CASE_OFFICER, []):
        older = Notification.objects.filter(recipient_id=user_id).order_by("created_at", "pk")
        Notification.objects.filter(pk__in=list(older.values_list("pk", flat=True)[:3])).update(
            read_at=now
        )
