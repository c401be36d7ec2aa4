"""seed_demo's inspections and outreach modules on an empty household register."""

import pytest
from django.utils import timezone

from inspections import demo as inspections_demo
from inspections.models import Business, Commitment, Inspection, Violation
from outreach import demo as outreach_demo
from outreach.coverage import coverage_by_group
from outreach.models import OutreachSession, Training
from portal import demo


@pytest.mark.django_db
def test_it_seeds_businesses_inspections_sessions_and_trainings():
    ctx = demo.new_context()
    demo.seed(ctx)
    inspections_demo.seed(ctx)
    outreach_demo.seed(ctx)
    assert Business.objects.count() == 40
    assert Inspection.objects.filter(status="done").exists()
    assert Inspection.objects.overdue().exists()
    assert Violation.objects.filter(status="open").exists()
    assert Violation.objects.filter(status="penalty_decided", fine_vnd__gt=0).exists()
    assert Commitment.objects.filter(business__isnull=False).exists()
    assert Commitment.objects.filter(household__isnull=False).exists()  # from minors' households
    rows = coverage_by_group(ctx.groups, timezone.localdate().year)
    assert sorted(r.group.code for r in rows if not r.sessions) == ["TDP-06", "TDP-11"]
    assert OutreachSession.objects.filter(group__isnull=True).exists()
    assert Training.objects.filter(participants=ctx.users["ctv1"]).exists()
