"""Transfers of a child between wards (issue 12.5). Both sides' officers are needed: the
sending ward's officer sends, the receiving ward's officer accepts (choosing or creating the
household the child joins) or refuses.

On acceptance the same Child row moves to a household of the receiving ward: its history
(django-simple-history), screenings, work records, supports, cases and attachments hang off
the child and the case, so they all arrive with it; the open case gets an event saying where
it came from. The sending ward keeps the Transfer row as its read-only closing entry.

KPIs (the rule chosen, reports/kpis.py counts by the child's household group): a child counts
in the ward of their current household. So every period computed after the acceptance counts
the child in the receiving ward; the sending ward's past periods keep the child in the
numbers frozen when they were snapshotted and in its finalized reports, which are what the
province dashboard and report read. A transfer refused or still pending moves nothing."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError, full_clean
from dongnguyen.models import Ward
from dongnguyen.permissions import require
from dongnguyen.roles import ward_id_of
from dongnguyen.versioning import save_versioned
from households.models import Household

from ..models import Case, CaseEvent, Child, Transfer


def _ward_of(child: Child) -> int:
    return child.household.group.ward_id


def _officer_of(by, ward_id: int, message: str) -> None:
    mine = ward_id_of(by)
    if not by.is_superuser and mine != ward_id:
        raise ServiceError(message, code="ward")


@transaction.atomic
def transfer_send(*, child: Child, to_ward: Ward, by, note: str = "") -> Transfer:
    """The sending ward's officer hands the child (and the open case, if any) to another
    ward; nothing moves until that ward accepts."""
    require(by, "transfer.send")
    child = Child.objects.select_for_update().select_related("household__group").get(pk=child.pk)
    from_ward = _ward_of(child)
    _officer_of(by, from_ward, _("Chỉ công chức của phường, xã nơi trẻ đang ở mới chuyển được."))
    transfer = Transfer(
        child=child,
        case=child.cases.open().order_by("-received_at").first(),
        from_ward_id=from_ward,
        to_ward=to_ward,
        from_household=child.household,
        child_label=str(child)[:160],
        note=note.strip(),
        sent_by=by,
        sent_at=timezone.now(),
    )
    full_clean(transfer)
    transfer.save()
    return transfer


def _pending(transfer: Transfer, by) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update()
        .select_related("child__household__group", "to_ward", "from_ward")
        .get(pk=transfer.pk)
    )
    _officer_of(
        by,
        transfer.to_ward_id,
        _("Chỉ công chức của phường, xã nơi đến mới tiếp nhận hoặc từ chối được."),
    )
    if transfer.status != Transfer.Status.SENT:
        raise ServiceError(_("Yêu cầu chuyển này đã được xử lý."), code="decided")
    return transfer


@transaction.atomic
def transfer_accept(
    *,
    transfer: Transfer,
    by,
    household: Household | None = None,
    new_household: Household | None = None,
    note: str = "",
) -> Transfer:
    """The receiving ward's officer takes the child into `household` (of that ward), or into
    `new_household` (unsaved, of a group of that ward), which is created here."""
    require(by, "transfer.decide")
    transfer = _pending(transfer, by)
    if (household is None) == (new_household is None):
        raise ServiceError(
            _("Hãy chọn hộ gia đình nơi đến hoặc nhập một hộ mới."), code="household"
        )
    if new_household is not None:
        if new_household.group_id and new_household.group.ward_id != transfer.to_ward_id:
            raise ServiceError(
                {"group": _("Tổ dân phố phải thuộc phường, xã tiếp nhận.")}, code="ward"
            )
        full_clean(new_household)
        save_versioned(new_household)
        household = new_household
    transfer.to_household = household
    transfer.status = Transfer.Status.ACCEPTED
    transfer.accepted_by = by
    transfer.accepted_at = timezone.now()
    transfer.decision_note = note.strip()
    full_clean(transfer)
    transfer.save()
    child = transfer.child
    child.household = household
    full_clean(child)
    save_versioned(child, update_fields=["household", "updated_at"])
    if transfer.case_id:
        case = Case.objects.select_for_update().get(pk=transfer.case_id)
        CaseEvent.objects.create(
            case=case,
            from_status=case.status,
            to_status=case.status,
            by=by,
            note=_("Tiếp nhận hồ sơ chuyển đến từ %(ward)s.") % {"ward": transfer.from_ward.name},
        )
    return transfer


@transaction.atomic
def transfer_refuse(*, transfer: Transfer, by, note: str) -> Transfer:
    """The receiving ward's officer refuses, with a reason; the child stays where they are."""
    require(by, "transfer.decide")
    transfer = _pending(transfer, by)
    transfer.status = Transfer.Status.REFUSED
    transfer.accepted_by = by
    transfer.accepted_at = timezone.now()
    transfer.decision_note = (note or "").strip()
    full_clean(transfer)
    transfer.save()
    return transfer
