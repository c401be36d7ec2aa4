"""Writes on the register: children, screenings, work records and merges of duplicates."""

from datetime import date, timedelta

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError, full_clean
from dongnguyen.m2m import set_visible
from dongnguyen.permissions import require
from dongnguyen.text import normalize_name
from dongnguyen.versioning import bump_version, save_versioned

from ..catalogue import load_catalogue
from ..labour_law import CHILD_AGE_LIMIT, Assessment, WorkFacts, assess_work
from ..models import (
    Child,
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
    full_clean(child)
    save_versioned(child)
    if special_groups is not None:
        set_visible(child.special_groups, _special_groups(special_groups), SpecialGroup.objects)
    return child


@transaction.atomic
def child_set_risk(
    *, child: Child, by, at_risk: bool, risk_factors: str = "", special_groups=()
) -> Child:
    child.at_risk = at_risk
    child.risk_factors = risk_factors
    full_clean(child)
    save_versioned(child, update_fields=["at_risk", "risk_factors", "updated_at"])
    set_visible(child.special_groups, _special_groups(special_groups), SpecialGroup.objects)
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
        raise ServiceError(_("Kết quả rà soát không hợp lệ: %(outcome)s") % {"outcome": outcome})
    screening = Screening(
        child=child, outcome=outcome, by=by, date=on or timezone.localdate(), notes=notes
    )
    full_clean(screening, exclude=["by"])  # who screened is the caller's, not a row rule
    screening.save()
    if outcome in (Screening.Outcome.AT_RISK, Screening.Outcome.CHILD_LABOUR) and not child.at_risk:
        child.at_risk = True
        full_clean(child)
        child.save(update_fields=["at_risk", "updated_at"])
        bump_version(child)
    if outcome == Screening.Outcome.CHILD_LABOUR:
        _add_child_labour_group(child)
    return screening


# What a new report of a work says; the rest of a record (its id, creation, anything added
# later) is the open record's own when the report is linked to it.
_WORK_REPORT_FIELDS = (
    "employer_name",
    "workplace_code",
    "hours_per_day",
    "hours_per_week",
    "night_work",
    "overtime",
    "written_contract",
    "guardian_consent",
    "health_certificate",
    "provincial_approval",
    "started_on",
    "notes",
)


def workrecord_open_same(record: WorkRecord) -> WorkRecord | None:
    """The child's other open record of the same job at the same business, if any (locked):
    the work `record` describes is already on the register."""
    if record.business_id is None or record.ended_on is not None:
        return None
    same = WorkRecord.objects.select_for_update().filter(
        child_id=record.child_id,
        business_id=record.business_id,
        job_code=record.job_code,
        ended_on__isnull=True,
    )
    return same.exclude(pk=record.pk).first() if record.pk else same.first()


def _workrecord_link(record: WorkRecord, existing: WorkRecord) -> None:
    """Make the new, unsaved `record` the open `existing` one, updated with what was just
    reported (the latest finding); the work started on the earlier of the two days and the
    notes of both are kept. History keeps what the record said before."""
    reported = {name: getattr(record, name) for name in _WORK_REPORT_FIELDS}
    for field in WorkRecord._meta.concrete_fields:
        setattr(record, field.attname, getattr(existing, field.attname))
    record._state.adding = False
    for name, value in reported.items():
        if name == "started_on":
            value = min(value, existing.started_on)
        elif name == "notes":
            value = "\n".join(n for n in dict.fromkeys([existing.notes, value]) if n)
        elif name == "employer_name":
            value = value or existing.employer_name
        setattr(record, name, value)
    record.linked_to_existing = True


def _add_child_labour_group(child: Child) -> None:
    """Put the child in group k, moving the child's version if that is new: an edit form
    opened before must not silently take the group away again."""
    if not child.special_groups.filter(code=CHILD_LABOUR_GROUP).exists():
        child.special_groups.add(SpecialGroup.objects.get(code=CHILD_LABOUR_GROUP))
        bump_version(child)


def _workrecords_before_merge(keep: Child, remove: Child) -> None:
    """child_merge moves `remove`'s work records to `keep`; where both have the same work
    open (business and job) the one-open-record rule must still hold: the record that started
    later stays open and the earlier ends the day before it; started the same day, the
    removed child's record is the same report twice and is folded into the kept one's."""
    open_same = {"ended_on__isnull": True, "business__isnull": False}
    kept = {(r.business_id, r.job_code): r for r in keep.work_records.filter(**open_same)}
    for other in remove.work_records.filter(**open_same):
        mine = kept.get((other.business_id, other.job_code))
        if mine is None:
            continue
        earlier, later = sorted((mine, other), key=lambda r: (r.started_on, r is other))
        if earlier.started_on < later.started_on:
            earlier.ended_on = later.started_on - timedelta(days=1)
            earlier.save(update_fields=["ended_on"])
            bump_version(earlier)
        else:
            other.found_in.update(work_record=mine)
            if other.notes and other.notes not in mine.notes:
                mine.notes = f"{mine.notes}\n{other.notes}".strip()
                mine.save(update_fields=["notes"])
                bump_version(mine)
            other.delete()


@transaction.atomic
def workrecord_save(*, record: WorkRecord, by, catalogue=None) -> Assessment:
    """Assess and save a work record. Unlawful work of a child (under 16 on the day the work
    started) puts the child in special group k; for a 16–17-year-old the violation is the
    employer's under the labour law, so the child's groups are left alone.

    A child has one open record per business and job: a new record of work already open is
    linked to that record (which is updated and saved; `record` becomes it and gets
    `linked_to_existing`), whoever reports it: the child's page, an inspection."""
    existing = workrecord_open_same(record)
    if existing is not None:
        if record.pk is not None:
            raise ServiceError(
                _(
                    "Trẻ đã có một quá trình làm việc khác đang diễn ra tại cơ sở này với "
                    "công việc này (từ %(day)s); hãy cập nhật quá trình làm việc đó."
                )
                % {"day": f"{existing.started_on:%d/%m/%Y}"}
            )
        _workrecord_link(record, existing)
    full_clean(record, exclude=["lawful"])  # the assessment below sets it
    assessment = workrecord_assess(record, catalogue=catalogue)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            save_versioned(record)
    except IntegrityError:
        # Another editor saved the same open work between our check and this save.
        raise ServiceError(
            _(
                "Trẻ vừa được ghi nhận quá trình làm việc này tại cơ sở này (một người khác "
                "vừa lưu); hãy tải lại trang để xem."
            )
        ) from None
    if assessment.lawful is False and assessment.age < CHILD_AGE_LIMIT:
        _add_child_labour_group(record.child)
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
    require(by, "child.merge")
    if keep.pk == remove.pk:
        raise ServiceError(_("Không thể gộp một hồ sơ với chính nó."))
    _workrecords_before_merge(keep, remove)
    for rel in Child._meta.related_objects:
        model, name = rel.related_model, rel.field.name
        if rel.many_to_many:
            for obj in getattr(remove, rel.get_accessor_name()).all():
                getattr(obj, name).add(keep)
        elif rel.one_to_one and model._base_manager.filter(**{name: keep}).exists():
            if model._base_manager.filter(**{name: remove}).exists():
                # Both records own the one allowed row: refuse rather than lose one.
                raise ServiceError(
                    _("Cả hai hồ sơ đều có “%(what)s”; hãy xử lý trước khi gộp.")
                    % {"what": model._meta.verbose_name}
                )
        else:
            moved = {"version": F("version") + 1} if _versioned(model) else {}
            model._base_manager.filter(**{name: remove}).update(**{name: keep}, **moved)
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
    # The removed record goes first: the national ID it hands over is then no longer "used by
    # another child" (Child.validate_unique); a refusal rolls the deletion back.
    remove.delete()
    full_clean(keep)
    save_versioned(keep)
    return keep


def _versioned(model) -> bool:
    return any(f.name == "version" for f in model._meta.concrete_fields)
