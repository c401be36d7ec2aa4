"""The yearly screening of the whole register (issue 14.7): every register child of a group
not screened this year (not only the managed list), households and businesses screened with
an at-risk flag, reasons and date, and the coverage shown beside K3, K8 and K9."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dongnguyen.errors import ServiceError
from households.models import HouseholdScreening
from households.services import household_screen
from inspections.models import BusinessScreening
from inspections.services import business_screen
from reports.kpis import compute
from reports.periods import parse_period
from tests.factories import BusinessFactory, ChildFactory, HouseholdFactory, ScreeningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_a(group_a):
    return HouseholdFactory(group=group_a, code="HA-1", head_name="Nguyễn Văn Hộ")


def test_the_whole_register_lists_every_unscreened_child_not_only_the_managed(
    client, ctv_a, home_a
):
    today = timezone.localdate()
    managed = ChildFactory(household=home_a, at_risk=True, full_name="Trần Văn Cần")
    plain = ChildFactory(household=home_a, full_name="Lê Thị Thường")
    done = ChildFactory(household=home_a, full_name="Đã Rà Soát")
    ScreeningFactory(child=done, date=today)
    client.force_login(ctv_a)
    managed_only = client.get(reverse("children:screening"), {"group": "TDP-01"})
    assert {c.full_name for c in managed_only.context["page"]} == {managed.full_name}
    whole = client.get(reverse("children:screening"), {"group": "TDP-01", "whole": "1"})
    assert {c.full_name for c in whole.context["page"]} == {managed.full_name, plain.full_name}
    html = whole.content.decode()
    assert "Toàn bộ trẻ em" in html and "whole=1" in html  # the tab, kept by the pager


def test_a_household_is_screened_at_risk_with_reasons(client, ctv_a, home_a):
    client.force_login(ctv_a)
    url = reverse("households:screen", args=[home_a.pk])
    # at risk without a reason: refused, nothing saved, the row comes back with the message
    refused = client.post(url, {"at_risk": "1", "reasons": "  "}, HTTP_HX_REQUEST="true")
    assert "Hãy ghi lý do, dấu hiệu nguy cơ" in refused.content.decode()
    assert not HouseholdScreening.objects.exists()
    ok = client.post(
        url,
        {"at_risk": "1", "reasons": "Bố mẹ đi làm xa, con nghỉ học phụ xưởng"},
        HTTP_HX_REQUEST="true",
    )
    assert ok.content.decode().lstrip().startswith("<tr")
    (s,) = HouseholdScreening.objects.all()
    assert (s.household, s.by, s.at_risk, s.date) == (home_a, ctv_a, True, timezone.localdate())
    # screened this year: off the list
    listed = client.get(reverse("households:screening"), {"group": "TDP-01"})
    assert home_a not in listed.context["page"]


def test_a_business_is_screened_and_leaves_the_list(client, officer, group_a):
    shop = BusinessFactory(group=group_a, name="Xưởng sơn PU Tân Lập")
    closed = BusinessFactory(group=group_a, active=False)
    client.force_login(officer)
    listed = client.get(reverse("inspections:business_screening"), {"group": "TDP-01"})
    assert list(listed.context["page"]) == [shop]
    assert closed not in listed.context["page"]
    response = client.post(reverse("inspections:business_screen", args=[shop.pk]), {"at_risk": "0"})
    assert response.url.endswith("?group=TDP-01")
    (s,) = BusinessScreening.objects.all()
    assert (s.business, s.at_risk, s.reasons) == (shop, False, "")
    assert (
        not client.get(reverse("inspections:business_screening"), {"group": "TDP-01"})
        .context["page"]
        .object_list
    )


def test_the_services_check_the_rules_and_the_role(officer, health, home_a, group_a):
    with pytest.raises(ServiceError):
        household_screen(household=home_a, by=officer, at_risk=True, reasons="")
    with pytest.raises(ServiceError):  # a date in the future
        household_screen(
            household=home_a,
            by=officer,
            at_risk=False,
            on=timezone.localdate() + dt.timedelta(days=1),
        )
    with pytest.raises(ServiceError):  # the health station does not screen
        business_screen(business=BusinessFactory(group=group_a), by=health, at_risk=False)
    assert not HouseholdScreening.objects.exists() and not BusinessScreening.objects.exists()


def test_a_collaborator_screens_only_their_groups(client, ctv_a, group_b):
    other_home = HouseholdFactory(group=group_b)
    other_shop = BusinessFactory(group=group_b)
    client.force_login(ctv_a)
    assert client.get(reverse("households:screening"), {"group": "TDP-08"}).status_code == 404
    assert (
        client.get(reverse("inspections:business_screening"), {"group": "TDP-08"}).status_code
        == 404
    )
    for url in (
        reverse("households:screen", args=[other_home.pk]),
        reverse("inspections:business_screen", args=[other_shop.pk]),
    ):
        assert client.post(url, {"at_risk": "0"}).status_code == 404
    assert not HouseholdScreening.objects.exists() and not BusinessScreening.objects.exists()


@pytest.mark.parametrize("rows", [2, 20])
def test_the_screening_lists_take_constant_queries(
    client, officer, group_a, django_assert_num_queries, rows
):
    for n in range(rows):
        home = HouseholdFactory(group=group_a)
        ChildFactory(household=home, full_name=f"Nguyễn Văn Thứ {'I' * (n % 5 + 1)}")
        BusinessFactory(group=group_a)
    client.force_login(officer)
    # session, user, profile, groups, count, page rows with household, their special groups,
    # the access-log insert
    with django_assert_num_queries(8):
        whole = client.get(reverse("children:screening"), {"group": "TDP-01", "whole": "1"})
    assert len(whole.context["page"]) == rows
    # session, user, profile, groups, count, page rows, the access-log insert
    with django_assert_num_queries(7):
        homes = client.get(reverse("households:screening"), {"group": "TDP-01"})
    assert len(homes.context["page"]) == rows
    # session, user, profile, groups, count, page rows
    with django_assert_num_queries(6):
        shops = client.get(reverse("inspections:business_screening"), {"group": "TDP-01"})
    assert len(shops.context["page"]) == rows


def test_the_dashboard_figures_count_the_screenings_of_the_period(officer, group_a, group_b):
    h1 = parse_period("2026-H1")
    in_p, before = dt.date(2026, 3, 1), dt.date(2025, 12, 1)
    homes = [HouseholdFactory(group=g) for g in (group_a, group_a, group_b)]
    HouseholdScreening.objects.create(household=homes[0], date=in_p, at_risk=True, reasons="x")
    HouseholdScreening.objects.create(household=homes[2], date=before)
    shops = [BusinessFactory(group=g) for g in (group_a, group_b, group_b)]
    BusinessFactory(group=group_b, active=False)  # inactive: in no denominator
    BusinessScreening.objects.create(business=shops[1], date=in_p)
    BusinessScreening.objects.create(business=shops[2], date=in_p)
    as_of = timezone.make_aware(dt.datetime(2026, 7, 1, 12))
    ward = {k.code: k for k in compute(h1, as_of=as_of)}
    assert ward["K8"].extra["households_screened"] == {
        "numerator": 1,
        "denominator": 3,
        "value": str(Decimal("33.3")),
    }
    assert ward["K9"].extra["businesses_screened"]["numerator"] == 2
    assert ward["K9"].extra["businesses_screened"]["denominator"] == 3
    a = {k.code: k for k in compute(h1, group=group_a, as_of=as_of)}
    assert (
        a["K8"].extra["households_screened"]["numerator"],
        a["K8"].extra["households_screened"]["denominator"],
    ) == (1, 2)
    assert a["K9"].extra["businesses_screened"]["numerator"] == 0
    # and the tile shows them by their catalogue labels
    labels = dict(ward["K8"].extra_lines) | dict(ward["K9"].extra_lines)
    assert labels == {"Hộ gia đình được rà soát": "33,3%", "Cơ sở được rà soát": "66,7%"}
