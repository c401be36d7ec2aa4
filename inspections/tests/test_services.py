"""Workflows and rules of the inspection services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from children.models import Case, Child, WorkRecord
from households.models import Household
from inspections import services
from inspections.catalogue import CATALOGUE, fine_range
from inspections.models import Inspection, MinorFound, Violation
from tests.factories import (
    BusinessFactory,
    ChildFactory,
    HouseholdFactory,
    InspectionFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _years_ago(years, days=0):
    return TODAY.replace(year=TODAY.year - years) - dt.timedelta(days=days)


def test_it_builds_the_catalogue_from_the_labour_law_codes():
    assert "no_minor_register" in CATALOGUE and "banned_job" in CATALOGUE
    assert CATALOGUE["banned_job"].clause.startswith("Điều 29 khoản 3")
    assert fine_range("no_minor_register", organisation=False) == (1_000_000, 2_000_000)
    assert fine_range("banned_job", organisation=True) == (100_000_000, 150_000_000)


def test_it_plans_one_inspection_per_business(police, health):
    a, b = BusinessFactory(), BusinessFactory()
    created = services.inspection_plan(
        businesses=[a, b],
        kind="surprise",
        planned_on=TODAY,
        by=police,
        interdisciplinary=True,
        team_members=[police, health],
        plan_number="12/KH-UBND",
    )
    assert {i.business for i in created} == {a, b}
    assert all(i.status == "planned" and i.team_members.count() == 2 for i in created)


def test_it_refuses_a_plan_without_businesses(police):
    with pytest.raises(ValidationError):
        services.inspection_plan(businesses=[], kind="periodic", planned_on=TODAY, by=police)


def test_it_lists_overdue_planned_inspections():
    late = InspectionFactory(status="planned", date=None, planned_on=TODAY - dt.timedelta(1))
    InspectionFactory(status="planned", date=None, planned_on=TODAY)
    InspectionFactory(status="done", planned_on=TODAY - dt.timedelta(5))
    assert list(Inspection.objects.overdue()) == [late]


def test_it_records_an_inspection_as_done(police):
    inspection = InspectionFactory(status="planned", date=None, planned_on=TODAY)
    services.inspection_record(
        inspection=inspection,
        by=police,
        date=TODAY,
        findings="Có 2 trẻ đang chà nhám.",
        minutes_number="05/BB-CA",
        legal_dissemination=True,
    )
    inspection.refresh_from_db()
    assert (inspection.status, inspection.minutes_number) == ("done", "05/BB-CA")
    with pytest.raises(ValidationError):
        services.inspection_record(
            inspection=inspection, by=police, date=TODAY + dt.timedelta(1), findings="x"
        )


def _work(**kw):
    return {"job_code": "chemicals_explosives", "workplace_code": "normal", **kw}


def test_it_registers_a_new_child_with_a_case_for_unlawful_work_under_16(police):
    inspection = InspectionFactory(date=TODAY)
    household = HouseholdFactory(group=inspection.business.group)
    result = services.inspection_minor_add(
        inspection=inspection,
        by=police,
        work=_work(hours_per_day=9),
        new_child={"full_name": "Đỗ Văn Tú", "sex": "male", "birth_date": _years_ago(14)},
        household=household,
    )
    child = Child.objects.get(full_name="Đỗ Văn Tú")
    assert child.search_name == "do van tu" and child.at_risk
    assert child.special_groups.filter(code="k").exists()
    record = WorkRecord.objects.get(child=child)
    assert record.lawful is False and record.business == inspection.business
    assert result.case == Case.objects.get(child=child)
    assert MinorFound.objects.get().case == result.case
    codes = set(Violation.objects.filter(child=child).values_list("code", flat=True))
    assert {"banned_job", "not_light_job", "hours_per_day"} <= codes


def test_it_opens_no_case_for_a_16_year_old_but_records_the_violation(police):
    inspection = InspectionFactory(date=TODAY)
    child = ChildFactory(birth_date=_years_ago(16, 30))
    result = services.inspection_minor_add(
        inspection=inspection, by=police, work=_work(), child=child
    )
    assert result.assessment.lawful is False and result.case is None
    assert not Case.objects.exists()
    assert not child.special_groups.exists()
    assert Violation.objects.filter(child=child, code="banned_job").exists()


def test_it_records_lawful_light_work_without_case_or_violation(police):
    inspection = InspectionFactory(date=TODAY)
    child = ChildFactory(birth_date=_years_ago(14))
    result = services.inspection_minor_add(
        inspection=inspection,
        by=police,
        child=child,
        work={
            "job_code": "fine_handicraft",
            "hours_per_day": 3,
            "written_contract": True,
            "guardian_consent": True,
            "health_certificate": True,
        },
    )
    assert result.assessment.lawful is True and result.case is None
    assert not Violation.objects.exists()


def test_it_creates_a_new_household_in_the_business_group(police):
    inspection = InspectionFactory(date=TODAY)
    services.inspection_minor_add(
        inspection=inspection,
        by=police,
        work=_work(),
        new_child={"full_name": "Lê Thị Hoa", "sex": "female", "birth_date": _years_ago(12)},
        new_household={"head_name": "Lê Văn Bình", "address": ""},
    )
    household = Household.objects.get(head_name="Lê Văn Bình")
    assert household.group == inspection.business.group
    assert household.code.startswith("KT-")


def test_it_saves_nothing_when_the_work_facts_are_invalid(police):
    inspection = InspectionFactory(date=TODAY)
    with pytest.raises(ValidationError):
        services.inspection_minor_add(
            inspection=inspection,
            by=police,
            work=_work(job_code="khong_co"),
            new_child={"full_name": "Lê Thị Hoa", "sex": "female", "birth_date": _years_ago(12)},
            new_household={"head_name": "Lê Văn Bình"},
        )
    assert not Child.objects.exists() and not Household.objects.exists()


def test_it_refuses_the_same_child_twice_in_one_inspection(police):
    inspection = InspectionFactory(date=TODAY)
    child = ChildFactory(birth_date=_years_ago(14))
    services.inspection_minor_add(inspection=inspection, by=police, work=_work(), child=child)
    with pytest.raises(ValidationError):
        services.inspection_minor_add(inspection=inspection, by=police, work=_work(), child=child)


@pytest.mark.parametrize(
    ("organisation", "fine", "ok"),
    [
        (False, 1_000_000, True),
        (False, 2_000_000, True),
        (False, 2_500_000, False),
        (True, 2_000_000, True),
        (True, 4_000_000, True),
        (True, 1_500_000, False),
    ],
)
def test_it_checks_the_fine_within_the_band(police, organisation, fine, ok):
    business = BusinessFactory(is_organisation=organisation)
    violation = ViolationFactory(
        inspection=InspectionFactory(business=business), code="no_minor_register"
    )
    call = {
        "violation": violation,
        "by": police,
        "status": "penalty_decided",
        "handled_on": dt.date(2026, 3, 20),
        "fine_vnd": fine,
        "decision_number": "15/QĐ-XPHC",
    }
    if ok:
        services.violation_handle(**call)
        violation.refresh_from_db()
        assert (violation.status, violation.fine_vnd) == ("penalty_decided", fine)
    else:
        with pytest.raises(ValidationError) as exc:
            services.violation_handle(**call)
        assert "Mức phạt" in str(exc.value) and "đồng" in str(exc.value)
        violation.refresh_from_db()
        assert violation.status == "open"


def test_it_requires_a_handled_date_when_leaving_open(police):
    violation = ViolationFactory()
    with pytest.raises(ValidationError) as exc:
        services.violation_handle(violation=violation, by=police, status="remediated")
    assert "handled_on" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.violation_handle(
            violation=violation, by=police, status="penalty_decided", handled_on=TODAY
        )
    assert {"decision_number", "fine_vnd"} <= set(exc.value.error_dict)
    services.violation_handle(
        violation=violation, by=police, status="transferred", handled_on=TODAY
    )
    violation.refresh_from_db()
    assert violation.status == "transferred" and violation.handled_on == TODAY


def test_it_refuses_an_unknown_violation_code(police):
    with pytest.raises(ValidationError):
        services.violation_create(inspection=InspectionFactory(), code="xyz", by=police)


def test_it_lists_overdue_open_violations():
    old = ViolationFactory(detected_on=TODAY - dt.timedelta(31))
    due = ViolationFactory(detected_on=TODAY, reinspection_due=TODAY - dt.timedelta(1))
    ViolationFactory(detected_on=TODAY)
    ViolationFactory(detected_on=TODAY - dt.timedelta(60), status="remediated", handled_on=TODAY)
    assert set(Violation.objects.overdue()) == {old, due}


def test_it_signs_commitments_for_a_business_or_a_household(police):
    business, household = BusinessFactory(owner_name="Nguyễn Văn Sơn"), HouseholdFactory()
    c1 = services.commitment_sign(by=police, business=business)
    c2 = services.commitment_sign(by=police, household=household, signer_name="Trần Thị Mai")
    assert c1.signer_name == "Nguyễn Văn Sơn" and c2.signer_name == "Trần Thị Mai"
    with pytest.raises(ValidationError):
        services.commitment_sign(by=police, business=business, household=household)
