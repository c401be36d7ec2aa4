"""Writes on households and caregivers."""

from django.db import transaction

from .models import Caregiver, Household


@transaction.atomic
def household_save(*, household: Household, by) -> Household:
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def caregiver_save(*, caregiver: Caregiver, by) -> Caregiver:
    caregiver.full_clean()
    caregiver.save()
    return caregiver


@transaction.atomic
def caregiver_delete(*, caregiver: Caregiver, by) -> None:
    caregiver.delete()
