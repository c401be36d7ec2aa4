"""Schools: the early-warning rules (boundaries), the pass that flags a child, the school
role's scope (only its pupils, never case files), the class page and the officer's contact."""

import datetime as dt

import pytest
from django.urls import reverse

from dongnguyen.models import Agency
from dongnguyen.roles import Role
from dongnguyen.services import user_set_role
from schools import rules, services
from schools.models import (
    AttendanceRecord,
    EarlyWarning,
    Enrolment,
    School,
    SchoolStaff,
    WarningRule,
)
from tests.factories import CaseFactory, ChildFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db
SEP, OCT, NOV = dt.date(2025, 9, 1), dt.date(2025, 10, 1), dt.date(2025, 11, 1)
YEAR = "2025-2026"


def rule(code):
    return WarningRule.objects.get(code=code)


def months(*days, unexcused=None):
    unexcused = unexcused or [0] * len(days)
    return [rules.Month(m, d, u) for m, d, u in zip((SEP, OCT, NOV), days, unexcused, strict=False)]


# -- the rules on plain numbers ---------------------------------------------------------------


def test_it_warns_from_3_unexcused_days_not_2():
    r = rule(WarningRule.UNEXCUSED)
    assert not rules.triggered(r, months(2, unexcused=[2]), SEP, "none")
    assert rules.triggered(r, months(3, unexcused=[3]), SEP, "none")
    # excused absences do not count
    assert not rules.triggered(r, months(6, unexcused=[2]), SEP, "none")


def test_it_warns_on_absences_rising_three_months_running():
    r = rule(WarningRule.RISING)
    assert rules.triggered(r, months(1, 2, 4), NOV, "none")
    assert not rules.triggered(r, months(1, 2, 2), NOV, "none")  # flat is not rising
    assert not rules.triggered(r, months(3, 2, 4), NOV, "none")
    # a month without a record breaks the run
    assert not rules.triggered(r, [rules.Month(SEP, 1, 0), rules.Month(NOV, 4, 0)], NOV, "none")


def test_it_warns_on_a_poor_or_near_poor_pupil_absent_5_days():
    r = rule(WarningRule.POOR_ABSENT)
    assert not rules.triggered(r, months(4), SEP, "poor")
    assert rules.triggered(r, months(5), SEP, "poor")
    assert rules.triggered(r, months(5), SEP, "near_poor")
    assert not rules.triggered(r, months(9), SEP, "none")


def test_it_reads_the_thresholds_from_the_rule_rows():
    r = rule(WarningRule.UNEXCUSED)
    r.parameters = {"min_days": 2}
    r.save()
    assert rules.triggered(r, months(2, unexcused=[2]), SEP, "none")


# -- the pass ----------------------------------------------------------------------------------


@pytest.fixture
def school(db):
    return School.objects.create(name="Trường THCS Đồng Nguyên", level="lower_secondary")


@pytest.fixture
def other_school(db):
    return School.objects.create(name="Trường Tiểu học Trang Hạ", level="primary")


@pytest.fixture
def teacher(db, school):
    user = UserFactory(username="gvcn")
    user_set_role(user=user, role=Role.SCHOOL, agency=Agency.objects.first())
    SchoolStaff.objects.create(user=user, school=school)
    return user


def enrol(school, child=None, class_name="7A", **child_kwargs):
    child = child or ChildFactory(**child_kwargs)
    return Enrolment.objects.create(
        child=child, school=school, class_name=class_name, school_year=YEAR
    )


def test_it_flags_the_child_and_opens_a_warning_for_the_officer(school, teacher):
    e = enrol(school)
    services.attendance_record(
        enrolment=e, month=SEP, days_absent=3, days_absent_unexcused=3, by=teacher
    )
    e.child.refresh_from_db()
    assert e.child.at_risk
    assert "Nguy cơ bỏ học" in e.child.risk_factors
    (w,) = EarlyWarning.objects.all()
    assert (w.child, w.rule, w.month, w.contacted_on) == (e.child, "unexcused_month", SEP, None)
    # entering the same month again (or the nightly pass) raises nothing twice
    services.attendance_record(
        enrolment=e, month=SEP, days_absent=4, days_absent_unexcused=4, by=teacher
    )
    assert services.warnings_evaluate(month=SEP) == []
    assert EarlyWarning.objects.count() == 1


def test_it_raises_nothing_at_2_days_or_for_an_inactive_rule(school, teacher):
    e = enrol(school)
    services.attendance_record(
        enrolment=e, month=SEP, days_absent=2, days_absent_unexcused=2, by=teacher
    )
    assert not EarlyWarning.objects.exists()
    WarningRule.objects.filter(code="unexcused_month").update(active=False)
    services.attendance_record(
        enrolment=e, month=OCT, days_absent=5, days_absent_unexcused=5, by=teacher
    )
    assert not EarlyWarning.objects.exists()
    e.child.refresh_from_db()
    assert not e.child.at_risk


def test_it_warns_a_poor_pupil_and_a_rising_trend(school, teacher):
    poor = enrol(school, household=HouseholdFactory(poverty_status="near_poor"))
    rising = enrol(school)
    for month, days in ((SEP, 1), (OCT, 2), (NOV, 3)):
        services.attendance_record(
            enrolment=rising, month=month, days_absent=days, days_absent_unexcused=0, by=teacher
        )
    services.attendance_record(
        enrolment=poor, month=NOV, days_absent=5, days_absent_unexcused=0, by=teacher
    )
    got = set(EarlyWarning.objects.values_list("child_id", "rule", "month"))
    assert got == {
        (rising.child_id, "rising_absences", NOV),
        (poor.child_id, "poor_household_absent", NOV),
    }


def test_it_refuses_more_unexcused_than_absent_days(school, teacher):
    from dongnguyen.errors import ServiceError

    e = enrol(school)
    with pytest.raises(ServiceError) as exc:
        services.attendance_record(
            enrolment=e, month=SEP, days_absent=1, days_absent_unexcused=2, by=teacher
        )
    assert "không phép" in exc.value.text
    assert not AttendanceRecord.objects.exists()


# -- the school role's scope and the pages -----------------------------------------------------


def test_a_teacher_sees_only_their_pupils_and_no_case_file(client, school, other_school, teacher):
    mine = enrol(school, full_name="Trần Văn An")
    theirs = enrol(other_school, class_name="7A", full_name="Lê Thị Bình")
    case = CaseFactory(child=mine.child)
    client.force_login(teacher)
    page = client.get(reverse("schools:class_attendance", args=[school.pk, "7A"]), {"year": YEAR})
    assert page.status_code == 200
    assert "Trần Văn An" in page.content.decode() and "Lê Thị Bình" not in page.content.decode()
    assert (
        client.get(
            reverse("schools:class_attendance", args=[other_school.pk, "7A"]), {"year": YEAR}
        ).status_code
        == 404
    )
    assert theirs.pk  # (the other school's pupil exists)
    for url in (
        reverse("children:detail", args=[mine.child_id]),
        reverse("children:case_detail", args=[case.pk]),
        reverse("schools:warnings"),
    ):
        assert client.get(url).status_code in (403, 404), url


def test_a_teacher_enters_the_month_on_the_class_page(client, school, teacher):
    a, b = enrol(school), enrol(school)
    client.force_login(teacher)
    url = reverse("schools:class_attendance", args=[school.pk, "7A"]) + f"?year={YEAR}"
    data = {
        "month": "2025-10",
        f"e{a.pk}-days_absent": "3",
        f"e{a.pk}-days_absent_unexcused": "3",
        f"e{b.pk}-days_absent": "1",
        f"e{b.pk}-days_absent_unexcused": "0",
    }
    assert client.post(url, data).status_code == 302
    assert AttendanceRecord.objects.get(enrolment=a, month=OCT).days_absent_unexcused == 3
    assert list(EarlyWarning.objects.values_list("child_id", flat=True)) == [a.child_id]
    # a wrong row keeps what was typed and saves nothing
    data[f"e{b.pk}-days_absent_unexcused"] = "4"
    data["month"] = "2025-11"
    page = client.post(url, data)
    assert page.status_code == 200
    assert 'value="4"' in page.content.decode()
    assert not AttendanceRecord.objects.filter(month=NOV).exists()


def test_the_officer_contacts_the_family(client, personas, school, teacher):
    e = enrol(school)
    services.attendance_record(
        enrolment=e, month=SEP, days_absent=3, days_absent_unexcused=3, by=teacher
    )
    w = EarlyWarning.objects.get()
    client.force_login(personas["case_officer"])
    assert e.child.full_name in client.get(reverse("schools:warnings")).content.decode()
    response = client.post(
        reverse("schools:warning_contact", args=[w.pk]),
        {"contacted_on": w.raised_on.strftime("%d/%m/%Y"), "outcome": "Đã gặp mẹ, em đi học lại"},
    )
    assert response.status_code == 302
    w.refresh_from_db()
    assert w.contacted_on == w.raised_on and w.contacted_by == personas["case_officer"]
    assert e.child.full_name not in client.get(reverse("schools:warnings")).content.decode()


@pytest.mark.parametrize("n", [1, 8])
def test_the_lists_take_a_constant_number_of_queries(
    client, personas, school, teacher, n, django_assert_max_num_queries
):
    for _i in range(n):
        e = enrol(school)
        services.attendance_record(
            enrolment=e, month=SEP, days_absent=3, days_absent_unexcused=3, by=teacher
        )
    client.force_login(personas["case_officer"])
    # session, user, profile; count, page; access log; plus messages/menus at most
    with django_assert_max_num_queries(12):
        assert client.get(reverse("schools:warnings")).status_code == 200
    with django_assert_max_num_queries(14):
        assert (
            client.get(
                reverse("schools:class_attendance", args=[school.pk, "7A"]), {"year": YEAR}
            ).status_code
            == 200
        )
    with django_assert_max_num_queries(10):
        assert client.get(reverse("schools:list"), {"year": YEAR}).status_code == 200
