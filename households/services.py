"""Writes on households and caregivers."""

from django.db import transaction

from dongnguyen.errors import full_clean

from .models import Caregiver, Household


@transaction.atomic
def household_save(*, household: Household, by) -> Household:
    full_clean(household)
    household.save()
    return household


@transaction.atomic
def caregiver_save(*, caregiver: Caregiver, by) -> Caregiver:
    full_clean(caregiver)
    caregiver.save()
    return caregiver


@transaction.atomic
def caregiver_delete(*, caregiver: Caregiver, by) -> None:
    caregiver.delete()
