"""Writes on businesses, inspections, violations and commitments. Views, imports and the demo
call these; each is one transaction, so a failed step leaves nothing half-saved."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from children.labour_law import Assessment
from children.models import Case, Child, WorkRecord
from children.services import case_open, child_save, workrecord_save
from dongnguyen.errors import ServiceError, full_clean
from dongnguyen.permissions import require
from dongnguyen.versioning import save_versioned
from households.models import Household
from households.services import household_save

from .catalogue import CATALOGUE
from .models import Business, BusinessScreening, Commitment, Inspection, MinorFound, Violation

# Who wrote a row is the service's to set (and may be emptied when an account is deleted):
# not a rule of the row, so left out of full_clean.
_AUDIT = ["created_by"]


# -- businesses ------------------------------------------------------------------------------


@transaction.atomic
def business_save(*, business: Business, by) -> Business:
    """Create or update a business (history records `by` through simple-history)."""
    business._history_user = by
    full_clean(business)
    save_versioned(business)
    return business


@transaction.atomic
def business_screen(
    *, business: Business, by, at_risk: bool, reasons: str = "", on: date | None = None
) -> BusinessScreening:
    """The business's yearly screening: at risk of employing children (with the reasons) or
    not, on a date."""
    require(by, "business.screen")
    screening = BusinessScreening(
        business=business,
        by=by,
        at_risk=at_risk,
        reasons=reasons,
        date=on or timezone.localdate(),
    )
    full_clean(screening, exclude=["by"])
    screening.save()
    return screening


# -- inspections -----------------------------------------------------------------------------


@transaction.atomic
def inspection_plan(
    *,
    businesses,
    kind: str,
    planned_on: date,
    by,
    plan_number: str = "",
    interdisciplinary: bool = False,
    team: str = "",
    team_members=(),
) -> list[Inspection]:
    """One planned Inspection per business to visit, sharing the plan's team."""
    businesses = list(businesses)
    if not businesses:
        raise ServiceError(_("Chọn ít nhất một cơ sở cần kiểm tra."))
    created = []
    for business in businesses:
        inspection = Inspection(
            business=business,
            kind=kind,
            planned_on=planned_on,
            plan_number=plan_number,
            interdisciplinary=interdisciplinary,
            team=team,
            status=Inspection.Status.PLANNED,
            created_by=by,
        )
        full_clean(inspection, exclude=_AUDIT)
        inspection.save()
        inspection.team_members.set(team_members)
        created.append(inspection)
    return created


@transaction.atomic
def inspection_record(
    *,
    inspection: Inspection,
    by,
    date: date,
    findings: str,
    minutes_number: str = "",
    legal_dissemination: bool = False,
    cost_vnd: int | None = None,
    cost_source: str | None = None,
) -> Inspection:
    """Record what the team found: the visit becomes done."""
    if cost_vnd is not None:
        inspection.cost_vnd = cost_vnd
    if cost_source:
        inspection.cost_source = cost_source
    inspection.date = date
    inspection.findings = findings
    inspection.minutes_number = minutes_number
    inspection.legal_dissemination = legal_dissemination
    inspection.status = Inspection.Status.DONE
    inspection._history_user = by
    full_clean(inspection, exclude=_AUDIT)
    save_versioned(
        inspection,
        update_fields=[
            "date",
            "findings",
            "minutes_number",
            "legal_dissemination",
            "status",
            "cost_vnd",
            "cost_source",
        ],
    )
    return inspection


@transaction.atomic
def inspection_cancel(*, inspection: Inspection, by) -> Inspection:
    if inspection.status != Inspection.Status.PLANNED:
        raise ServiceError(_("Chỉ hủy được cuộc kiểm tra chưa thực hiện."))
    inspection.status = Inspection.Status.CANCELLED
    inspection._history_user = by
    full_clean(inspection, exclude=_AUDIT)
    save_versioned(inspection, update_fields=["status"])
    return inspection


@dataclass
class MinorResult:
    minor: MinorFound
    record: WorkRecord
    assessment: Assessment
    case: Case | None
    violations: list[Violation]

    @property
    def suggested_codes(self) -> list[str]:
        return list(dict.fromkeys(v.code for v in self.assessment.violations))


@transaction.atomic
def inspection_minor_add(
    *,
    inspection: Inspection,
    by,
    work: dict,
    child: Child | None = None,
    new_child: dict | None = None,
    household: Household | None = None,
    new_household: dict | None = None,
    record_violations: bool = True,
) -> MinorResult:
    """A minor found working on site: link an existing child or register a new one (in an
    existing household or a new one in the business's group), record the work, assess it by
    labour law, open a Decree 56 case for an under-16 in unlawful work (special group k),
    and, if asked, record the violations the assessment found as open violations. Children,
    households and work records are written by their apps' services; work the child is
    already recorded in (same business and job, still open) is linked and updated, not
    recorded twice.

    `work`: job_code, workplace_code, hours_per_day, hours_per_week, night_work, overtime,
    written_contract, guardian_consent, health_certificate, provincial_approval, started_on
    (default: the inspection day), notes."""
    on = inspection.date or inspection.planned_on or timezone.localdate()
    if child is None:
        if not new_child:
            raise ServiceError(_("Chọn trẻ em đã có trong danh sách hoặc nhập trẻ em mới."))
        if household is None:
            if not new_household:
                raise ServiceError(_("Chọn hộ gia đình hoặc nhập hộ gia đình mới."))
            household = household_save(
                household=Household(
                    group=inspection.business.group,
                    code=new_household.get("code")
                    or _new_household_code(inspection.business.ward_id),
                    head_name=new_household["head_name"],
                    address=new_household.get("address") or inspection.business.address,
                    phone=new_household.get("phone", ""),
                ),
                by=by,
            )
        child = child_save(
            child=Child(
                household=household,
                full_name=new_child["full_name"],
                sex=new_child["sex"],
                birth_date=new_child["birth_date"],
                at_risk=True,
                risk_factors="Phát hiện làm việc tại cơ sở khi kiểm tra.",
            ),
            by=by,
        )
    elif MinorFound.objects.filter(inspection=inspection, child=child).exists():
        raise ServiceError(_("Trẻ em này đã được ghi nhận trong cuộc kiểm tra."))

    # Through the children's service: its rules apply, and work already on the register
    # (the same job at this business, still going on) is linked rather than recorded twice.
    record = WorkRecord(
        child=child,
        business=inspection.business,
        employer_name=inspection.business.name,
        started_on=work.get("started_on") or on,
        **{k: v for k, v in work.items() if k != "started_on"},
    )
    try:
        assessment = workrecord_save(record=record, by=by)
    except ValueError as exc:  # unknown code or impossible hours: the officer's input
        raise ServiceError(str(exc)) from None

    case = None
    if assessment.lawful is False and assessment.is_child:
        case = case_open(
            child=child,
            by=by,
            received_at=timezone.now(),
            summary=(
                f"Phát hiện khi kiểm tra cơ sở {inspection.business.name} "
                f"ngày {on:%d/%m/%Y}: " + "; ".join(v.message for v in assessment.violations)
            ),
        )

    minor = MinorFound.objects.create(
        inspection=inspection, child=child, work_record=record, case=case, created_by=by
    )
    violations = []
    if record_violations and assessment.lawful is False:
        detected = inspection.date or timezone.localdate()
        for v in assessment.violations:
            violations.append(
                Violation.objects.create(
                    inspection=inspection,
                    code=v.code,
                    description=v.message,
                    child=child,
                    detected_on=detected,
                )
            )
    return MinorResult(minor, record, assessment, case, violations)


def _new_household_code(ward_id) -> str:
    # Codes of households registered from an inspection: "KT-" + a sequence of the ward; the
    # register office may renumber them later (the code is only unique, not meaningful).
    last = (
        Household.objects.filter(ward_id=ward_id, code__startswith="KT-").order_by("-code").first()
    )
    n = int(last.code[3:]) + 1 if last and last.code[3:].isdigit() else 1
    return f"KT-{n:05d}"


# -- violations ------------------------------------------------------------------------------


@transaction.atomic
def violation_create(
    *,
    inspection: Inspection,
    code: str,
    by,
    detected_on: date | None = None,
    description: str = "",
    child: Child | None = None,
    reinspection_due: date | None = None,
) -> Violation:
    if code not in CATALOGUE:
        raise ServiceError({"code": _("Hành vi vi phạm không có trong danh mục Điều 29.")})
    if inspection.status == Inspection.Status.CANCELLED:
        raise ServiceError(_("Cuộc kiểm tra đã hủy, không ghi nhận vi phạm."))
    violation = Violation(
        inspection=inspection,
        code=code,
        description=description or CATALOGUE[code].label,
        child=child,
        detected_on=detected_on or inspection.date or timezone.localdate(),
        reinspection_due=reinspection_due,
    )
    violation._history_user = by
    full_clean(violation)
    violation.save()
    return violation


@transaction.atomic
def violation_handle(
    *,
    violation: Violation,
    by,
    status: str,
    handled_on: date | None = None,
    fine_vnd: int | None = None,
    decision_number: str = "",
    reinspection_due: date | None = None,
) -> Violation:
    """Move a violation on: open → penalty_decided / remediated / transferred (or back to
    open to correct a mistake). Leaving open needs the date it was handled; a penalty needs a
    decision number and a fine within the band."""
    if status not in Violation.Status.values:
        raise ServiceError({"status": _("Trạng thái không hợp lệ.")})
    violation.status = status
    violation.handled_on = handled_on if status != Violation.Status.OPEN else None
    violation.fine_vnd = fine_vnd
    violation.decision_number = decision_number.strip()
    violation.reinspection_due = reinspection_due
    violation._history_user = by
    full_clean(violation)  # the handling rules and the fine band are Violation.clean()
    save_versioned(
        violation,
        update_fields=["status", "handled_on", "fine_vnd", "decision_number", "reinspection_due"],
    )
    return violation


# -- commitments -----------------------------------------------------------------------------


@transaction.atomic
def commitment_sign(
    *,
    by,
    business: Business | None = None,
    household: Household | None = None,
    signed_on: date | None = None,
    signer_name: str = "",
) -> Commitment:
    """A commitment not to use child labour against the law, by a business or a household."""
    if (business is None) == (household is None):
        raise ServiceError(_("Bản cam kết phải của một cơ sở hoặc một hộ gia đình."))
    signed_on = signed_on or timezone.localdate()
    signer = signer_name.strip() or (business.owner_name if business else household.head_name)
    commitment = Commitment(
        business=business,
        household=household,
        signed_on=signed_on,
        signer_name=signer,
        created_by=by,
    )
    commitment._history_user = by
    full_clean(commitment)
    commitment.save()
    return commitment
