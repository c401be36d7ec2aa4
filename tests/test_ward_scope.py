"""Every ward sees only its own records (issue 12 point 2): lists, searches, KPIs, imports,
new records and codes are per ward; the province role sees no personal data."""

from datetime import date

import pytest
from django.urls import reverse

from children.models import Case, Child, IntakeReport
from dongnguyen.models import Agency, Ward
from dongnguyen.roles import Role
from dongnguyen.services import user_set_role
from households.models import Household, ResidentialGroup
from inspections.models import Business
from reports import kpis
from reports.periods import parse_period

from .factories import (
    BusinessFactory,
    CaseFactory,
    ChildFactory,
    GroupFactory,
    HouseholdFactory,
    IntakeFactory,
    UserFactory,
)


@pytest.fixture
def van_ha(db):
    Ward.first()  # the first ward exists before its neighbour (after a flush too)
    return Ward.objects.create(code="09412", name="Vân Hà", province_name="Bắc Ninh")


@pytest.fixture
def van_ha_group(van_ha):
    return GroupFactory(code="TDP-01", name="Vân Hà 1", ward=van_ha)


def _user(username, role, agency, ward, groups=()):
    user = UserFactory(username=username)
    user_set_role(
        user=user, role=role, agency=Agency.objects.get(code=agency), ward=ward, groups=groups
    )
    return user


@pytest.fixture
def van_ha_officer(van_ha):
    return _user("vhxh_vanha", Role.CASE_OFFICER, "vhxh", van_ha)


@pytest.fixture
def province(db):
    user = UserFactory(username="tinh")
    user_set_role(user=user, role=Role.PROVINCE, agency=None)
    return user


@pytest.fixture
def two_wards(group_a, van_ha_group):
    ours = ChildFactory(household=HouseholdFactory(group=group_a), full_name="Trần Thị Đồng")
    theirs = ChildFactory(household=HouseholdFactory(group=van_ha_group), full_name="Lê Văn Hà")
    CaseFactory(child=ours)
    CaseFactory(child=theirs)
    return ours, theirs


def test_each_ward_sees_only_its_own_children_households_and_cases(
    two_wards, officer, van_ha_officer
):
    ours, theirs = two_wards
    assert list(Child.objects.for_user(officer)) == [ours]
    assert list(Child.objects.for_user(van_ha_officer)) == [theirs]
    assert list(Household.objects.for_user(van_ha_officer)) == [theirs.household]
    assert [c.child for c in Case.objects.for_user(van_ha_officer)] == [theirs]
    assert list(ResidentialGroup.objects.for_user(van_ha_officer)) == [theirs.household.group]


def test_the_province_role_sees_no_personal_data(two_wards, province):
    assert not Child.objects.for_user(province).exists()
    assert not Household.objects.for_user(province).exists()
    assert not Case.objects.for_user(province).exists()
    assert not IntakeReport.objects.for_user(province).exists()


def test_the_child_list_and_search_of_another_ward_name_none_of_ours(
    client, two_wards, van_ha_officer
):
    ours, theirs = two_wards
    client.force_login(van_ha_officer)
    page = client.get(reverse("children:list")).content.decode()
    assert theirs.full_name in page
    assert ours.full_name not in page
    found = client.get(reverse("children:list"), {"q": "tran thi dong"}).content.decode()
    assert ours.full_name not in found
    assert client.get(reverse("children:detail", kwargs={"pk": ours.pk})).status_code == 404


def test_codes_are_unique_per_ward_not_across_wards(group_a, van_ha_group):
    from django.core.exceptions import ValidationError

    from dongnguyen.errors import full_clean

    HouseholdFactory(group=group_a, code="HGD-001")
    # The same code in the next ward is another household.
    twin = HouseholdFactory(group=van_ha_group, code="HGD-001")
    assert twin.ward == van_ha_group.ward
    clash = Household(group=group_a, code="HGD-001", head_name="Nguyễn Văn Ba", address="X")
    with pytest.raises(ValidationError) as err:
        full_clean(clash)
    assert "code" in err.value.message_dict
    BusinessFactory(group=group_a, code="CS-01")
    assert BusinessFactory(group=van_ha_group, code="CS-01").ward == van_ha_group.ward
    assert Business.objects.filter(code="CS-01").count() == 2


def test_kpis_count_each_wards_own_children(two_wards, group_a, van_ha_group, van_ha):
    ours, theirs = two_wards
    ChildFactory(household=HouseholdFactory(group=van_ha_group))
    p = parse_period("2026")
    first = {v.code: v for v in kpis.compute(p, ward=Ward.first())}
    second = {v.code: v for v in kpis.compute(p, ward=van_ha)}
    every = {v.code: v for v in kpis.compute(p)}
    code = next(c for c, v in every.items() if v.unit == kpis.COUNT or v.denominator)
    # Whatever the KPI, the wards add up to the whole (numerators and denominators).
    assert first[code].numerator + second[code].numerator == every[code].numerator
    _ward, groups = kpis.compute_all_groups(p, ward=van_ha)
    assert set(groups) == {van_ha_group}


def test_a_new_tip_lands_in_the_recorders_ward(van_ha_officer, van_ha):
    from children.services.intake import intake_create

    intake = intake_create(by=van_ha_officer, channel="phone", description="Trẻ đi làm đêm")
    assert intake.ward == van_ha
    assert list(IntakeReport.objects.for_user(van_ha_officer)) == [intake]


def test_another_wards_tip_is_out_of_sight(officer, van_ha_group):
    IntakeFactory(channel="phone", group=van_ha_group, ward=van_ha_group.ward)
    assert not IntakeReport.objects.for_user(officer).exists()


def test_an_import_lands_in_the_importers_ward_and_finds_its_groups(
    group_a, van_ha_group, van_ha_officer
):
    from imports.models import ImportJob
    from imports.services import import_job_check, import_job_create, import_job_run
    from imports.tests.helpers import HOUSEHOLD_HEADERS, xlsx_bytes

    HouseholdFactory(group=group_a, code="HGD-VH-1")  # the first ward's: not updated
    rows = [["HGD-VH-1", "Nguyễn Văn Một", "Số 2", "TDP-01", "", ""]]
    job = import_job_create(
        kind="households",
        name="ho.xlsx",
        data=xlsx_bytes(HOUSEHOLD_HEADERS, rows),
        user=van_ha_officer,
    )
    assert job.ward == van_ha_group.ward
    job = import_job_check(job=job)
    assert (job.count_error, job.count_new) == (0, 1), job.rows
    ImportJob.objects.filter(pk=job.pk).update(status="queued", confirmed_by=van_ha_officer)
    job.refresh_from_db()
    import_job_run(job=job)
    made = Household.objects.get(code="HGD-VH-1", ward=van_ha_group.ward)
    assert made.group == van_ha_group  # TDP-01 of Vân Hà, not of the first ward


def test_report_numbers_run_per_ward(van_ha, officer, van_ha_officer):
    from reports.models import Report
    from reports.services import report_finalize

    made = {}
    for by, ward in ((officer, Ward.first()), (van_ha_officer, van_ha)):
        report = Report.objects.create(
            ward=ward,
            kind="semiannual",
            period="2030-H1",
            period_start=date(2030, 1, 1),
            period_end=date(2030, 6, 30),
            status="ready",
            data={},
        )
        made[ward.code] = report_finalize(report=report, by=by)
    assert {r.number for r in made.values()} == {"01/BC-UBND"}


def test_a_crawl_as_another_wards_officer_finds_none_of_our_childrens_names(
    client, two_wards, group_a, van_ha_officer
):
    import re
    from collections import deque

    ours, theirs = two_wards
    names = [ours.full_name] + [
        ChildFactory(household=HouseholdFactory(group=group_a), full_name=n).full_name
        for n in ("Phạm Thị Riêng", "Đỗ Văn Kín")
    ]
    IntakeFactory(child=ours, channel="police")
    client.force_login(van_ha_officer)
    skip = ("/static/", "/media/", "/dang-xuat", "/logout", "/quan-tri/", "/api/")
    seen, queue, pages = set(), deque([(reverse("home"), 0)]), 0
    while queue and pages < 120:
        url, depth = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        pages += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for name in names:
            assert name not in html, f"{name} shown to another ward on {url}"
        if depth >= 2:
            continue
        for link in re.findall(r'href="(/[^"#]*)"', html):
            link = link.replace("&amp;", "&")
            if not link.startswith(skip) and link not in seen:
                queue.append((link, depth + 1))
    assert pages > 10  # the crawl did walk the site
    assert theirs.full_name in client.get(reverse("children:list")).content.decode()


def test_a_health_station_lists_only_its_own_wards_referrals(two_wards, officer):
    """Agencies are province-wide (one "Trạm Y tế" for every ward): the health user's task list
    shows the referrals of the user's own ward, not another ward's children referred to the
    same agency."""
    from django.test import Client

    from children.models import Referral

    ours, theirs = two_wards
    for child in (ours, theirs):
        Referral.objects.create(
            child=child, agency=Agency.objects.get(code="yte"), referred_by=officer
        )
    client = Client()
    client.force_login(_user("yte_dongnguyen", Role.HEALTH, "yte", Ward.first()))
    page = client.get(reverse("children:tasks")).content.decode()
    assert ours.full_name in page
    assert theirs.full_name not in page
