"""Writes on meetings and their actions. Views, seed_demo and tests go through these."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError, full_clean
from dongnguyen.permissions import may, require
from dongnguyen.roles import ward_id_of, ward_of

from .models import (
    AGENCY_OF_KIND,
    AgencyInput,
    InputKind,
    Meeting,
    MeetingAction,
    Practice,
    PracticeAttachment,
)


@transaction.atomic
def meeting_save(*, meeting: Meeting, by, agencies=None) -> Meeting:
    require(by, "meeting.edit")
    if meeting.pk is None:
        meeting.created_by = by
        if ward_id_of(by) is not None:
            meeting.ward_id = ward_id_of(by)
    if meeting.case_id:
        from children.models import Case

        if not Case.objects.for_user(by).filter(pk=meeting.case_id).exists():
            raise ServiceError({"case": _("Hồ sơ ngoài phạm vi được phép.")})
    full_clean(meeting, exclude=["created_by"])
    meeting.save()
    if agencies is not None:
        meeting.agencies.set(agencies)
    return meeting


@transaction.atomic
def action_save(*, action: MeetingAction, by) -> MeetingAction:
    require(by, "meeting.edit")
    full_clean(action)
    action.save()
    return action


def may_close(user, action: MeetingAction) -> bool:
    """The officer closes any action; others only those they (or their agency) answer for."""
    if may(user, "meeting.edit"):
        return True
    return MeetingAction.objects.responsible(user).filter(pk=action.pk).exists()


@transaction.atomic
def action_done(*, action: MeetingAction, by, done_on=None) -> MeetingAction:
    require(by, "meeting.action_done")
    if not may_close(by, action):
        raise ServiceError(_("Việc này không do anh/chị hoặc cơ quan của anh/chị phụ trách."))
    if action.status != MeetingAction.Status.OPEN:
        raise ServiceError(_("Việc này đã được đóng."))
    action.status = MeetingAction.Status.DONE
    action.done_on = done_on or timezone.localdate()
    full_clean(action)
    action.save(update_fields=["status", "done_on"])
    return action


# ---------------------------------------------------------------------------------------------
# Agency inputs to the periodic report


@transaction.atomic
def inputs_request(*, by, period: str, start, end, due_on, ward=None) -> list[AgencyInput]:
    """Ask the health station, the police and every active residential group of the ward for
    their input to the report of [start, end]. Safe to run twice: an input already asked for
    keeps its figures; one not yet sent takes the new due date."""
    from dongnguyen.models import Agency
    from households.models import ResidentialGroup

    require(by, "agency_input.manage")
    ward = ward or ward_of(by)
    if ward_id_of(by) is not None and ward.pk != ward_id_of(by):
        raise ServiceError(_("Phường ngoài phạm vi được phép."))
    agencies = {a.code: a for a in Agency.objects.filter(code__in=AGENCY_OF_KIND.values())}
    wanted = [
        {"kind": kind, "agency": agencies.get(code), "group": None}
        for kind, code in AGENCY_OF_KIND.items()
    ]
    groups = ResidentialGroup.objects.filter(ward=ward, active=True).order_by("code")
    wanted += [{"kind": InputKind.GROUP, "agency": None, "group": g} for g in groups]
    existing = {
        (i.kind, i.group_id): i
        for i in AgencyInput.objects.filter(ward=ward, period_start=start, period_end=end)
    }
    out = []
    for w in wanted:
        item = existing.get((w["kind"], w["group"].pk if w["group"] else None))
        if item is None:
            item = AgencyInput(
                ward=ward,
                period=period,
                period_start=start,
                period_end=end,
                due_on=due_on,
                requested_by=by,
                **w,
            )
            full_clean(item, exclude=["requested_by"])
            item.save()
        elif item.submitted_at is None and item.due_on != due_on:
            item.due_on = due_on
            full_clean(item)
            item.save(update_fields=["due_on"])
        out.append(item)
    return out


@transaction.atomic
def input_submit(
    *, agency_input: AgencyInput, by, figures: dict, results: str, difficulties="", proposals=""
) -> AgencyInput:
    """The agency (or the officer on its behalf) sends its figures and texts. Sending again
    corrects them; the first sending time stays, so a late input stays late."""
    require(by, "agency_input.fill")
    item = AgencyInput.objects.select_for_update().filter(pk=agency_input.pk).order_by().first()
    if item is None or not AgencyInput.objects.for_user(by).filter(pk=item.pk).exists():
        raise ServiceError(_("Báo cáo này không thuộc đơn vị của anh/chị."))
    item.figures = dict(figures)
    item.results = (results or "").strip()
    item.difficulties = (difficulties or "").strip()
    item.proposals = (proposals or "").strip()
    item.submitted_at = item.submitted_at or timezone.now()
    item.submitted_by = by
    full_clean(item)
    item.save(
        update_fields=[
            "figures",
            "results",
            "difficulties",
            "proposals",
            "submitted_at",
            "submitted_by",
        ]
    )
    agency_input.__dict__.update(item.__dict__)
    return item


# ---------------------------------------------------------------------------------------------
# Good practices


@transaction.atomic
def practice_save(*, practice: Practice, by, attachment=None) -> Practice:
    require(by, "practice.edit")
    if practice.pk is None:
        practice.created_by = by
        if ward_id_of(by) is not None:
            practice.ward_id = ward_id_of(by)
    full_clean(practice, exclude=["created_by"])
    practice.save()
    if attachment:
        practice_attach(practice=practice, by=by, file=attachment)
    return practice


@transaction.atomic
def practice_attach(*, practice: Practice, by, file, name: str = "") -> PracticeAttachment:
    require(by, "practice.edit")
    item = PracticeAttachment(
        practice=practice,
        file=file,
        name=(name or getattr(file, "name", "") or "")[:200],
        uploaded_by=by,
    )
    full_clean(item, exclude=["uploaded_by"])
    item.save()
    return item
