import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from children.filters import years_before
from children.models import Child, Screening, managed_list_q
from dongnguyen.models import Ward
from tests.factories import ChildFactory, GroupFactory, HouseholdFactory, ScreeningFactory


@pytest.fixture
def home_a(group_a):
    return HouseholdFactory(group=group_a)


def test_it_lists_managed_children_not_screened_this_year(client, ctv_a, home_a):
    today = timezone.localdate()
    due = ChildFactory(household=home_a, at_risk=True, full_name="Trần Văn Cần")
    special = ChildFactory(household=home_a, full_name="Lê Thị Đặc Biệt")
    special.special_groups.add("d")
    screened = ChildFactory(household=home_a, at_risk=True, full_name="Đã Rà Soát")
    ScreeningFactory(child=screened, date=today)
    last_year = ChildFactory(household=home_a, at_risk=True, full_name="Năm Ngoái")
    ScreeningFactory(child=last_year, date=today.replace(month=1, day=1) - dt.timedelta(days=1))
    ChildFactory(household=home_a, full_name="Không Nguy Cơ")
    ChildFactory(
        household=home_a, at_risk=True, full_name="Đủ Mười Sáu", birth_date=years_before(today, 16)
    )
    ChildFactory(
        household=home_a,
        at_risk=True,
        full_name="Đã Chuyển Đi",
        moved_out_on=today - dt.timedelta(days=3),
    )
    client.force_login(ctv_a)
    response = client.get(reverse("children:screening"))
    names = {c.full_name for c in response.context["page"]}
    assert names == {due.full_name, special.full_name, last_year.full_name}


def test_the_managed_list_column_is_the_same_rule_as_the_kpis_write(home_a):
    """managed_list_q() reads the column the database keeps (Child.on_managed_list); the KPI
    engine writes the rule from at_risk and the special-group rows (reports.conditions). Both
    pick exactly the same children in each ward."""
    from django.db.models import Exists, OuterRef, Q

    through = Child.special_groups.through
    other = Ward.objects.create(code="09400", name="Phường Tam Sơn", province_name="Bắc Ninh")
    away = HouseholdFactory(group=GroupFactory(code="TDP-99", ward=other))
    for household in (home_a, away):
        ChildFactory(household=household, at_risk=True)
        ChildFactory(household=household).special_groups.add("d")
        both = ChildFactory(household=household, at_risk=True)
        both.special_groups.add("d", "k")
        ChildFactory(household=household)
        left = ChildFactory(household=household)
        left.special_groups.add("d")
        left.special_groups.remove("d")
    for ward in (home_a.group.ward, other):
        scope = Child.objects.filter(ward=ward)
        column = scope.filter(managed_list_q())
        rule = scope.filter(
            Q(at_risk=True) | Q(Exists(through.objects.filter(child_id=OuterRef("pk"))))
        )
        assert list(column.order_by("pk").values_list("pk", flat=True)) == list(
            rule.order_by("pk").values_list("pk", flat=True)
        )
        assert column.count() == 3


def test_it_records_a_screening_by_htmx_and_updates_the_row(client, ctv_a, home_a):
    child = ChildFactory(household=home_a, at_risk=True)
    client.force_login(ctv_a)
    response = client.post(
        reverse("children:screening_record", args=[child.pk]),
        {"outcome": "child_labour"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<tr")
    assert "Đã rà soát" in html
    screening = Screening.objects.get(child=child)
    assert (screening.by, screening.outcome) == (ctv_a, "child_labour")
    assert "k" in child.special_groups.values_list("code", flat=True)
    assert child not in client.get(reverse("children:screening")).context["page"]


def test_it_redirects_a_plain_post_back_to_the_groups_list(client, officer, home_a):
    child = ChildFactory(household=home_a, at_risk=True)
    client.force_login(officer)
    response = client.post(
        reverse("children:screening_record", args=[child.pk]), {"outcome": "no_risk"}
    )
    assert response.url.endswith("?group=TDP-01")


def test_it_refuses_an_unknown_outcome(client, officer, home_a):
    child = ChildFactory(household=home_a, at_risk=True)
    client.force_login(officer)
    response = client.post(reverse("children:screening_record", args=[child.pk]), {"outcome": "x"})
    assert response.status_code == 400 and not Screening.objects.exists()


def test_it_keeps_collaborators_to_their_groups_screening(client, ctv_a, group_b):
    client.force_login(ctv_a)
    assert client.get(reverse("children:screening"), {"group": group_b.code}).status_code == 404


def test_it_sets_risk_and_special_groups_and_returns_to_the_list(client, ctv_a, home_a):
    child = ChildFactory(household=home_a)
    client.force_login(ctv_a)
    back = reverse("children:screening") + "?group=TDP-01"
    response = client.post(
        reverse("children:risk", args=[child.pk]),
        {
            "at_risk": "on",
            "risk_factors": "Nhà gần xưởng sơn",
            "special_groups": ["h"],
            "next": back,
        },
    )
    assert response.url == back
    child.refresh_from_db()
    assert child.at_risk and child.risk_factors == "Nhà gần xưởng sơn"
    assert list(child.special_groups.values_list("code", flat=True)) == ["h"]


def test_it_ignores_a_next_url_to_another_site(client, ctv_a, home_a):
    child = ChildFactory(household=home_a)
    client.force_login(ctv_a)
    response = client.post(
        reverse("children:risk", args=[child.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("children:detail", args=[child.pk])


@pytest.mark.parametrize("rows", [3, 30])
def test_it_shows_the_screening_list_in_constant_queries(
    client, officer, home_a, django_assert_num_queries, rows
):
    for _ in range(rows):
        ChildFactory(household=home_a, at_risk=True).special_groups.add("d")
    client.force_login(officer)
    # session, user, profile, groups, count, page rows with household, their special groups,
    # the access-log insert
    with django_assert_num_queries(8):
        response = client.get(reverse("children:screening"), {"group": "TDP-01"})
    assert len(response.context["page"]) == rows
