"""Coordination on pages of the apps below (the task list, the case page): those apps never
import coordination; their templates load these tags."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dongnguyen.paging import choice_labels, presence, row_url
from dongnguyen.permissions import may

from ..models import AgencyInput, Meeting, MeetingAction

register = template.Library()

# What a row of each list shows (its link, what is due and when, whose it is): the joined
# meeting, agency and group have a dozen more columns each, and the report inputs their
# figures and three texts, compiled and read on every request of the task list otherwise.
ACTION_COLUMNS = ("meeting_id", "meeting__kind", "meeting__date", "what", "agency__name", "due_on")
INPUT_COLUMNS = ("kind", "period", "due_on", "agency__name", "group__code", "group__name")


def _overdue_badge(rows) -> str:
    """The task list's "overdue" badge, rendered once for a list (not included at each row)."""
    return render_to_string("children/_deadline.html", {"state": "overdue"}) if rows else ""


@register.inclusion_tag("coordination/_my_actions.html")
def my_meeting_actions(user):
    """The open meeting actions this user (or their agency) is responsible for. Each row's
    links, meeting kind and lateness are worked out here once per page, as the task list's own
    rows are: a {% url %} and get_kind_display() per row resolved the URLconf and rebuilt the
    choices at every row."""
    shown = may(user, "meeting.view")
    actions = []
    if shown:
        actions = list(
            MeetingAction.objects.for_user(user)
            .responsible(user)
            .open()
            .select_related("meeting", "agency")
            .only(*ACTION_COLUMNS)
            .order_by("due_on", "pk")[:100]
        )
    today = timezone.localdate()
    meeting_url = row_url("coordination:meeting_detail")
    done_url = row_url("coordination:action_done")
    kinds = choice_labels(Meeting, "kind")
    for a in actions:
        a.url = meeting_url(a.meeting_id)
        a.done_url = done_url(a.pk)
        a.kind_label = kinds.get(a.meeting.kind, a.meeting.kind)
        a.late = a.due_on < today
    return {
        "actions": actions,
        "overdue": _overdue_badge(actions),
        "back": reverse("children:tasks") if actions else "",
        "can_close": may(user, "meeting.action_done"),
        "shown": shown,
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
    today = timezone.localdate()
    input_url = row_url("coordination:input_detail")
    for i in items:
        i.url = input_url(i.pk)
        i.late = i.due_on < today
    return {"items": items, "overdue": _overdue_badge(items), "shown": shown}


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
