"""Writes of the funding app."""

from django.db import transaction

from dongnguyen.errors import full_clean
from dongnguyen.permissions import require
from dongnguyen.roles import ward_id_of

from .models import BudgetEstimate


@transaction.atomic
def estimate_save(*, estimate: BudgetEstimate, by) -> BudgetEstimate:
    require(by, "budget.edit")
    if estimate.pk is None and ward_id_of(by) is not None:
        estimate.ward_id = ward_id_of(by)
    full_clean(estimate)
    estimate.save()
    return estimate
