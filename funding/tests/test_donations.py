"""Social mobilization (issue 15 point 3): donors, donations, supports drawing on them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from children.services import support_record
from dongnguyen.models import Agency
from funding import services
from funding.models import Donation, Donor
from reports import mgmt
from reports.periods import Period
from tests.factories import ChildFactory, HouseholdFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=30)


@pytest.fixture
def donation(mass_org):
    donor = services.donor_save(
        donor=Donor(name="Công ty TNHH Gỗ Mỹ nghệ Đồng Kỵ", kind="organisation"), by=mass_org
    )
    return services.donation_save(
        donation=Donation(
            donor=donor, date=START, amount_vnd=5_000_000, purpose="Học bổng cho trẻ bỏ học"
        ),
        by=mass_org,
    )


def _support(by, child, donation, amount, kind="scholarship"):
    return support_record(
        child=child,
        by=by,
        kind=kind,
        provider=Agency.objects.get(code="hoiphunu"),
        date=START + dt.timedelta(days=2),
        amount_vnd=amount,
        donation=donation,
    )


def test_a_donation_partly_spent_across_two_supports(officer, mass_org, donation, group_a):
    child_1 = ChildFactory(household=HouseholdFactory(group=group_a), full_name="Nguyễn Văn Tùng")
    child_2 = ChildFactory(household=HouseholdFactory(group=group_a), full_name="Lê Thị Hoa")
    s1 = _support(officer, child_1, donation, 2_000_000)
    _support(officer, child_2, donation, 1_500_000)
    assert s1.funding_source == "social_mobilization"
    fresh = Donation.objects.with_spent().get(pk=donation.pk)
    assert (fresh.spent, fresh.remaining) == (3_500_000, 1_500_000)
    # More than what is left is refused, with the balance in the message.
    with pytest.raises(ValidationError) as err:
        _support(officer, child_2, donation, 1_600_000)
    assert "1.500.000" in " ".join(err.value.messages)
    # The report lists the resources by source without naming the children.
    rows = mgmt.mobilized(Period(START, TODAY, "x"))
    assert rows == [
        {
            "donor": "Công ty TNHH Gỗ Mỹ nghệ Đồng Kỵ",
            "kind": "Tổ chức, doanh nghiệp",
            "n": 1,
            "cash": 5_000_000,
            "goods": 0,
            "total": 5_000_000,
            "used": 3_500_000,
        }
    ]


def test_the_pages_show_the_balance_and_not_the_children(
    client, officer, mass_org, donation, group_a
):
    child = ChildFactory(household=HouseholdFactory(group=group_a), full_name="Nguyễn Văn Tùng")
    _support(officer, child, donation, 2_000_000)
    client.force_login(mass_org)
    listing = client.get(reverse("funding:donation_list")).content.decode()
    assert "3.000.000" in listing  # remaining
    detail = client.get(reverse("funding:donation_detail", args=[donation.pk])).content.decode()
    assert "2.000.000 / 3.000.000" in detail
    assert "Nguyễn Văn Tùng" not in detail and group_a.code in detail


def test_a_restricted_donation_funds_only_its_group_and_kind(officer, mass_org, group_a, group_b):
    donor = services.donor_save(donor=Donor(name="Ông Trần Văn Hậu", kind="person"), by=mass_org)
    restricted = services.donation_save(
        donation=Donation(
            donor=donor,
            date=START,
            in_kind="30 bộ sách giáo khoa",
            value_vnd=3_000_000,
            purpose="Đồ dùng học tập",
            restricted_to_group=group_a,
            restricted_to_kind="school_supplies",
        ),
        by=mass_org,
    )
    in_b = ChildFactory(household=HouseholdFactory(group=group_b))
    with pytest.raises(ValidationError):
        _support(officer, in_b, restricted, 100_000, kind="school_supplies")
    in_a = ChildFactory(household=HouseholdFactory(group=group_a))
    with pytest.raises(ValidationError):
        _support(officer, in_a, restricted, 100_000, kind="scholarship")
    assert _support(officer, in_a, restricted, 100_000, kind="school_supplies").pk


def test_a_donation_is_cash_or_goods_with_a_value(mass_org):
    donor = services.donor_save(
        donor=Donor(name="Hội Doanh nhân trẻ", kind="organisation"), by=mass_org
    )
    for bad in ({}, {"in_kind": "20 xe đạp"}):
        with pytest.raises(ValidationError):
            services.donation_save(
                donation=Donation(donor=donor, date=START, purpose="Hỗ trợ", **bad), by=mass_org
            )


def test_mass_organisations_record_donations_through_the_form(client, mass_org):
    donor = services.donor_save(
        donor=Donor(name="Quỹ Khuyến học", kind="organisation"), by=mass_org
    )
    client.force_login(mass_org)
    response = client.post(
        reverse("funding:donation_create"),
        {
            "donor": donor.pk,
            "date": TODAY.strftime("%d/%m/%Y"),
            "amount_vnd": "1000000",
            "purpose": "Học bổng",
        },
    )
    assert response.status_code == 302
    assert Donation.objects.get().recorded_by == mass_org


def test_the_donation_list_costs_the_same_queries_for_more_rows(
    client, mass_org, django_assert_max_num_queries
):
    donor = services.donor_save(
        donor=Donor(name="Quỹ Khuyến học", kind="organisation"), by=mass_org
    )

    def add(n):
        for _ in range(n):
            services.donation_save(
                donation=Donation(donor=donor, date=START, amount_vnd=1000, purpose="x"),
                by=mass_org,
            )

    client.force_login(mass_org)
    add(2)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("funding:donation_list"))
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("funding:donation_list")).status_code == 200
