"""Writes on schools: enrolments, monthly attendance (form and Excel), the early-warning pass
and the officer's contact. Every write checks the model's rules (full_clean) and the
permission table; the pass is safe to run twice (one warning per child, rule and month)."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from children.models import Child
from dongnguyen.errors import ServiceError, full_clean
from dongnguyen.permissions import require
from dongnguyen.text import normalize_name
from dongnguyen.versioning import bump_version

from . import rules
from .models import AttendanceRecord, EarlyWarning, Enrolment, WarningRule, current_school_year

RISK_NOTE = "Nguy cơ bỏ học"
# The plan's defaults, as the data migration made them (a flushed database gets them back).
DEFAULT_RULES = [
    (WarningRule.UNEXCUSED, "Nghỉ không phép từ 3 ngày trở lên trong một tháng", {"min_days": 3}),
    (WarningRule.RISING, "Số ngày nghỉ tăng liên tục 3 tháng", {"months": 3}),
    (
        WarningRule.POOR_ABSENT,
        "Học sinh hộ nghèo, cận nghèo nghỉ từ 5 ngày trở lên trong một tháng",
        {"min_days": 5},
    ),
]


def rules_ensure_defaults() -> None:
    for code, name, parameters in DEFAULT_RULES:
        WarningRule.objects.get_or_create(
            code=code, defaults={"name": name, "parameters": parameters}
        )


@transaction.atomic
def enrolment_save(*, enrolment: Enrolment, by) -> Enrolment:
    require(by, "school.enrol")
    full_clean(enrolment)
    enrolment.save()
    return enrolment


@transaction.atomic
def attendance_record(
    *,
    enrolment: Enrolment,
    month: date,
    days_absent: int,
    days_absent_unexcused: int,
    by,
    evaluate: bool = True,
) -> AttendanceRecord:
    """Create or correct one pupil's month, then run the early-warning rules on it."""
    require(by, "attendance.record")
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ServiceError({"month": _("Không nhập chuyên cần cho tháng chưa đến.")})
    record = AttendanceRecord.objects.filter(enrolment=enrolment, month=month).first()
    record = record or AttendanceRecord(enrolment=enrolment, month=month)
    record.days_absent = days_absent
    record.days_absent_unexcused = days_absent_unexcused
    record.recorded_by = by
    full_clean(record, exclude=["enrolment"])
    record.save()
    if evaluate:
        warnings_evaluate(month=month, children=[enrolment.child_id])
    return record


def _flag(child: Child) -> None:
    """Put the child on the managed list as at risk of dropping out."""
    changed = []
    if not child.at_risk:
        child.at_risk = True
        changed.append("at_risk")
    if RISK_NOTE.lower() not in child.risk_factors.lower():
        child.risk_factors = "; ".join(x for x in (child.risk_factors.strip(), RISK_NOTE) if x)
        changed.append("risk_factors")
    if changed:
        full_clean(child)
        child.save(update_fields=[*changed, "updated_at"])
        bump_version(child)


@transaction.atomic
def warnings_evaluate(*, month: date, children=None, on: date | None = None) -> list[EarlyWarning]:
    """Run every active rule on `month` for the pupils with a record that month (or only
    `children`, ids). A new warning flags the child (at risk, "nguy cơ bỏ học") and is the
    case officer's task until contacted. Already-raised warnings are left as they are."""
    on = on or timezone.localdate()
    month = month.replace(day=1)
    active = list(WarningRule.objects.filter(active=True))
    if not active:
        return []
    first = date(month.year - 1, month.month, 1)
    records = AttendanceRecord.objects.filter(month__gte=first, month__lte=month).select_related(
        "enrolment__child__household"
    )
    if children is not None:
        records = records.filter(enrolment__child_id__in=children)
    by_child: dict[int, list] = {}
    enrolment_of: dict[int, Enrolment] = {}
    for r in records.order_by("month"):
        by_child.setdefault(r.enrolment.child_id, []).append(
            rules.Month(r.month, r.days_absent, r.days_absent_unexcused)
        )
        if r.month == month:
            enrolment_of[r.enrolment.child_id] = r.enrolment
    existing = set(
        EarlyWarning.objects.filter(month=month, child_id__in=enrolment_of).values_list(
            "child_id", "rule"
        )
    )
    raised = []
    for child_id, enrolment in enrolment_of.items():
        child = enrolment.child
        for rule in active:
            if (child_id, rule.code) in existing:
                continue
            detail = rules.triggered(
                rule, by_child[child_id], month, child.household.poverty_status
            )
            if not detail:
                continue
            warning = EarlyWarning(
                child=child,
                enrolment=enrolment,
                raised_on=on,
                rule=rule.code,
                month=month,
                detail=detail,
            )
            full_clean(warning, exclude=["child", "enrolment"])
            try:
                with transaction.atomic():
                    warning.save()
            except IntegrityError:  # a pass running at the same time raised it first
                continue
            raised.append(warning)
            _flag(child)
    return raised


@transaction.atomic
def warning_contact(*, warning: EarlyWarning, by, contacted_on: date, outcome: str) -> EarlyWarning:
    """The officer records the contact with the family and its outcome."""
    require(by, "warning.contact")
    if not outcome.strip():
        raise ServiceError({"outcome": _("Hãy ghi kết quả liên hệ.")})
    warning.contacted_on = contacted_on
    warning.contacted_by = by
    warning.outcome = outcome.strip()
    full_clean(warning)
    warning.save(update_fields=["contacted_on", "contacted_by", "outcome"])
    return warning


@dataclass
class ImportedMonth:
    """One row of an attendance sheet, its cells already read (the imports app reads the file
    and the cells; the pupils, the scope and the record's rules are this app's). `problem` is
    what was wrong with a cell, if anything: the row is then an error without being matched."""

    line: int
    name: str
    birth_date: date | None
    class_name: str
    days_absent: int
    days_absent_unexcused: int
    problem: str = ""


def _row_error(line: int, message) -> str:
    return _("Dòng %(n)d: %(m)s") % {"n": line, "m": message}


@transaction.atomic
def attendance_import(
    *, school, month: date, rows: list[ImportedMonth], by
) -> tuple[list[AttendanceRecord], list[EarlyWarning]]:
    """A month of a school's attendance from a sheet, all rows or none: each row is a pupil
    of `school` in the school year of `month`, found among the enrolments `by` may see (name
    and birth date, diacritics and case ignored); a pupil outside that scope is "not found",
    never told apart from one who does not exist. Every row is checked before anything is
    written; then the early-warning rules run once on the whole sheet."""
    require(by, "attendance.record")
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ServiceError({"month": _("Không nhập chuyên cần cho tháng chưa đến.")})
    if not rows:
        raise ServiceError(_("Tệp không có dòng học sinh nào."))
    year = current_school_year(month)
    enrolments = (
        Enrolment.objects.for_user(by)
        .filter(school=school, school_year=year)
        .select_related("child")
    )
    by_key: dict[tuple[str, date], list[Enrolment]] = {}
    for e in enrolments:
        by_key.setdefault((e.child.search_name, e.child.birth_date), []).append(e)
    existing = {
        r.enrolment_id: r
        for r in AttendanceRecord.objects.filter(enrolment__in=enrolments, month=month)
    }
    errors, planned, seen = [], [], {}
    for row in rows:
        if row.problem:
            errors.append(_row_error(row.line, row.problem))
            continue
        found = by_key.get((normalize_name(row.name), row.birth_date), [])
        if not found:
            errors.append(
                _row_error(
                    row.line,
                    _(
                        "không tìm thấy học sinh “%(name)s” sinh ngày %(born)s trong danh sách "
                        "năm học %(year)s của %(school)s"
                    )
                    % {
                        "name": row.name,
                        "born": f"{row.birth_date:%d/%m/%Y}",
                        "year": year,
                        "school": school.name,
                    },
                )
            )
            continue
        enrolment = found[0]
        if row.class_name and normalize_name(row.class_name) != normalize_name(
            enrolment.class_name
        ):
            errors.append(
                _row_error(
                    row.line,
                    _("học sinh “%(name)s” học lớp %(right)s, không phải lớp %(wrong)s")
                    % {"name": row.name, "right": enrolment.class_name, "wrong": row.class_name},
                )
            )
            continue
        if enrolment.pk in seen:
            errors.append(
                _row_error(
                    row.line,
                    _("học sinh “%(name)s” đã có ở dòng %(other)d")
                    % {"name": row.name, "other": seen[enrolment.pk]},
                )
            )
            continue
        seen[enrolment.pk] = row.line
        record = existing.get(enrolment.pk) or AttendanceRecord(enrolment=enrolment, month=month)
        record.days_absent = row.days_absent
        record.days_absent_unexcused = row.days_absent_unexcused
        record.recorded_by = by
        try:
            full_clean(record, exclude=["enrolment"])
        except ServiceError as exc:
            errors.extend(_row_error(row.line, m) for m in exc.messages)
            continue
        planned.append(record)
    if errors:
        raise ServiceError(errors)
    for record in planned:
        record.save()
    raised = warnings_evaluate(month=month, children=[r.enrolment.child_id for r in planned])
    return planned, raised
