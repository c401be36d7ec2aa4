"""Writes on households and caregivers."""

from django.db import transaction

from dongnguyen.versioning import save_versioned

from .models import Caregiver, Household


@transaction.atomic
def household_save(*, household: Household, by) -> Household:
    save_versioned(household)
    return household


@transaction.atomic
def caregiver_save(*, caregiver: Caregiver, by) -> Caregiver:
    save_versioned(caregiver)
    return caregiver


@transaction.atomic
def caregiver_delete(*, caregiver: Caregiver, by) -> None:
    caregiver.delete()
