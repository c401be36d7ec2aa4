"""Coordination on pages of the apps below (the task list, the case page): those apps never
import coordination; their templates load these tags."""

from django import template
from django.utils import timezone

from dongnguyen.paging import presence
from dongnguyen.permissions import may

from ..models import AgencyInput, Meeting, MeetingAction

register = template.Library()

# What a row of each list shows (its link, what is due and when, whose it is): the joined
# meeting, agency and group have a dozen more columns each, and the report inputs their
# figures and three texts, compiled and read on every request of the task list otherwise.
ACTION_COLUMNS = ("meeting_id", "meeting__kind", "meeting__date", "what", "agency__name", "due_on")
INPUT_COLUMNS = ("kind", "period", "due_on", "agency__name", "group__code", "group__name")


@register.inclusion_tag("coordination/_my_actions.html")
def my_meeting_actions(user):
    """The open meeting actions this user (or their agency) is responsible for."""
    actions = []
    if may(user, "meeting.view"):
        actions = list(
            MeetingAction.objects.for_user(user)
            .responsible(user)
            .open()
            .select_related("meeting", "agency")
            .only(*ACTION_COLUMNS)
            .order_by("due_on", "pk")[:100]
        )
    return {
        "actions": actions,
        "today": timezone.localdate(),
        "can_close": may(user, "meeting.action_done"),
        "shown": may(user, "meeting.view"),
    }


@register.inclusion_tag("coordination/_my_inputs.html")
def my_agency_inputs(user):
    """The report inputs this user's agency or group has not sent yet (the officer, who may
    fill any, is shown every one still missing)."""
    shown = may(user, "agency_input.fill")
    items = []
    if shown:
        items = list(
            AgencyInput.objects.for_user(user)
            .pending()
            .select_related("agency", "group")
            .only(*INPUT_COLUMNS)
            .order_by("due_on", "kind", "group__code", "pk")[:100]
        )
    return {"items": items, "shown": shown, "today": timezone.localdate()}


@register.inclusion_tag("coordination/_case_conferences.html")
def case_conferences(case, user):
    meetings = []
    # Most cases never have a conference: one plain EXISTS instead of the meetings' query.
    if may(user, "meeting.view") and presence(case, "conferences")["conferences"]:
        meetings = list(
            Meeting.objects.for_user(user)
            .filter(case=case)
            .prefetch_related("actions")
            .order_by("-date", "-pk")
        )
    return {
        "meetings": meetings,
        "case": case,
        "can_add": may(user, "meeting.edit"),
    }
