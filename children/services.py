"""Writes on children, work records and cases. Views, tasks, commands and imports call these."""

from django.db import transaction
from django.utils import timezone

from .catalogue import load_catalogue
from .labour_law import Assessment, WorkFacts, assess_work
from .models import Case, CaseEvent, Child, IntakeReport, WorkRecord


def workrecord_assess(record: WorkRecord, *, catalogue=None) -> Assessment:
    """Run the labour-law assessment on a record's facts and store lawful + violations on it
    (not saved). The facts are judged on the day the work started (or today if later and
    still going, whichever the child was younger on is the start)."""
    facts = WorkFacts(
        birth_date=record.child.birth_date,
        on_date=record.started_on,
        job_code=record.job_code,
        workplace_code=record.workplace_code or "normal",
        hours_per_day=record.hours_per_day,
        hours_per_week=record.hours_per_week,
        night_work=record.night_work,
        overtime=record.overtime,
        written_contract=record.written_contract,
        guardian_consent=record.guardian_consent,
        health_certificate=record.health_certificate,
        provincial_approval=record.provincial_approval,
    )
    assessment = assess_work(facts, catalogue or load_catalogue())
    record.lawful = assessment.lawful
    record.violations = assessment.violations_as_dicts()
    return assessment


@transaction.atomic
def case_open(
    *,
    child: Child,
    by,
    intake: IntakeReport | None = None,
    emergency: bool = False,
    received_at=None,
    summary: str = "",
    assigned_to=None,
) -> Case:
    """Open a Decree 56 case for a child (step: received). Linking an intake marks it
    case_opened; the deadlines (12 h, 5 working days) run from received_at."""
    if received_at is None:
        received_at = intake.received_at if intake is not None else timezone.now()
    case = Case.objects.create(
        child=child,
        intake=intake,
        emergency=emergency,
        received_at=received_at,
        summary=summary,
        assigned_to=assigned_to,
    )
    CaseEvent.objects.create(case=case, from_status="", to_status=Case.Status.RECEIVED, by=by)
    if intake is not None:
        intake.child = intake.child or child
        intake.status = IntakeReport.Status.CASE_OPENED
        intake.save(update_fields=["child", "status"])
    return case
