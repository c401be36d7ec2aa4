"""What is done for a child in a case: referrals to agencies, supports and follow-up visits."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError, full_clean
from dongnguyen.models import Agency
from dongnguyen.permissions import require
from dongnguyen.roles import Role, agency_id_of

from ..models import (
    Case,
    CaseEvent,
    Child,
    FollowUp,
    FundingSource,
    Referral,
    Support,
    SupportKind,
)

SUPPORT_KINDS_BY_ROLE = {
    Role.HEALTH: {SupportKind.HEALTH_CHECK, SupportKind.PSYCHOLOGICAL},
    Role.MASS_ORG: {SupportKind.SCHOLARSHIP, SupportKind.LIVELIHOOD, SupportKind.SCHOOL_SUPPLIES},
}


def _child_in_scope(child: Child, by) -> None:
    if not Child.objects.for_user(by).filter(pk=child.pk).exists():
        raise PermissionDenied(_("Anh/chị không được xem thông tin của trẻ này."))


@transaction.atomic
def referral_create(
    *, child: Child, agency: Agency, by, case: Case | None = None, needs: str = ""
) -> Referral:
    """Refer a child to the health station or a mass organisation, who then see the child
    (name, group, needs) and act on the referral."""
    require(by, "case.refer")
    if case is not None and case.child_id != child.pk:
        raise ServiceError(_("Hồ sơ không phải của trẻ này."))
    if Referral.objects.filter(child=child, agency=agency, closed=False).exists():
        raise ServiceError(
            _("Trẻ đã được chuyển gửi đến %(agency)s và việc hỗ trợ chưa xong.")
            % {"agency": agency.name}
        )
    referral = Referral.objects.create(
        child=child, case=case, agency=agency, needs=needs, referred_by=by
    )
    if case is not None:
        CaseEvent.objects.create(
            case=case,
            from_status=case.status,
            to_status=case.status,
            by=by,
            note=_("Chuyển gửi đến %(agency)s") % {"agency": agency.name},
        )
    return referral


@transaction.atomic
def referral_close(*, referral: Referral, by) -> Referral:
    role = require(by, "referral.close")
    if role != Role.CASE_OFFICER and referral.agency_id != agency_id_of(by):
        raise PermissionDenied(_("Việc chuyển gửi này không thuộc cơ quan của anh/chị."))
    referral.closed = True
    referral.closed_on = timezone.localdate()
    referral.closed_by = by
    referral.save(update_fields=["closed", "closed_on", "closed_by"])
    return referral


@transaction.atomic
def support_record(
    *,
    child: Child,
    by,
    kind: str,
    provider: Agency,
    date: date,
    funding_source: str = FundingSource.STATE_BUDGET,
    amount_vnd: int | None = None,
    case: Case | None = None,
    notes: str = "",
    donation=None,
) -> Support:
    """A support given to a child. The health station records health checks and
    psychological help, mass organisations scholarships, livelihood and school supplies, each
    as its own agency and only for children it may see; the officer records any kind."""
    role = require(by, "support.record")
    _child_in_scope(child, by)
    if role != Role.CASE_OFFICER:
        if kind not in SUPPORT_KINDS_BY_ROLE[role]:
            raise PermissionDenied(_("Cơ quan của anh/chị không ghi nhận hình thức hỗ trợ này."))
        if provider.pk != agency_id_of(by):
            raise PermissionDenied(_("Chỉ ghi nhận hỗ trợ do chính cơ quan mình thực hiện."))
    if kind not in SupportKind.values:
        raise ServiceError(_("Hình thức hỗ trợ không hợp lệ."))
    if funding_source not in FundingSource.values:
        raise ServiceError(_("Nguồn kinh phí không hợp lệ."))
    if amount_vnd is not None and amount_vnd < 0:
        raise ServiceError(_("Giá trị hỗ trợ không được âm."))
    if case is not None and case.child_id != child.pk:
        raise ServiceError(_("Hồ sơ không phải của trẻ này."))
    support = Support(
        child=child,
        case=case,
        kind=kind,
        provider=provider,
        date=date,
        amount_vnd=amount_vnd,
        funding_source=funding_source,
        notes=notes,
        recorded_by=by,
    )
    if donation is not None:
        from funding.models import Donation

        # Locked: two supports drawn at once cannot both take the last of a donation.
        donation = Donation.objects.for_user(by).select_for_update().filter(pk=donation.pk).first()
        if donation is None:
            raise ServiceError({"donation": _("Khoản tài trợ ngoài phạm vi được phép.")})
        support.donation = donation
        support.funding_source = FundingSource.SOCIAL_MOBILIZATION
    full_clean(support, exclude=["recorded_by"])
    support.save()
    return support


@transaction.atomic
def followup_record(
    *,
    child: Child,
    by,
    date: date,
    working_unlawfully: bool,
    in_school: bool,
    notes: str = "",
    case: Case | None = None,
) -> FollowUp:
    """A follow-up visit (theo dõi, đánh giá). Those counted towards closing a case as
    withdrawn are the case's own."""
    role = require(by, "followup.record")
    _child_in_scope(child, by)
    if case is not None:
        if role == Role.COLLABORATOR:
            raise PermissionDenied(_("Cộng tác viên không cập nhật hồ sơ vụ việc."))
        if case.child_id != child.pk:
            raise ServiceError(_("Hồ sơ không phải của trẻ này."))
        if case.status == Case.Status.CLOSED:
            raise ServiceError(_("Hồ sơ đã kết thúc; hãy mở lại trước khi ghi theo dõi."))
    followup = FollowUp(
        child=child,
        case=case,
        date=date,
        working_unlawfully=working_unlawfully,
        in_school=in_school,
        notes=notes,
        by=by,
    )
    full_clean(followup)
    followup.save()
    return followup
