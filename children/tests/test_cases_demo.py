"""The demo cases: every workflow step, some overdue, withdrawn and unfounded closures."""

from django.contrib.auth import get_user_model

from children.models import Case, IntakeReport, Referral, deadline_cutoffs
from children.services import withdrawn_evidence
from portal import demo


def test_it_seeds_cases_at_every_step_some_overdue(db):
    ctx = demo.new_context()
    demo.seed(ctx)
    from children import demo_cases

    demo_cases.seed(ctx)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(Case.Status.values)
    assert Case.objects.overdue(deadline_cutoffs()).count() >= 2
    withdrawn = Case.objects.get(closure_outcome="withdrawn")
    assert withdrawn_evidence(withdrawn) is not None
    assert Case.objects.filter(closure_outcome="unfounded").exists()
    assert len(set(IntakeReport.objects.values_list("channel", flat=True))) >= 7
    assert Referral.objects.filter(agency__code="yte", closed=False).exists()
    assert Referral.objects.filter(agency__code="hoiphunu", closed=False).exists()
    assert get_user_model().objects.filter(username="yte").exists()
