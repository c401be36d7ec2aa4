"""Vietnam's rules on minors' work (children/labour_law.py): pure, no database, no Django."""

import json
from datetime import date
from decimal import Decimal

import pytest

from children.labour_law import (
    DEFAULT_CATALOGUE,
    FINE_BANDS,
    VIOLATION_CODES,
    Assessment,
    Catalogue,
    JobInfo,
    Violation,
    WorkFacts,
    WorkplaceInfo,
    age_on,
    assess_work,
    band_for_age,
)

ON = date(2026, 6, 15)

APP2_JOBS = [
    "performing_arts",
    "sports",
    "software",
    "traditional_craft",
    "fine_handicraft",
    "natural_material_weaving",
    "food_wrapping_manual",
    "silkworm_raising",
    "clean_veg_gardening",
    "livestock_grazing",
    "net_mending_fish_drying",
    "thread_cutting_buttons",
]
BANNED_JOBS = [
    "heavy_lifting",
    "alcohol_tobacco",
    "chemicals_explosives",
    "machine_maintenance",
    "demolition",
    "metal_working",
    "sea_diving_offshore_fishing",
]
BANNED_WORKPLACES = [
    ("underwater_underground", "điểm a"),
    ("construction_site", "điểm b"),
    ("slaughterhouse", "điểm c"),
    ("entertainment_venue", "điểm d"),
]

# A job each band may lawfully do, with every paper in order.
LAWFUL_JOB = {12: "performing_arts", 14: "software", 16: "other_general", 17: "other_general"}


def born_aged(age):
    """A birth date giving exactly `age` completed years on ON."""
    return date(ON.year - age, 3, 10)


def facts(age=16, **changes):
    base = {
        "birth_date": born_aged(age),
        "on_date": ON,
        "job_code": LAWFUL_JOB.get(age, "other_general"),
        "written_contract": True,
        "guardian_consent": True,
        "health_certificate": True,
        "provincial_approval": age < 13,
    }
    base.update(changes)
    return WorkFacts(**base)


def codes(f, catalogue=None):
    return assess_work(f, catalogue).violation_codes


# -- age and bands ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "age", "band"),
    [
        (date(2013, 6, 15), date(2026, 6, 14), 12, "under_13"),
        (date(2013, 6, 15), date(2026, 6, 15), 13, "13_15"),
        (date(2011, 6, 15), date(2026, 6, 14), 14, "13_15"),
        (date(2011, 6, 15), date(2026, 6, 15), 15, "15_18"),
        (date(2008, 6, 15), date(2026, 6, 14), 17, "15_18"),
        (date(2008, 6, 15), date(2026, 6, 15), 18, "adult"),
        (date(2010, 6, 15), date(2026, 6, 14), 15, "15_18"),
        (date(2010, 6, 15), date(2026, 6, 15), 16, "15_18"),
        # 29 February: a year older on 1 March in a non-leap year, on 29/02 in a leap year.
        (date(2012, 2, 29), date(2025, 2, 28), 12, "under_13"),
        (date(2012, 2, 29), date(2025, 3, 1), 13, "13_15"),
        (date(2012, 2, 29), date(2024, 2, 28), 11, "under_13"),
        (date(2012, 2, 29), date(2024, 2, 29), 12, "under_13"),
        (date(2008, 2, 29), date(2026, 2, 28), 17, "15_18"),
        (date(2008, 2, 29), date(2026, 3, 1), 18, "adult"),
        (date(2026, 6, 15), date(2026, 6, 15), 0, "under_13"),
    ],
)
def test_it_computes_completed_years_and_band(birth, on, age, band):
    assert age_on(birth, on) == age
    assert band_for_age(age) == band
    assessment = assess_work(WorkFacts(birth_date=birth, on_date=on, job_code="software"))
    assert (assessment.age, assessment.band) == (age, band)


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "under_13"), (12, "under_13"), (13, "13_15"), (14, "13_15"), (15, "15_18")]
    + [(17, "15_18"), (18, "adult"), (65, "adult")],
)
def test_it_maps_ages_to_bands(age, band):
    assert band_for_age(age) == band


def test_it_rejects_a_negative_age():
    with pytest.raises(ValueError):
        band_for_age(-1)


@pytest.mark.parametrize("on", [date(2020, 1, 1), date(2026, 6, 14)])
def test_it_rejects_a_birth_date_after_the_work_date(on):
    with pytest.raises(ValueError, match="Ngày sinh"):
        age_on(date(2026, 6, 15), on)
    with pytest.raises(ValueError, match="Ngày sinh"):
        assess_work(WorkFacts(birth_date=date(2026, 6, 15), on_date=on, job_code="software"))


@pytest.mark.parametrize(("age", "is_child"), [(15, True), (16, False), (17, False), (18, False)])
def test_it_marks_children_under_16(age, is_child):
    assert assess_work(facts(age)).is_child is is_child


def test_it_switches_hour_limits_on_the_15th_birthday():
    birth = date(2011, 6, 15)
    six_hours = {"job_code": "software", "hours_per_day": 6, "birth_date": birth}
    day_before = assess_work(facts(14, on_date=date(2026, 6, 14), **six_hours))
    birthday = assess_work(facts(14, on_date=date(2026, 6, 15), **six_hours))
    assert day_before.violation_codes == ["hours_per_day"]
    assert birthday.lawful is True


def test_it_needs_approval_the_day_before_the_13th_birthday_but_not_on_it():
    birth = date(2013, 6, 15)
    arts = {"job_code": "performing_arts", "birth_date": birth, "provincial_approval": False}
    assert codes(facts(12, on_date=date(2026, 6, 14), **arts)) == ["under13_no_approval"]
    assert codes(facts(12, on_date=date(2026, 6, 15), **arts)) == []


def test_it_leaves_adults_out_of_scope_from_the_18th_birthday():
    work = {"job_code": "heavy_lifting", "workplace_code": "construction_site", "night_work": True}
    birth = date(2008, 6, 15)
    day_before = assess_work(facts(17, birth_date=birth, on_date=date(2026, 6, 14), **work))
    birthday = assess_work(facts(17, birth_date=birth, on_date=date(2026, 6, 15), **work))
    assert day_before.lawful is False
    assert birthday == Assessment(age=18, band="adult", lawful=None, violations=[])


def test_it_leaves_an_adult_with_no_papers_out_of_scope():
    result = assess_work(WorkFacts(birth_date=born_aged(30), on_date=ON, job_code="metal_working"))
    assert result.lawful is None
    assert result.violations == []
    assert result.is_child is False
    assert result.highest_fine_band is None


# -- hours -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "per_day", "per_week", "expected"),
    [
        (12, 4, 20, []),
        (12, 4.5, None, ["hours_per_day"]),
        (12, None, 21, ["hours_per_week"]),
        (14, 4, 20, []),
        (14, Decimal("4.5"), None, ["hours_per_day"]),
        (14, None, 21, ["hours_per_week"]),
        (14, 5, 25, ["hours_per_day", "hours_per_week"]),
        (16, 8, 40, []),
        (16, 8.5, None, ["hours_per_day"]),
        (16, None, 41, ["hours_per_week"]),
        (17, Decimal("8.0"), Decimal("40.00"), []),
        (17, 9, 45, ["hours_per_day", "hours_per_week"]),
        (16, 0, 0, []),
        (14, None, None, []),
    ],
)
def test_it_checks_hour_limits_per_band(age, per_day, per_week, expected):
    result = assess_work(facts(age, hours_per_day=per_day, hours_per_week=per_week))
    assert result.violation_codes == expected
    assert result.lawful is (not expected)
    assert all(v.fine_band == "conditions" for v in result.violations)


@pytest.mark.parametrize(
    ("age", "per_day", "per_week", "message", "basis"),
    [
        (14, 6, None, "Trẻ dưới 15 tuổi làm quá 4 giờ/ngày (6 giờ).", "Điều 146 khoản 1"),
        (12, 4.5, None, "Trẻ dưới 15 tuổi làm quá 4 giờ/ngày (4,5 giờ).", "Điều 146 khoản 1"),
        (14, None, 21, "Trẻ dưới 15 tuổi làm quá 20 giờ/tuần (21 giờ).", "Điều 146 khoản 1"),
        (
            16,
            Decimal("8.50"),
            None,
            "Người từ đủ 15 đến dưới 18 tuổi làm quá 8 giờ/ngày (8,5 giờ).",
            "Điều 146 khoản 2",
        ),
        (
            16,
            None,
            41,
            "Người từ đủ 15 đến dưới 18 tuổi làm quá 40 giờ/tuần (41 giờ).",
            "Điều 146 khoản 2",
        ),
    ],
)
def test_it_names_the_hour_limit_in_the_message(age, per_day, per_week, message, basis):
    [violation] = assess_work(facts(age, hours_per_day=per_day, hours_per_week=per_week)).violations
    assert violation.message == message
    assert violation.legal_basis.startswith(basis)
    assert "Bộ luật Lao động 2019" in violation.legal_basis


@pytest.mark.parametrize(
    ("per_day", "per_week"), [(-1, None), (25, None), (None, -0.5), (None, 169), (True, None)]
)
def test_it_rejects_impossible_hours(per_day, per_week):
    with pytest.raises(ValueError, match="Số giờ"):
        assess_work(facts(16, hours_per_day=per_day, hours_per_week=per_week))


# -- jobs and workplaces ---------------------------------------------------------------------


@pytest.mark.parametrize("job_code", BANNED_JOBS)
@pytest.mark.parametrize("age", [15, 16, 17])
def test_it_bans_art_147_jobs_under_18(job_code, age):
    [violation] = assess_work(facts(age, job_code=job_code)).violations
    assert violation.code == "banned_job"
    assert violation.fine_band == "prohibited"
    assert violation.legal_basis == "Điều 147 khoản 1 Bộ luật Lao động 2019"
    assert DEFAULT_CATALOGUE.jobs[job_code].name in violation.message


@pytest.mark.parametrize("job_code", BANNED_JOBS)
def test_it_reports_both_rules_when_a_13_to_15_year_old_does_a_banned_job(job_code):
    assert codes(facts(14, job_code=job_code)) == ["not_light_job", "banned_job"]


@pytest.mark.parametrize(("workplace_code", "point"), BANNED_WORKPLACES)
@pytest.mark.parametrize("age", [12, 14, 16, 17])
def test_it_bans_art_147_workplaces_under_18(workplace_code, point, age):
    [violation] = assess_work(facts(age, workplace_code=workplace_code)).violations
    assert violation.code == "banned_workplace"
    assert violation.fine_band == "prohibited"
    assert violation.legal_basis == f"Điều 147 khoản 2 {point} Bộ luật Lao động 2019"
    assert DEFAULT_CATALOGUE.workplaces[workplace_code].name in violation.message


@pytest.mark.parametrize("job_code", APP2_JOBS)
def test_it_allows_appendix_ii_light_jobs_from_13_to_15(job_code):
    assert assess_work(facts(14, job_code=job_code)).lawful is True


def test_it_refuses_other_work_from_13_to_15():
    [violation] = assess_work(facts(14, job_code="other_general")).violations
    assert violation.code == "not_light_job"
    assert violation.fine_band == "prohibited"
    assert "Phụ lục II" in violation.legal_basis


@pytest.mark.parametrize(
    ("job_code", "approval", "expected"),
    [
        ("performing_arts", True, []),
        ("sports", True, []),
        ("performing_arts", False, ["under13_no_approval"]),
        ("sports", False, ["under13_no_approval"]),
        ("software", True, ["under13_job_not_allowed"]),
        ("software", False, ["under13_job_not_allowed"]),
        ("other_general", True, ["under13_job_not_allowed"]),
        ("heavy_lifting", True, ["under13_job_not_allowed", "banned_job"]),
    ],
)
def test_it_allows_under_13s_only_arts_and_sport_with_approval(job_code, approval, expected):
    result = assess_work(facts(12, job_code=job_code, provincial_approval=approval))
    assert result.violation_codes == expected
    assert all(v.fine_band == "prohibited" for v in result.violations)


def test_it_does_not_need_provincial_approval_from_13():
    assert assess_work(facts(14, job_code="sports", provincial_approval=False)).lawful is True


@pytest.mark.parametrize("age", [15, 16, 17])
def test_it_allows_15_to_18_year_olds_general_work(age):
    assert assess_work(facts(age, job_code="other_general")).lawful is True


# -- overtime and night work -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "job_code", "overtime", "night", "expected"),
    [
        (12, "performing_arts", True, False, ["overtime"]),
        (12, "sports", False, True, ["night_work"]),
        (14, "performing_arts", True, True, ["overtime", "night_work"]),
        (14, "software", False, True, ["night_work"]),
        (16, "other_general", True, False, ["overtime"]),
        (16, "software", False, True, ["night_work"]),
        (17, "fine_handicraft", True, True, ["overtime", "night_work"]),
        (16, "performing_arts", True, True, []),
        (17, "sports", True, True, []),
        (16, "other_general", False, False, []),
    ],
)
def test_it_allows_overtime_and_night_work_only_from_15_in_appendix_v(
    age, job_code, overtime, night, expected
):
    result = assess_work(facts(age, job_code=job_code, overtime=overtime, night_work=night))
    assert result.violation_codes == expected
    assert all(v.fine_band == "conditions" for v in result.violations)
    clause = "khoản 2" if age >= 15 else "khoản 1"
    assert all(f"Điều 146 {clause}" in v.legal_basis for v in result.violations)


# -- papers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "missing", "expected", "basis"),
    [
        (12, "written_contract", "no_written_contract", "Điều 145 khoản 1 điểm a"),
        (12, "guardian_consent", "no_guardian_consent", "Điều 145 khoản 1 điểm a"),
        (12, "health_certificate", "no_health_certificate", "Điều 145 khoản 1 điểm c"),
        (14, "written_contract", "no_written_contract", "Điều 145 khoản 1 điểm a"),
        (14, "guardian_consent", "no_guardian_consent", "Điều 145 khoản 1 điểm a"),
        (14, "health_certificate", "no_health_certificate", "Điều 145 khoản 1 điểm c"),
        (16, "written_contract", None, None),
        (16, "guardian_consent", "no_guardian_consent", "Điều 18 khoản 4 điểm b"),
        (16, "health_certificate", "no_health_certificate", "Điều 144 khoản 3"),
        (17, "written_contract", None, None),
        (17, "guardian_consent", "no_guardian_consent", "Điều 18 khoản 4 điểm b"),
        (17, "health_certificate", "no_health_certificate", "Điều 144 khoản 3"),
    ],
)
def test_it_requires_the_papers_of_each_band(age, missing, expected, basis):
    result = assess_work(facts(age, **{missing: False}))
    if expected is None:
        assert result.lawful is True
        return
    [violation] = result.violations
    assert violation.code == expected
    assert violation.fine_band == "conditions"
    assert violation.legal_basis.startswith(basis)


def test_it_lists_every_missing_paper_of_an_under_15():
    bare = WorkFacts(birth_date=born_aged(14), on_date=ON, job_code="software")
    assert codes(bare) == ["no_written_contract", "no_guardian_consent", "no_health_certificate"]


# -- whole assessments -----------------------------------------------------------------------


def test_it_finds_a_fully_compliant_16_year_old_lawful():
    result = assess_work(
        WorkFacts(
            birth_date=date(2010, 1, 20),
            on_date=ON,
            job_code="other_general",
            workplace_code="normal",
            hours_per_day=8,
            hours_per_week=40,
            guardian_consent=True,
            health_certificate=True,
        )
    )
    assert result == Assessment(age=16, band="15_18", lawful=True, violations=[])
    assert result.is_child is False


def test_it_reports_every_violation_of_a_bad_workshop_in_a_stable_order():
    result = assess_work(
        WorkFacts(
            birth_date=born_aged(14),
            on_date=ON,
            job_code="chemicals_explosives",
            workplace_code="construction_site",
            hours_per_day=10,
            hours_per_week=60,
            night_work=True,
            overtime=True,
        )
    )
    assert result.lawful is False
    assert result.violation_codes == [
        "not_light_job",
        "banned_job",
        "banned_workplace",
        "hours_per_day",
        "hours_per_week",
        "overtime",
        "night_work",
        "no_written_contract",
        "no_guardian_consent",
        "no_health_certificate",
    ]
    assert result.highest_fine_band == "prohibited"
    assert all(isinstance(v, Violation) for v in result.violations)
    code, basis, message = result.violations[0][:3]  # the contract's (code, basis, message)
    assert (code, basis) == ("not_light_job", VIOLATION_CODES["not_light_job"][0])
    assert "Phụ lục II" in message
    dumped = json.loads(json.dumps(result.violations_as_dicts(), ensure_ascii=False))
    assert dumped[0]["fine_band"] == "prohibited"
    assert set(dumped[0]) == {"code", "legal_basis", "message", "fine_band"}


def test_it_keeps_every_emitted_code_in_the_violation_catalogue():
    for code, (basis, band, label) in VIOLATION_CODES.items():
        assert band in FINE_BANDS, code
        assert basis and label, code
    emitted = {
        v.code
        for age in (12, 14, 16)
        for job in ("other_general", "heavy_lifting", "performing_arts")
        for v in assess_work(
            WorkFacts(
                birth_date=born_aged(age),
                on_date=ON,
                job_code=job,
                workplace_code="slaughterhouse",
                hours_per_day=12,
                hours_per_week=70,
                night_work=True,
                overtime=True,
            )
        ).violations
    }
    assert emitted == set(VIOLATION_CODES) - {"no_minor_register"}
    assert {b for _, b, _ in VIOLATION_CODES.values()} == {"register", "conditions", "prohibited"}


# -- catalogue -------------------------------------------------------------------------------


def test_it_ships_exactly_the_canonical_codes():
    assert set(DEFAULT_CATALOGUE.jobs) == {*APP2_JOBS, *BANNED_JOBS, "other_general"}
    assert set(DEFAULT_CATALOGUE.workplaces) == {"normal"} | {w for w, _ in BANNED_WORKPLACES}
    app5 = {c for c, job in DEFAULT_CATALOGUE.jobs.items() if "app5" in job.lists}
    assert app5 == {"performing_arts", "sports"}
    under13 = {c for c, job in DEFAULT_CATALOGUE.jobs.items() if "under13_exception" in job.lists}
    assert under13 == {"performing_arts", "sports"}
    assert DEFAULT_CATALOGUE.jobs["other_general"].lists == frozenset()
    assert not DEFAULT_CATALOGUE.workplaces["normal"].banned


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"job_code": "karaoke_singer"}, "Mã công việc “karaoke_singer”"),
        ({"job_code": ""}, "Mã công việc"),
        ({"workplace_code": "mine"}, "Mã nơi làm việc “mine”"),
    ],
)
@pytest.mark.parametrize("age", [14, 30])
def test_it_rejects_unknown_codes_in_vietnamese(changes, match, age):
    with pytest.raises(ValueError, match=match):
        assess_work(facts(age, **changes))


def test_it_honours_a_custom_catalogue():
    sanding = JobInfo("furniture_sanding_light", "Đánh giấy ráp đồ gỗ nhỏ", ["app2"])
    lacquer = JobInfo("lacquer_spraying", "Phun sơn, sơn mài dùng dung môi", {"app3"})
    night_bakery = JobInfo("bakery", "Làm bánh", frozenset({"app5"}))
    sawmill = WorkplaceInfo(
        "sawmill", "Xưởng xẻ gỗ", banned=True, legal_basis="Thông tư 09/2020/TT-BLĐTBXH Phụ lục IV"
    )
    catalogue = Catalogue.build(
        jobs=[*DEFAULT_CATALOGUE.jobs.values(), sanding, lacquer, night_bakery],
        workplaces=[*DEFAULT_CATALOGUE.workplaces.values(), sawmill],
    )
    assert sanding.lists == frozenset({"app2"})

    assert assess_work(facts(14, job_code="furniture_sanding_light"), catalogue).lawful is True
    with pytest.raises(ValueError):
        assess_work(facts(14, job_code="furniture_sanding_light"))

    [banned] = assess_work(facts(16, job_code="lacquer_spraying"), catalogue).violations
    assert banned.code == "banned_job"
    assert banned.legal_basis == "Thông tư 09/2020/TT-BLĐTBXH Phụ lục III"

    night = facts(16, job_code="bakery", night_work=True, overtime=True)
    assert assess_work(night, catalogue).lawful is True

    [place] = assess_work(facts(16, workplace_code="sawmill"), catalogue).violations
    assert (place.code, place.legal_basis) == ("banned_workplace", sawmill.legal_basis)


def test_it_accepts_a_plain_dict_catalogue():
    catalogue = Catalogue(
        jobs={"only": JobInfo("only", "Việc duy nhất", frozenset({"app2"}))},
        workplaces={"normal": WorkplaceInfo("normal", "Bình thường")},
    )
    assert assess_work(facts(14, job_code="only"), catalogue).lawful is True
    with pytest.raises(ValueError):
        assess_work(facts(14, job_code="software"), catalogue)


def test_it_refuses_unknown_list_tags_and_duplicate_codes():
    with pytest.raises(ValueError, match="nhãn danh mục"):
        JobInfo("x", "X", frozenset({"appendix2"}))
    with pytest.raises(ValueError, match="bị trùng"):
        Catalogue.build(jobs=[JobInfo("x", "X"), JobInfo("x", "Y")], workplaces=[])


def test_it_keeps_the_default_catalogue_read_only():
    with pytest.raises(TypeError):
        DEFAULT_CATALOGUE.jobs["new"] = JobInfo("new", "Mới")  # type: ignore[index]
