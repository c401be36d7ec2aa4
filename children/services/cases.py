"""The Decree 56 case workflow: opening, assessment, plan, approval, monitoring, closing and reopening (steps and roles in dongnguyen.permissions.TRANSITIONS)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError, StaleVersionError
from dongnguyen.permissions import require
from dongnguyen.roles import Role, agency_id_of, role_of
from dongnguyen.text import person_name
from dongnguyen.versioning import bump_version, claim_version, save_versioned

from ..models import (
    Case,
    CaseAssessmentItem,
    CaseEvent,
    CasePlanAction,
    Child,
    FollowUp,
    IntakeReport,
    WorkRecord,
)


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
def case_plan_send_back(*, case: Case, by, version: int, note: str = "") -> Case:
    """Leadership sends the draft plan back ("trả lại, yêu cầu sửa"): the case returns to the
    officer at "assessed", with the leader's note saying what to change."""
    require(by, "case.send_back")
    if not (note or "").strip():
        raise ServiceError(_("Ghi rõ nội dung yêu cầu sửa khi trả lại kế hoạch."))
    return _transition(
        case,
        by=by,
        version=version,
        allowed_from=(Case.Status.PLAN_DRAFTED,),
        to=Case.Status.ASSESSED,
        note=note.strip(),
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
        bump_version(record)  # an edit form opened before must not reopen it


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
