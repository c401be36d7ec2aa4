"""Writes on children, work records and cases. Views, tasks, commands and imports call these."""

import zipfile
from datetime import date, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError, StaleVersionError, full_clean
from dongnguyen.m2m import set_visible
from dongnguyen.models import Agency
from dongnguyen.permissions import require
from dongnguyen.roles import Role, agency_id_of, group_ids_of, role_of
from dongnguyen.text import normalize_name, person_name
from dongnguyen.versioning import bump_version, claim_version, save_versioned

from .catalogue import load_catalogue
from .labour_law import CHILD_AGE_LIMIT, Assessment, WorkFacts, assess_work
from .models import (
    Attachment,
    AttachmentKind,
    Case,
    CaseAssessmentItem,
    CaseEvent,
    CasePlanAction,
    Child,
    FollowUp,
    FundingSource,
    IntakeChannel,
    IntakeReport,
    Referral,
    Screening,
    SpecialGroup,
    Support,
    SupportKind,
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
        save_versioned(intake, update_fields=["child", "status"])
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
    save_versioned(record)
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
    full_clean(keep)
    remove.delete()
    save_versioned(keep)
    return keep


def _versioned(model) -> bool:
    return any(f.name == "version" for f in model._meta.concrete_fields)


# --- Intake and cases (Decree 56 workflow) -------------------------------------------------
#
# Every case write goes through one of the services below. Each checks the user's role (a
# PermissionDenied otherwise), the step the case is at, and the version the user's form showed
# (optimistic locking: a case changed by someone else since is refused, nothing overwritten),
# then records a CaseEvent: who moved the case from which step to which, and when.


# Who may do what: dongnguyen/permissions.py (each service starts with its require()).
INTAKE_EDIT_FIELDS = ("channel", "reporter_name", "reporter_phone", "description", "location")
SUPPORT_KINDS_BY_ROLE = {
    Role.HEALTH: {SupportKind.HEALTH_CHECK, SupportKind.PSYCHOLOGICAL},
    Role.MASS_ORG: {SupportKind.SCHOLARSHIP, SupportKind.LIVELIHOOD, SupportKind.SCHOOL_SUPPLIES},
}
# Two clean follow-ups at least this far apart before a child counts as withdrawn.
WITHDRAWN_MIN_DAYS = 30


def _status_label(status: str) -> str:
    return str(Case.Status(status).label) if status else ""


def _transition(
    case: Case,
    *,
    by,
    version: int,
    allowed_from: tuple,
    to: str | None,
    changes: dict | None = None,
    note: str = "",
) -> Case:
    """Move `case` to `to` (None: stay) if it is still at `version` and at an allowed step.

    The version is claimed by a conditional UPDATE, so of two users who saw the same version
    only the first one's write lands, on SQLite as on PostgreSQL."""
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if fresh.version != version:
        raise StaleVersionError()
    if fresh.status not in allowed_from:
        target = _status_label(to) if to else ""
        raise ServiceError(
            _("Hồ sơ đang ở bước «%(now)s», không thể chuyển sang «%(to)s».")
            % {"now": _status_label(fresh.status), "to": target}
            if target
            else _("Hồ sơ đang ở bước «%(now)s», không thể thực hiện thao tác này.")
            % {"now": _status_label(fresh.status)}
        )
    from_status = fresh.status
    claim_version(fresh, version)
    fields = ["version"]
    if to is not None:
        fresh.status = to
        fields.append("status")
    for name, value in (changes or {}).items():
        setattr(fresh, name, value)
        fields.append(name)
    fresh.save(update_fields=fields)
    CaseEvent.objects.create(
        case=fresh, from_status=from_status, to_status=fresh.status, by=by, note=note
    )
    case.__dict__.update({f: getattr(fresh, f) for f in fields})
    return fresh


@transaction.atomic
def case_assign(*, case: Case, by, version: int, assigned_to) -> Case:
    require(by, "case.assign")
    if assigned_to is not None and role_of(assigned_to) != Role.CASE_OFFICER:
        raise ServiceError(_("Chỉ phân công hồ sơ cho công chức Văn hóa - Xã hội."))
    name = person_name(assigned_to) if assigned_to else "—"
    return _transition(
        case,
        by=by,
        version=version,
        allowed_from=tuple(s for s in Case.Status.values if s != Case.Status.CLOSED),
        to=None,
        changes={"assigned_to": assigned_to},
        note=_("Phân công cán bộ phụ trách: %(name)s") % {"name": name},
    )


@transaction.atomic
def case_assess(
    *,
    case: Case,
    by,
    version: int,
    risk_level: str,
    emergency: bool = False,
    items=(),
    notes: str = "",
    at=None,
) -> Case:
    """Initial assessment (Mẫu 02): received → assessed, with the risk items rated
    Cao/Trung bình/Thấp. `items` is a list of {"item", "level", "note"}."""
    require(by, "case.assess")
    if risk_level not in Case.RiskLevel.values:
        raise ServiceError(_("Hãy chọn mức độ nguy cơ: Cao, Trung bình hoặc Thấp."))
    items = [i for i in items if (i.get("item") or "").strip()]
    for i in items:
        if i.get("level") not in CaseAssessmentItem.Level.values:
            raise ServiceError(
                _("Nội dung «%(item)s» chưa có mức độ nguy cơ.") % {"item": i["item"]}
            )
    case = _transition(
        case,
        by=by,
        version=version,
        allowed_from=(Case.Status.RECEIVED,),
        to=Case.Status.ASSESSED,
        changes={
            "risk_level": risk_level,
            "emergency": emergency,
            "assessment_notes": notes,
            "assessed_at": at or timezone.now(),
            "assigned_to": case.assigned_to or by,
        },
    )
    CaseAssessmentItem.objects.filter(case=case).delete()
    CaseAssessmentItem.objects.bulk_create(
        CaseAssessmentItem(
            case=case, item=i["item"].strip(), level=i["level"], note=i.get("note", ""), order=n
        )
        for n, i in enumerate(items)
    )
    return case


@transaction.atomic
def case_plan_draft(*, case: Case, by, version: int, actions, goal: str = "", at=None) -> Case:
    """The support and intervention plan (Mẫu 04): actions with the responsible agency and a
    due date. A draft may be revised until approved; after a review (in progress, monitoring)
    a new plan goes back for approval. Actions already done are kept."""
    require(by, "case.plan")
    actions = [a for a in actions if (a.get("action") or "").strip()]
    if not actions:
        raise ServiceError(_("Kế hoạch cần ít nhất một hoạt động hỗ trợ, can thiệp."))
    for a in actions:
        if a.get("agency") is None or a.get("due_on") is None:
            raise ServiceError(
                _("Hoạt động «%(action)s» cần có cơ quan thực hiện và thời hạn.")
                % {"action": a["action"]}
            )
    changes = {"plan_goal": goal}
    if case.plan_drafted_at is None:
        # The 5-working-day deadline is met (or not) by the first plan; revisions keep it.
        changes["plan_drafted_at"] = at or timezone.now()
    case = _transition(
        case,
        by=by,
        version=version,
        allowed_from=(
            Case.Status.ASSESSED,
            Case.Status.PLAN_DRAFTED,
            Case.Status.IN_PROGRESS,
            Case.Status.MONITORING,
        ),
        to=Case.Status.PLAN_DRAFTED,
        changes=changes,
    )
    CasePlanAction.objects.filter(case=case, done_on__isnull=True).delete()
    start = CasePlanAction.objects.filter(case=case).count()
    CasePlanAction.objects.bulk_create(
        CasePlanAction(
            case=case,
            action=a["action"].strip(),
            agency=a["agency"],
            due_on=a["due_on"],
            order=start + n,
        )
        for n, a in enumerate(actions)
    )
    return case


@transaction.atomic
def case_plan_approve(*, case: Case, by, version: int, note: str = "") -> Case:
    """Approval of the plan (Mẫu 05) by the ward's leadership (Decree 56 art. 28(2))."""
    require(by, "case.approve")
    return _transition(
        case,
        by=by,
        version=version,
        allowed_from=(Case.Status.PLAN_DRAFTED,),
        to=Case.Status.PLAN_APPROVED,
        changes={"plan_approved_at": timezone.now()},
        note=note,
    )


@transaction.atomic
def case_start(*, case: Case, by, version: int, note: str = "") -> Case:
    require(by, "case.start")
    return _transition(
        case,
        by=by,
        version=version,
        allowed_from=(Case.Status.PLAN_APPROVED,),
        to=Case.Status.IN_PROGRESS,
        note=note,
    )


@transaction.atomic
def case_monitor(*, case: Case, by, version: int, note: str = "") -> Case:
    require(by, "case.monitor")
    return _transition(
        case,
        by=by,
        version=version,
        allowed_from=(Case.Status.IN_PROGRESS,),
        to=Case.Status.MONITORING,
        note=note,
    )


def withdrawn_evidence(case: Case) -> tuple[FollowUp, FollowUp] | None:
    """The case's last two follow-ups by date, when both are on or after the day the case was
    received, at least WITHDRAWN_MIN_DAYS apart and both found no unlawful work (ILO CLM: two
    *consecutive* clean visits, DOMAIN §4). A clean 1st and 3rd visit far apart is not enough
    when the 2nd is too close to the 3rd: the last two visits must qualify by themselves.
    None when the case does not (yet) qualify."""
    received = timezone.localdate(case.received_at)
    last_two = list(FollowUp.objects.filter(case=case).order_by("-date", "-pk")[:2])
    if len(last_two) < 2:
        return None
    last, previous = last_two
    if any(v.working_unlawfully or v.date < received for v in last_two):
        return None
    if (last.date - previous.date).days < WITHDRAWN_MIN_DAYS:
        return None
    return previous, last


def _workrecords_end_on_withdrawal(case: Case, on: date) -> None:
    """A child withdrawn from work no longer works unlawfully: the child's open unlawful work
    records end on the last clean visit, so "child labour in P" (K1) stops counting the child
    from the next day. Work that started after that visit is new work and stays open."""
    records = WorkRecord.objects.filter(
        child_id=case.child_id, lawful=False, ended_on__isnull=True, started_on__lte=on
    )
    for record in records:
        record.ended_on = on
        record.save(update_fields=["ended_on"])


@transaction.atomic
def case_close(*, case: Case, by, version: int, outcome: str, note: str = "") -> Case:
    """Close the case with an outcome. Unfounded: only from the initial assessment. Withdrawn:
    only when the last two follow-ups qualify (withdrawn_evidence); it ends the child's open
    unlawful work records on the last clean visit."""
    require(by, "case.close")
    if outcome not in Case.ClosureOutcome.values:
        raise ServiceError(_("Hãy chọn kết quả kết thúc hồ sơ."))
    if outcome == Case.ClosureOutcome.UNFOUNDED:
        allowed = (Case.Status.ASSESSED,)
    else:
        allowed = (
            Case.Status.ASSESSED,
            Case.Status.PLAN_DRAFTED,
            Case.Status.PLAN_APPROVED,
            Case.Status.IN_PROGRESS,
            Case.Status.MONITORING,
        )
    fresh = Case.objects.get(pk=case.pk)
    # A stale form is reported as such by _transition, before any rule of the old state.
    if fresh.version == version and fresh.status != Case.Status.CLOSED:
        if outcome == Case.ClosureOutcome.UNFOUNDED and fresh.status != Case.Status.ASSESSED:
            raise ServiceError(
                _(
                    "Chỉ kết luận «không có cơ sở» ngay sau đánh giá ban đầu "
                    "(hồ sơ đang ở bước «%(now)s»)."
                )
                % {"now": _status_label(fresh.status)}
            )
        if outcome == Case.ClosureOutcome.WITHDRAWN and withdrawn_evidence(fresh) is None:
            raise _not_withdrawn()
    closed = _transition(
        case,
        by=by,
        version=version,
        allowed_from=allowed,
        to=Case.Status.CLOSED,
        changes={"closure_outcome": outcome, "closed_at": timezone.now(), "closure_note": note},
        note=note,
    )
    if outcome == Case.ClosureOutcome.WITHDRAWN:
        evidence = withdrawn_evidence(closed)
        if evidence is None:  # a follow-up written since the check above: nothing is kept
            raise _not_withdrawn()
        _workrecords_end_on_withdrawal(closed, evidence[1].date)
    return closed


def _not_withdrawn() -> ServiceError:
    return ServiceError(
        _(
            "Chỉ kết thúc «đã rút khỏi lao động» khi hai lần theo dõi gần nhất (liên tiếp, "
            "sau ngày tiếp nhận hồ sơ) cách nhau từ %(days)d ngày trở lên và cả hai đều không "
            "còn lao động trái quy định."
        )
        % {"days": WITHDRAWN_MIN_DAYS}
    )


@transaction.atomic
def case_reopen(*, case: Case, by, version: int, note: str) -> Case:
    """Reopen a closed case at the step it was closed from (new information, a relapse)."""
    require(by, "case.reopen")
    if not note.strip():
        raise ServiceError(_("Hãy ghi lý do mở lại hồ sơ."))
    last_close = (
        CaseEvent.objects.filter(case=case, to_status=Case.Status.CLOSED).order_by("-at", "-pk")
    ).first()
    back_to = (last_close.from_status if last_close else "") or Case.Status.IN_PROGRESS
    return _transition(
        case,
        by=by,
        version=version,
        allowed_from=(Case.Status.CLOSED,),
        to=back_to,
        changes={"closure_outcome": "", "closed_at": None},
        note=note,
    )


@transaction.atomic
def plan_action_done(*, action: CasePlanAction, by, done_on: date | None = None) -> None:
    """The responsible agency (or the officer) marks a plan action done."""
    role = require(by, "case.action_done")
    if role != Role.CASE_OFFICER and action.agency_id != agency_id_of(by):
        raise PermissionDenied(_("Hoạt động này do cơ quan khác thực hiện."))
    action.done_on = done_on or timezone.localdate()
    action.save(update_fields=["done_on"])
    CaseEvent.objects.create(
        case=action.case,
        from_status=action.case.status,
        to_status=action.case.status,
        by=by,
        note=_("Hoàn thành: %(action)s") % {"action": action.action},
    )


def _child_in_scope(child: Child, by) -> None:
    if not Child.objects.for_user(by).filter(pk=child.pk).exists():
        raise PermissionDenied(_("Anh/chị không được xem thông tin của trẻ này."))


@transaction.atomic
def referral_create(
    *, child: Child, agency: Agency, by, case: Case | None = None, needs: str = ""
) -> Referral:
    """Refer a child to the health station or a mass organisation, who then see the child
    (name, group, needs) and act on the referral."""
    require(by, "case.refer")
    if case is not None and case.child_id != child.pk:
        raise ServiceError(_("Hồ sơ không phải của trẻ này."))
    if Referral.objects.filter(child=child, agency=agency, closed=False).exists():
        raise ServiceError(
            _("Trẻ đã được chuyển gửi đến %(agency)s và việc hỗ trợ chưa xong.")
            % {"agency": agency.name}
        )
    referral = Referral.objects.create(
        child=child, case=case, agency=agency, needs=needs, referred_by=by
    )
    if case is not None:
        CaseEvent.objects.create(
            case=case,
            from_status=case.status,
            to_status=case.status,
            by=by,
            note=_("Chuyển gửi đến %(agency)s") % {"agency": agency.name},
        )
    return referral


@transaction.atomic
def referral_close(*, referral: Referral, by) -> Referral:
    role = require(by, "referral.close")
    if role != Role.CASE_OFFICER and referral.agency_id != agency_id_of(by):
        raise PermissionDenied(_("Việc chuyển gửi này không thuộc cơ quan của anh/chị."))
    referral.closed = True
    referral.closed_on = timezone.localdate()
    referral.closed_by = by
    referral.save(update_fields=["closed", "closed_on", "closed_by"])
    return referral


@transaction.atomic
def support_record(
    *,
    child: Child,
    by,
    kind: str,
    provider: Agency,
    date: date,
    funding_source: str = FundingSource.STATE_BUDGET,
    amount_vnd: int | None = None,
    case: Case | None = None,
    notes: str = "",
) -> Support:
    """A support given to a child. The health station records health checks and
    psychological help, mass organisations scholarships, livelihood and school supplies, each
    as its own agency and only for children it may see; the officer records any kind."""
    role = require(by, "support.record")
    _child_in_scope(child, by)
    if role != Role.CASE_OFFICER:
        if kind not in SUPPORT_KINDS_BY_ROLE[role]:
            raise PermissionDenied(_("Cơ quan của anh/chị không ghi nhận hình thức hỗ trợ này."))
        if provider.pk != agency_id_of(by):
            raise PermissionDenied(_("Chỉ ghi nhận hỗ trợ do chính cơ quan mình thực hiện."))
    if kind not in SupportKind.values:
        raise ServiceError(_("Hình thức hỗ trợ không hợp lệ."))
    if funding_source not in FundingSource.values:
        raise ServiceError(_("Nguồn kinh phí không hợp lệ."))
    if amount_vnd is not None and amount_vnd < 0:
        raise ServiceError(_("Giá trị hỗ trợ không được âm."))
    if case is not None and case.child_id != child.pk:
        raise ServiceError(_("Hồ sơ không phải của trẻ này."))
    support = Support(
        child=child,
        case=case,
        kind=kind,
        provider=provider,
        date=date,
        amount_vnd=amount_vnd,
        funding_source=funding_source,
        notes=notes,
        recorded_by=by,
    )
    full_clean(support, exclude=["recorded_by"])
    support.save()
    return support


@transaction.atomic
def followup_record(
    *,
    child: Child,
    by,
    date: date,
    working_unlawfully: bool,
    in_school: bool,
    notes: str = "",
    case: Case | None = None,
) -> FollowUp:
    """A follow-up visit (theo dõi, đánh giá). Those counted towards closing a case as
    withdrawn are the case's own."""
    role = require(by, "followup.record")
    _child_in_scope(child, by)
    if case is not None:
        if role == Role.COLLABORATOR:
            raise PermissionDenied(_("Cộng tác viên không cập nhật hồ sơ vụ việc."))
        if case.child_id != child.pk:
            raise ServiceError(_("Hồ sơ không phải của trẻ này."))
        if case.status == Case.Status.CLOSED:
            raise ServiceError(_("Hồ sơ đã kết thúc; hãy mở lại trước khi ghi theo dõi."))
    followup = FollowUp(
        child=child,
        case=case,
        date=date,
        working_unlawfully=working_unlawfully,
        in_school=in_school,
        notes=notes,
        by=by,
    )
    full_clean(followup)
    followup.save()
    return followup


# --- Intake -------------------------------------------------------------------------------


@transaction.atomic
def intake_create(
    *,
    by,
    channel: str,
    description: str,
    received_at=None,
    reporter_name: str = "",
    reporter_phone: str = "",
    location: str = "",
    group=None,
    child: Child | None = None,
    business=None,
) -> IntakeReport:
    """Record information received by any channel. A collaborator's tip is always of the
    collaborator channel and for one of their own groups."""
    role = require(by, "intake.record")
    if role == Role.COLLABORATOR:
        channel = IntakeChannel.COLLABORATOR
        if group is None or group.pk not in group_ids_of(by):
            raise PermissionDenied(_("Cộng tác viên chỉ báo tin trong tổ dân phố mình phụ trách."))
    if child is not None:
        _child_in_scope(child, by)
    if channel not in IntakeChannel.values:
        raise ServiceError(_("Kênh tiếp nhận không hợp lệ."))
    intake = IntakeReport(
        channel=channel,
        description=description.strip(),
        received_at=received_at or timezone.now(),
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        anonymous=not (reporter_name.strip() or reporter_phone.strip()),
        location=location.strip(),
        group=group or (child.household.group if child is not None else None),
        child=child,
        business=business,
        received_by=by,
    )
    full_clean(intake)
    intake.save()
    return intake


@transaction.atomic
def intake_update(*, intake: IntakeReport, by, **fields) -> IntakeReport:
    """Correct the recorded content of a report (INTAKE_EDIT_FIELDS); its triage is kept."""
    require(by, "intake.edit")
    unknown = set(fields) - set(INTAKE_EDIT_FIELDS)
    if unknown:
        raise ValueError(f"intake_update cannot change {sorted(unknown)}")
    if "channel" in fields and fields["channel"] not in IntakeChannel.values:
        raise ServiceError(_("Kênh tiếp nhận không hợp lệ."))
    for name, value in fields.items():
        setattr(intake, name, value.strip())
    if not intake.description:
        raise ServiceError(_("Hãy nhập nội dung phản ánh."))
    intake.anonymous = not (intake.reporter_name or intake.reporter_phone)
    full_clean(intake)
    save_versioned(intake, update_fields=[*fields, "anonymous"])
    return intake


@transaction.atomic
def public_tip_submit(
    *,
    description: str,
    location: str = "",
    group=None,
    reporter_name: str = "",
    reporter_phone: str = "",
) -> IntakeReport:
    """A citizen's report from the public web form (no login)."""
    intake = IntakeReport(
        channel=IntakeChannel.WEB_FORM,
        description=description.strip(),
        location=location.strip(),
        group=group,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        anonymous=not (reporter_name.strip() or reporter_phone.strip()),
    )
    full_clean(intake)
    intake.save()
    return intake


_OPEN_INTAKE = (IntakeReport.Status.NEW, IntakeReport.Status.VERIFYING)


def _intake_open(intake: IntakeReport) -> None:
    if intake.status not in _OPEN_INTAKE:
        raise ServiceError(
            _("Phản ánh này đã được xử lý (%(status)s).") % {"status": intake.get_status_display()}
        )


@transaction.atomic
def intake_link_child(*, intake: IntakeReport, by, child: Child) -> IntakeReport:
    """Triage: the report is about this child (found by search); verification under way."""
    require(by, "intake.triage")
    _intake_open(intake)
    intake.child = child
    intake.status = IntakeReport.Status.VERIFYING
    intake.group = intake.group or child.household.group
    save_versioned(intake, update_fields=["child", "status", "group"])
    return intake


@transaction.atomic
def intake_open_case(
    *,
    intake: IntakeReport,
    by,
    child: Child | None = None,
    emergency: bool = False,
    assigned_to=None,
) -> Case:
    require(by, "intake.triage")
    _intake_open(intake)
    child = child or intake.child
    if child is None:
        raise ServiceError(_("Hãy chọn trẻ em mà phản ánh đề cập trước khi mở hồ sơ."))
    return case_open(
        child=child,
        by=by,
        intake=intake,
        emergency=emergency,
        summary=intake.description[:1000],
        assigned_to=assigned_to or by,
    )


@transaction.atomic
def intake_dismiss(
    *,
    intake: IntakeReport,
    by,
    status: str,
    note: str = "",
    duplicate_of: IntakeReport | None = None,
) -> IntakeReport:
    """Triage without a case: unfounded, or a duplicate of another report."""
    require(by, "intake.triage")
    _intake_open(intake)
    if status == IntakeReport.Status.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == intake.pk:
            raise ServiceError(_("Hãy chọn phản ánh mà phản ánh này trùng với."))
        intake.duplicate_of = duplicate_of
    elif status == IntakeReport.Status.UNFOUNDED:
        if not note.strip():
            raise ServiceError(_("Hãy ghi lý do kết luận phản ánh không có cơ sở."))
    else:
        raise ServiceError(_("Kết quả xử lý không hợp lệ."))
    intake.status = status
    intake.triage_note = note
    save_versioned(intake, update_fields=["status", "triage_note", "duplicate_of"])
    return intake


# --- Attachments ----------------------------------------------------------------------------

# Extension → the type its first bytes must show. Nothing else is accepted: HTML, SVG and
# scripts never get in, whatever they are named.
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff_type(uploaded) -> str | None:
    """The real type of an uploaded file from its content (magic bytes), or None."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return ATTACHMENT_TYPES[".docx"]
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return ATTACHMENT_TYPES[".xlsx"]
    return None


def attachment_check(uploaded) -> str:
    """Validate an upload; returns its sniffed content type or raises ServiceError."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ServiceError(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {
                "size": f"{uploaded.size / 1048576:.1f}".replace(".", ","),
                "limit": f"{limit / 1048576:.0f}",
            }
        )
    if uploaded.size == 0:
        raise ServiceError(_("Tệp rỗng."))
    ext = Path(uploaded.name or "").suffix.lower()
    expected = ATTACHMENT_TYPES.get(ext)
    if expected is None:
        raise ServiceError(
            _("Chỉ nhận tệp PDF, JPG, PNG, DOCX hoặc XLSX (tệp «%(name)s» không được phép).")
            % {"name": uploaded.name}
        )
    if sniff_type(uploaded) != expected:
        raise ServiceError(
            _(
                "Nội dung tệp «%(name)s» không đúng với định dạng %(ext)s; "
                "tệp có thể bị đổi tên hoặc bị hỏng."
            )
            % {"name": uploaded.name, "ext": ext.lstrip(".").upper()}
        )
    return expected


@transaction.atomic
def attachment_add(
    *,
    by,
    uploaded,
    kind: str,
    child: Child | None = None,
    case: Case | None = None,
    description: str = "",
) -> Attachment:
    """Attach a file to a case (officers) or to a child (officers; collaborators for children
    of their own groups). Stored under a random name; served only by the download view."""
    role = require(by, "attachment.upload")
    if case is not None:
        if role != Role.CASE_OFFICER:
            raise PermissionDenied(_("Chỉ công chức VH-XH đính kèm tài liệu vào hồ sơ vụ việc."))
        child = case.child
    if child is None:
        raise ServiceError(_("Tài liệu cần gắn với một trẻ em hoặc một hồ sơ."))
    _child_in_scope(child, by)
    if kind not in AttachmentKind.values:
        raise ServiceError(_("Hãy chọn loại tài liệu."))
    content_type = attachment_check(uploaded)
    original = Path(uploaded.name).name[:255]
    attachment = Attachment(
        child=child,
        case=case,
        kind=kind,
        description=description,
        original_name=original,
        content_type=content_type,
        size=uploaded.size,
        uploaded_by=by,
    )
    attachment.file.save(original, uploaded, save=False)
    attachment.save()
    return attachment
