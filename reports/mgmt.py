"""The management duties in the periodic report (issue 15): coordination meetings and their
actions, funding against the estimate, mobilized resources, the agencies' inputs. Counts and
sums, never a child's name; the KPIs stay in catalogue.py."""

from django.db.models import Count, F, Q

from coordination.models import Meeting, MeetingAction

from .periods import Period


def _ward(qs, ward_id, field="ward_id"):
    return qs if ward_id is None else qs.filter(**{field: ward_id})


def meetings(p: Period, ward_id=None) -> dict:
    """Meetings held in P by kind; actions due in P (not dropped), done, done by their due date."""
    held = _ward(Meeting.objects.filter(date__gte=p.start, date__lte=p.end), ward_id)
    by_kind = dict(held.order_by().values_list("kind").annotate(n=Count("pk")))
    actions = _ward(
        MeetingAction.objects.filter(due_on__gte=p.start, due_on__lte=p.end).exclude(
            status=MeetingAction.Status.DROPPED
        ),
        ward_id,
        "meeting__ward_id",
    )
    done = Q(status=MeetingAction.Status.DONE)
    a = actions.aggregate(
        due=Count("pk"),
        done=Count("pk", filter=done),
        on_time=Count("pk", filter=done & Q(done_on__lte=F("due_on"))),
    )
    return {
        "held": sum(by_kind.values()),
        "periodic": by_kind.get(Meeting.Kind.PERIODIC, 0),
        "adhoc": by_kind.get(Meeting.Kind.ADHOC, 0),
        "case_conference": by_kind.get(Meeting.Kind.CASE_CONFERENCE, 0),
        "actions_due": a["due"],
        "actions_done": a["done"],
        "actions_on_time": a["on_time"],
    }


def report_section(p: Period, ward_id=None) -> dict:
    return {"meetings": meetings(p, ward_id)}
