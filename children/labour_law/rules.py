"""Assessing one work record against the labour law's tables: age, job, hours, night and overtime, papers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from .tables import (
    _15_TO_18,
    _UNDER_15,
    BAND_13_15,
    BAND_15_18,
    BAND_ADULT,
    BAND_UNDER_13,
    BLLD,
    DEFAULT_CATALOGUE,
    TAG_APP2,
    TAG_APP3,
    TAG_APP5,
    TAG_ART147_1,
    TAG_UNDER13,
    TT09,
    VIOLATION_CODES,
    Assessment,
    Catalogue,
    HoursValue,
    JobInfo,
    Violation,
    WorkFacts,
)


def age_on(birth_date: date, on_date: date) -> int:
    """Completed years on `on_date`; a person is a year older from the birthday itself.

    Someone born on 29 February turns a year older on 1 March in a non-leap year (still the
    younger age on 28 February). For a protection law this is the cautious choice: the
    person stays in the younger, more protected band for that one extra day.
    """
    if birth_date > on_date:
        raise ValueError(
            f"Ngày sinh {birth_date:%d/%m/%Y} sau ngày làm việc {on_date:%d/%m/%Y}: "
            "ngày sinh không hợp lệ."
        )
    before_birthday = (on_date.month, on_date.day) < (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - before_birthday


def band_for_age(age: int) -> str:
    if age < 0:
        raise ValueError(f"Tuổi không hợp lệ: {age}.")
    if age < 13:
        return BAND_UNDER_13
    if age < 15:
        return BAND_13_15
    if age < 18:
        return BAND_15_18
    return BAND_ADULT


# band -> (max hours a day, max hours a week, legal basis); BLLĐ art. 146.
_HOURS_LIMITS = {
    BAND_UNDER_13: (Decimal(4), Decimal(20), f"Điều 146 khoản 1 {BLLD}"),
    BAND_13_15: (Decimal(4), Decimal(20), f"Điều 146 khoản 1 {BLLD}"),
    BAND_15_18: (Decimal(8), Decimal(40), f"Điều 146 khoản 2 {BLLD}"),
}


def assess_work(facts: WorkFacts, catalogue: Catalogue | None = None) -> Assessment:
    """Whether this work is lawful for this person on `facts.on_date`, and every rule broken.

    Codes are checked against the catalogue for adults too, so bad data never passes silently.
    """
    catalogue = catalogue or DEFAULT_CATALOGUE
    job = catalogue.job(facts.job_code)
    workplace = catalogue.workplace(facts.workplace_code)
    per_day = _hours(facts.hours_per_day, "ngày", 24)
    per_week = _hours(facts.hours_per_week, "tuần", 7 * 24)
    age = age_on(facts.birth_date, facts.on_date)
    band = band_for_age(age)
    if band == BAND_ADULT:
        return Assessment(age=age, band=band, lawful=None, violations=[])

    found: list[Violation] = []
    found += _job_rules(band, job, facts)
    if workplace.banned:
        found.append(
            _violation(
                "banned_workplace",
                f"Nơi làm việc “{workplace.name}” bị cấm sử dụng người chưa đủ 18 tuổi.",
                basis=workplace.legal_basis or None,
            )
        )
    found += _hours_rules(band, per_day, per_week)
    found += _overtime_night_rules(band, job, facts)
    found += _paper_rules(band, facts)
    return Assessment(age=age, band=band, lawful=not found, violations=found)


def _job_rules(band: str, job: JobInfo, facts: WorkFacts) -> list[Violation]:
    found = []
    if band == BAND_UNDER_13:
        if TAG_UNDER13 not in job.lists:
            found.append(
                _violation(
                    "under13_job_not_allowed",
                    "Trẻ dưới 13 tuổi chỉ được làm công việc nghệ thuật, thể dục, thể thao; "
                    f"công việc “{job.name}” không được phép.",
                )
            )
        elif not facts.provincial_approval:
            found.append(
                _violation(
                    "under13_no_approval",
                    f"Sử dụng trẻ dưới 13 tuổi làm “{job.name}” phải có sự đồng ý của cơ quan "
                    "chuyên môn về lao động thuộc UBND cấp tỉnh; chưa có văn bản đồng ý.",
                )
            )
    elif band == BAND_13_15 and TAG_APP2 not in job.lists:
        found.append(
            _violation(
                "not_light_job",
                "Trẻ từ đủ 13 đến dưới 15 tuổi chỉ được làm công việc nhẹ thuộc Phụ lục II "
                f"{TT09}; công việc “{job.name}” không thuộc danh mục này.",
            )
        )
    if job.banned:
        basis = []
        if TAG_ART147_1 in job.lists:
            basis.append(f"Điều 147 khoản 1 {BLLD}")
        if TAG_APP3 in job.lists:
            basis.append(f"{TT09} Phụ lục III")
        found.append(
            _violation(
                "banned_job",
                f"Công việc “{job.name}” bị cấm sử dụng người chưa đủ 18 tuổi.",
                basis="; ".join(basis),
            )
        )
    return found


def _hours_rules(band: str, per_day: Decimal | None, per_week: Decimal | None) -> list[Violation]:
    max_day, max_week, basis = _HOURS_LIMITS[band]
    who = _15_TO_18 if band == BAND_15_18 else _UNDER_15
    found = []
    if per_day is not None and per_day > max_day:
        found.append(
            _violation(
                "hours_per_day",
                f"{who} làm quá {_fmt(max_day)} giờ/ngày ({_fmt(per_day)} giờ).",
                basis=basis,
            )
        )
    if per_week is not None and per_week > max_week:
        found.append(
            _violation(
                "hours_per_week",
                f"{who} làm quá {_fmt(max_week)} giờ/tuần ({_fmt(per_week)} giờ).",
                basis=basis,
            )
        )
    return found


def _overtime_night_rules(band: str, job: JobInfo, facts: WorkFacts) -> list[Violation]:
    what = {"overtime": "làm thêm giờ", "night_work": "làm việc ban đêm (từ 22 giờ đến 6 giờ)"}
    done = [code for code in what if getattr(facts, code)]
    if band != BAND_15_18:
        return [
            _violation(
                code,
                f"{_UNDER_15} không được {what[code]}.",
                basis=f"Điều 146 khoản 1 {BLLD}",
            )
            for code in done
        ]
    if TAG_APP5 in job.lists:
        return []
    return [
        _violation(
            code,
            f"{_15_TO_18} chỉ được {what[code]} trong công việc thuộc Phụ lục V {TT09}; "
            f"công việc “{job.name}” không thuộc danh mục này.",
            basis=f"Điều 146 khoản 2 {BLLD}; {TT09} Phụ lục V",
        )
        for code in done
    ]


def _paper_rules(band: str, facts: WorkFacts) -> list[Violation]:
    found = []
    if band != BAND_15_18:
        if not facts.written_contract:
            found.append(
                _violation(
                    "no_written_contract",
                    f"Không giao kết hợp đồng lao động bằng văn bản với {_UNDER_15.lower()} "
                    "và người đại diện theo pháp luật của trẻ.",
                )
            )
        if not facts.guardian_consent:
            found.append(
                _violation(
                    "no_guardian_consent",
                    "Hợp đồng lao động với trẻ dưới 15 tuổi chưa được người đại diện theo "
                    "pháp luật của trẻ cùng giao kết.",
                    basis=f"Điều 145 khoản 1 điểm a, Điều 18 khoản 4 điểm c {BLLD}",
                )
            )
        if not facts.health_certificate:
            found.append(
                _violation(
                    "no_health_certificate",
                    "Không có giấy khám sức khỏe của cơ sở y tế có thẩm quyền xác nhận sức khỏe "
                    "của trẻ dưới 15 tuổi phù hợp với công việc (khám định kỳ 6 tháng/lần).",
                    basis=f"Điều 145 khoản 1 điểm c {BLLD}",
                )
            )
        return found

    # 15–17: no written-contract check. A contract under one month may be oral (art. 14(2)),
    # and art. 14(2)'s exceptions name only under-15s (art. 145(1)(a)); the facts carry no
    # contract term, so a missing written contract is not by itself unlawful.
    if not facts.guardian_consent:
        found.append(
            _violation(
                "no_guardian_consent",
                "Người từ đủ 15 đến dưới 18 tuổi giao kết hợp đồng lao động khi chưa có văn bản "
                "đồng ý của người đại diện theo pháp luật.",
                basis=f"Điều 18 khoản 4 điểm b {BLLD}",
            )
        )
    if not facts.health_certificate:
        found.append(
            _violation(
                "no_health_certificate",
                "Không có kết quả khám sức khỏe của người lao động chưa thành niên để ghi vào sổ "
                "theo dõi riêng (khám ít nhất 6 tháng/lần).",
                basis=(
                    f"Điều 144 khoản 3 {BLLD}; Điều 21 khoản 1 Luật An toàn, vệ sinh lao động 2015"
                ),
            )
        )
    return found


def _violation(code: str, message: str, *, basis: str | None = None) -> Violation:
    default_basis, fine_band, _label = VIOLATION_CODES[code]
    return Violation(code, basis or default_basis, message, fine_band)


def _hours(value: HoursValue, per: str, most: int) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"Số giờ/{per} không hợp lệ: {value!r}.")
    try:
        # Through str() so 4.5 (float) becomes exactly Decimal("4.5").
        hours = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"Số giờ/{per} không hợp lệ: {value!r}.") from None
    if not hours.is_finite() or hours < 0 or hours > most:
        raise ValueError(f"Số giờ/{per} phải từ 0 đến {most}: {value!r}.")
    return hours


def _fmt(hours: Decimal) -> str:
    """4 -> "4", 4.50 -> "4,5" (Vietnamese decimal comma)."""
    text = format(hours.normalize(), "f")
    return text.replace(".", ",")
