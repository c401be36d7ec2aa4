"""Writes on meetings and their actions. Views, seed_demo and tests go through these."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError, full_clean
from dongnguyen.permissions import may, require
from dongnguyen.roles import ward_id_of

from .models import Meeting, MeetingAction


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
