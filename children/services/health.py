"""Health checks by the health station (plan IV.2)."""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from dongnguyen.errors import full_clean
from dongnguyen.permissions import require

from ..models import Child, HealthCheck, WorkRecord
from .care import _child_in_scope


@transaction.atomic
def healthcheck_record(*, check: HealthCheck, by) -> HealthCheck:
    require(by, "health.record")
    _child_in_scope(check.child, by)
    check.by = by
    full_clean(check)
    check.save()
    return check


def children_needing_health_check(user):
    """The health station's task: children in unlawful work now (an open record, lawful =
    False) with no health check dated on or after the work started."""
    open_work = WorkRecord.objects.filter(
        child_id=OuterRef("pk"), lawful=False, ended_on__isnull=True
    )
    checked_since = HealthCheck.objects.filter(
        child_id=OuterRef("child_id"), date__gte=OuterRef("started_on")
    )
    unchecked_work = open_work.filter(~Q(Exists(checked_since)))
    return Child.objects.for_user(user).filter(Exists(unchecked_work))
