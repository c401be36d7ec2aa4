"""Writes on children, work records and cases. Views, tasks, commands and imports call these."""

from datetime import date

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from dongnguyen.text import normalize_name

from .catalogue import load_catalogue
from .labour_law import CHILD_AGE_LIMIT, Assessment, WorkFacts, assess_work
from .models import (
    Case,
    CaseEvent,
    Child,
    IntakeReport,
    Screening,
    SpecialGroup,
    WorkRecord,
)

CHILD_LABOUR_GROUP = "k"  # Luật Trẻ em art. 10(1)(k), incl. work against the labour law.


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


# -- register ----------------------------------------------------------------------------------


def child_find_duplicates(
    *, full_name: str, birth_date: date | None, national_id: str = "", exclude_pk=None
) -> QuerySet:
    """Likely duplicates anywhere in the ward (unscoped: the caller decides what to show):
    the same name ignoring diacritics, case and spaces with the same birth date, or the same
    national ID."""
    match = Q(pk__in=[])
    norm = normalize_name(full_name)
    if norm and birth_date:
        match |= Q(search_name=norm, birth_date=birth_date)
    national_id = (national_id or "").strip()
    if national_id:
        match |= Q(national_id=national_id)
    qs = Child.objects.filter(match).select_related("household__group")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("search_name", "birth_date", "pk")


@transaction.atomic
def child_save(*, child: Child, by, special_groups=None) -> Child:
    """Create or update a child record; `special_groups` (codes or SpecialGroup rows) replaces
    the child's groups when given."""
    child.save()
    if special_groups is not None:
        child.special_groups.set(_special_groups(special_groups))
    return child


@transaction.atomic
def child_set_risk(
    *, child: Child, by, at_risk: bool, risk_factors: str = "", special_groups=()
) -> Child:
    child.at_risk = at_risk
    child.risk_factors = risk_factors
    child.save(update_fields=["at_risk", "risk_factors", "updated_at"])
    child.special_groups.set(_special_groups(special_groups))
    return child


def _special_groups(items) -> list[SpecialGroup]:
    codes = [i.code if isinstance(i, SpecialGroup) else i for i in items]
    return list(SpecialGroup.objects.filter(code__in=codes))


@transaction.atomic
def screening_record(
    *, child: Child, outcome: str, by, on: date | None = None, notes: str = ""
) -> Screening:
    """Record a yearly screening. What the screener found is kept on the child too: at risk
    sets at_risk; child labour also puts the child in group k (exploited, incl. unlawful work)."""
    if outcome not in Screening.Outcome.values:
        raise ValueError(f"Kết quả rà soát không hợp lệ: {outcome}")
    screening = Screening.objects.create(
        child=child, outcome=outcome, by=by, date=on or timezone.localdate(), notes=notes
    )
    if outcome in (Screening.Outcome.AT_RISK, Screening.Outcome.CHILD_LABOUR) and not child.at_risk:
        child.at_risk = True
        child.save(update_fields=["at_risk", "updated_at"])
    if outcome == Screening.Outcome.CHILD_LABOUR:
        child.special_groups.add(SpecialGroup.objects.get(code=CHILD_LABOUR_GROUP))
    return screening


@transaction.atomic
def workrecord_save(*, record: WorkRecord, by, catalogue=None) -> Assessment:
    """Assess and save a work record. Unlawful work of a child (under 16 on the day the work
    started) puts the child in special group k; for a 16–17-year-old the violation is the
    employer's under the labour law, so the child's groups are left alone."""
    assessment = workrecord_assess(record, catalogue=catalogue)
    record.save()
    if assessment.lawful is False and assessment.age < CHILD_AGE_LIMIT:
        record.child.special_groups.add(SpecialGroup.objects.get(code=CHILD_LABOUR_GROUP))
    return assessment


# Filled from the removed record when the kept one has nothing there.
_MERGE_FILL_FIELDS = (
    "national_id",
    "school_name",
    "dropout_date",
    "dropout_reason",
    "risk_factors",
)


@transaction.atomic
def child_merge(*, keep: Child, remove: Child, by) -> Child:
    """Merge two records of the same child: every record linked to `remove` (screenings, work
    records, intake reports, cases, supports, follow-ups, referrals, violations, attachments,
    special groups, anything else pointing at a Child) moves to `keep`, then `remove` is
    deleted. The access log keeps pointing at the removed id: an audit trail is not rewritten."""
    if keep.pk == remove.pk:
        raise ValueError("Không thể gộp một hồ sơ với chính nó.")
    for rel in Child._meta.related_objects:
        model, name = rel.related_model, rel.field.name
        if rel.many_to_many:
            for obj in getattr(remove, rel.get_accessor_name()).all():
                getattr(obj, name).add(keep)
        elif rel.one_to_one and model._base_manager.filter(**{name: keep}).exists():
            if model._base_manager.filter(**{name: remove}).exists():
                # Both records own the one allowed row: refuse rather than lose one.
                raise ValueError(
                    f"Cả hai hồ sơ đều có “{model._meta.verbose_name}”; hãy xử lý trước khi gộp."
                )
        else:
            model._base_manager.filter(**{name: remove}).update(**{name: keep})
    child_type = ContentType.objects.get_for_model(Child)
    for model in apps.get_models():
        if model._meta.label == "dongnguyen.AccessLog":
            continue
        for field in model._meta.private_fields:
            if isinstance(field, GenericForeignKey):
                model._base_manager.filter(
                    **{field.ct_field: child_type, field.fk_field: remove.pk}
                ).update(**{field.fk_field: keep.pk})
    keep.special_groups.add(*remove.special_groups.all())

    for name in _MERGE_FILL_FIELDS:
        if not getattr(keep, name) and getattr(remove, name):
            setattr(keep, name, getattr(remove, name))
    keep.at_risk = keep.at_risk or remove.at_risk
    keep.registered_on = min(keep.registered_on, remove.registered_on)
    note = f"Đã gộp hồ sơ trùng #{remove.pk} ({remove.full_name}, {remove.birth_date:%d/%m/%Y})."
    keep.notes = f"{keep.notes}\n{note}".strip()
    remove.delete()
    keep.save()
    return keep
