"""Writes of the funding app."""

from django.db import transaction
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError, full_clean
from dongnguyen.permissions import require
from dongnguyen.roles import ward_id_of

from .models import BudgetEstimate, Donation, Donor


@transaction.atomic
def estimate_save(*, estimate: BudgetEstimate, by) -> BudgetEstimate:
    require(by, "budget.edit")
    if estimate.pk is None and ward_id_of(by) is not None:
        estimate.ward_id = ward_id_of(by)
    full_clean(estimate)
    estimate.save()
    return estimate


@transaction.atomic
def donor_save(*, donor: Donor, by) -> Donor:
    require(by, "donation.edit")
    if donor.pk is None and ward_id_of(by) is not None:
        donor.ward_id = ward_id_of(by)
    full_clean(donor)
    donor.save()
    return donor


@transaction.atomic
def donation_save(*, donation: Donation, by) -> Donation:
    require(by, "donation.edit")
    if donation.pk is None:
        donation.recorded_by = by
        if ward_id_of(by) is not None:
            donation.ward_id = ward_id_of(by)
    if not Donor.objects.for_user(by).filter(pk=donation.donor_id).exists():
        raise ServiceError({"donor": _("Nhà tài trợ ngoài phạm vi được phép.")})
    full_clean(donation, exclude=["recorded_by"])
    if donation.pk and donation.value < donation.spent_excluding():
        raise ServiceError(_("Giá trị khoản tài trợ không được nhỏ hơn số đã dùng cho hỗ trợ."))
    donation.save()
    return donation
