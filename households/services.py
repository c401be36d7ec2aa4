"""Writes on households and caregivers."""

from django.db import transaction
from django.utils import timezone

from dongnguyen.errors import full_clean
from dongnguyen.permissions import require
from dongnguyen.versioning import save_versioned

from .models import Caregiver, Household, HouseholdScreening


@transaction.atomic
def household_save(*, household: Household, by) -> Household:
    full_clean(household)
    save_versioned(household)
    return household


@transaction.atomic
def caregiver_save(*, caregiver: Caregiver, by) -> Caregiver:
    full_clean(caregiver)
    save_versioned(caregiver)
    return caregiver


@transaction.atomic
def caregiver_delete(*, caregiver: Caregiver, by) -> None:
    caregiver.delete()


@transaction.atomic
def household_screen(
    *, household: Household, by, at_risk: bool, reasons: str = "", on=None
) -> HouseholdScreening:
    """The household's yearly screening: at risk (with the reasons) or not, on a date."""
    require(by, "household.screen")
    screening = HouseholdScreening(
        household=household,
        by=by,
        at_risk=at_risk,
        reasons=reasons,
        date=on or timezone.localdate(),
    )
    full_clean(screening, exclude=["by"])  # who screened is the caller's, not a row rule
    screening.save()
    return screening
