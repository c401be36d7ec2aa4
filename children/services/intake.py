"""Tips and intake reports: recording, editing, the public form, linking to a child, opening a case, dismissing."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dongnguyen.errors import ServiceError, full_clean
from dongnguyen.models import Ward
from dongnguyen.permissions import require
from dongnguyen.roles import Role, group_ids_of, ward_id_of, ward_of
from dongnguyen.versioning import save_versioned

from ..models import (
    Case,
    Child,
    IntakeChannel,
    IntakeReport,
)
from .care import _child_in_scope
from .cases import case_open

# Who may do what: dongnguyen/permissions.py (each service starts with its require()).
INTAKE_EDIT_FIELDS = ("channel", "reporter_name", "reporter_phone", "description", "location")


@transaction.atomic
def intake_create(
    *,
    by,
    channel: str,
    description: str,
    received_at=None,
    reporter_name: str = "",
    reporter_phone: str = "",
    location: str = "",
    group=None,
    child: Child | None = None,
    business=None,
) -> IntakeReport:
    """Record information received by any channel. A collaborator's tip is always of the
    collaborator channel and for one of their own groups."""
    role = require(by, "intake.record")
    if role == Role.COLLABORATOR:
        channel = IntakeChannel.COLLABORATOR
        if group is None or group.pk not in group_ids_of(by):
            raise PermissionDenied(_("Cộng tác viên chỉ báo tin trong tổ dân phố mình phụ trách."))
    if role in (Role.HEALTH, Role.MASS_ORG):
        channel = IntakeChannel.AGENCY
    if child is not None:
        _child_in_scope(child, by)
    if channel not in IntakeChannel.values:
        raise ServiceError(_("Kênh tiếp nhận không hợp lệ."))
    intake = IntakeReport(
        channel=channel,
        description=description.strip(),
        received_at=received_at or timezone.now(),
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        anonymous=not (reporter_name.strip() or reporter_phone.strip()),
        location=location.strip(),
        group=group or (child.household.group if child is not None else None),
        child=child,
        business=business,
        received_by=by,
        ward=_ward_for(by, group, child, business),
    )
    full_clean(intake)
    intake.save()
    return intake


def _ward_for(by, group, child, business):
    """A report lands in the ward of what it is about, else in the ward of who records it;
    something of another ward than the recorder's is refused."""
    ward = ward_of(by)
    for thing_ward_id in (
        group.ward_id if group is not None else None,
        child.household.group.ward_id if child is not None else None,
        business.ward_id if business is not None else None,
    ):
        if thing_ward_id is None:
            continue
        if ward_id_of(by) is not None and thing_ward_id != ward.pk:
            raise PermissionDenied(_("Không thuộc phường, xã của bạn."))
        if thing_ward_id != ward.pk:
            ward = Ward.objects.get(pk=thing_ward_id)
    return ward


@transaction.atomic
def intake_update(*, intake: IntakeReport, by, **fields) -> IntakeReport:
    """Correct the recorded content of a report (INTAKE_EDIT_FIELDS); its triage is kept."""
    require(by, "intake.edit")
    unknown = set(fields) - set(INTAKE_EDIT_FIELDS)
    if unknown:
        raise ValueError(f"intake_update cannot change {sorted(unknown)}")
    if "channel" in fields and fields["channel"] not in IntakeChannel.values:
        raise ServiceError(_("Kênh tiếp nhận không hợp lệ."))
    for name, value in fields.items():
        setattr(intake, name, value.strip())
    if not intake.description:
        raise ServiceError(_("Hãy nhập nội dung phản ánh."))
    intake.anonymous = not (intake.reporter_name or intake.reporter_phone)
    full_clean(intake)
    save_versioned(intake, update_fields=[*fields, "anonymous"])
    return intake


@transaction.atomic
def public_tip_submit(
    *,
    description: str,
    location: str = "",
    group=None,
    reporter_name: str = "",
    reporter_phone: str = "",
    ward: Ward | None = None,
) -> IntakeReport:
    """A citizen's report from the public web form (no login), for the ward the citizen
    chose (default: the group's, else the first ward); the group must be of that ward."""
    if ward is None:
        ward = group.ward if group is not None else Ward.first()
    intake = IntakeReport(
        channel=IntakeChannel.WEB_FORM,
        description=description.strip(),
        location=location.strip(),
        group=group,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        anonymous=not (reporter_name.strip() or reporter_phone.strip()),
        ward=ward,
    )
    full_clean(intake)
    intake.save()
    return intake


# What a citizen may learn about a tip from its receipt code: one of three words, nothing of
# the report, the child, the case or who handles it.
PUBLIC_STATUS = {
    IntakeReport.Status.NEW: "received",
    IntakeReport.Status.VERIFYING: "verifying",
    IntakeReport.Status.CASE_OPENED: "handled",
    IntakeReport.Status.UNFOUNDED: "handled",
    IntakeReport.Status.DUPLICATE: "handled",
}


def public_tip_status(code: str) -> str | None:
    """received | verifying | handled for the report with this receipt code; None if none."""
    status = IntakeReport.objects.filter(receipt_code=code).values_list("status", flat=True).first()
    return None if status is None else PUBLIC_STATUS[status]


_OPEN_INTAKE = (IntakeReport.Status.NEW, IntakeReport.Status.VERIFYING)


def _intake_open(intake: IntakeReport) -> None:
    if intake.status not in _OPEN_INTAKE:
        raise ServiceError(
            _("Phản ánh này đã được xử lý (%(status)s).") % {"status": intake.get_status_display()}
        )


@transaction.atomic
def intake_link_child(*, intake: IntakeReport, by, child: Child) -> IntakeReport:
    """Triage: the report is about this child (found by search); verification under way."""
    require(by, "intake.triage")
    _intake_open(intake)
    intake.child = child
    intake.status = IntakeReport.Status.VERIFYING
    intake.group = intake.group or child.household.group
    save_versioned(intake, update_fields=["child", "status", "group"])
    return intake


@transaction.atomic
def intake_open_case(
    *,
    intake: IntakeReport,
    by,
    child: Child | None = None,
    emergency: bool = False,
    assigned_to=None,
) -> Case:
    require(by, "intake.triage")
    _intake_open(intake)
    child = child or intake.child
    if child is None:
        raise ServiceError(_("Hãy chọn trẻ em mà phản ánh đề cập trước khi mở hồ sơ."))
    return case_open(
        child=child,
        by=by,
        intake=intake,
        emergency=emergency,
        summary=intake.description[:1000],
        assigned_to=assigned_to or by,
    )


@transaction.atomic
def intake_dismiss(
    *,
    intake: IntakeReport,
    by,
    status: str,
    note: str = "",
    duplicate_of: IntakeReport | None = None,
) -> IntakeReport:
    """Triage without a case: unfounded, or a duplicate of another report."""
    require(by, "intake.triage")
    _intake_open(intake)
    if status == IntakeReport.Status.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == intake.pk:
            raise ServiceError(_("Hãy chọn phản ánh mà phản ánh này trùng với."))
        intake.duplicate_of = duplicate_of
    elif status == IntakeReport.Status.UNFOUNDED:
        if not note.strip():
            raise ServiceError(_("Hãy ghi lý do kết luận phản ánh không có cơ sở."))
    else:
        raise ServiceError(_("Kết quả xử lý không hợp lệ."))
    intake.status = status
    intake.triage_note = note
    save_versioned(intake, update_fields=["status", "triage_note", "duplicate_of"])
    return intake
