import pytest
from django.urls import reverse

from households.filters import HouseholdFilter
from households.models import Caregiver, Household
from tests.factories import ChildFactory, HouseholdFactory


def _form(group, **extra):
    return {
        "code": "HGD-01-900",
        "head_name": "Đỗ Văn Hòa",
        "address": "Số 12 đường TL277, khu phố Thanh Bình, Đồng Kỵ",
        "group": group.pk,
        "phone": "0912 345 678",
        "poverty_status": "near_poor",
        "notes": "",
        **extra,
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("leadership", 200),
        ("case_officer", 200),
        ("collaborator", 200),
        ("health", 403),
        ("police", 403),
        ("finance", 403),
        ("mass_org", 403),
    ],
)
def test_it_opens_household_pages_only_to_the_registers_keepers(
    client, personas, group_a, persona, status
):
    household = HouseholdFactory(group=group_a)
    client.force_login(personas[persona])
    assert client.get(reverse("households:list")).status_code == status
    assert client.get(reverse("households:detail", args=[household.pk])).status_code == status


def test_it_gives_a_collaborator_of_another_group_404_on_detail_and_edit(client, ctv_b, group_a):
    household = HouseholdFactory(group=group_a)
    client.force_login(ctv_b)
    assert client.get(reverse("households:detail", args=[household.pk])).status_code == 404
    assert client.get(reverse("households:edit", args=[household.pk])).status_code == 404
    assert client.get(reverse("households:caregiver_add", args=[household.pk])).status_code == 404


def test_it_keeps_leadership_read_only(client, leader, group_a):
    household = HouseholdFactory(group=group_a)
    client.force_login(leader)
    assert client.get(reverse("households:create")).status_code == 403
    assert (
        client.post(reverse("households:edit", args=[household.pk]), _form(group_a)).status_code
        == 403
    )


def test_it_lets_an_officer_create_a_household(client, officer, group_a):
    client.force_login(officer)
    response = client.post(reverse("households:create"), _form(group_a))
    household = Household.objects.get(code="HGD-01-900")
    assert response.url == reverse("households:detail", args=[household.pk])
    assert household.phone == "0912345678"
    assert household.search_name == "do van hoa"


def test_it_limits_a_collaborators_group_choices_to_their_own(client, ctv_a, group_a, group_b):
    client.force_login(ctv_a)
    response = client.post(reverse("households:create"), _form(group_b))
    assert response.status_code == 200
    assert not Household.objects.filter(code="HGD-01-900").exists()
    assert "group" in response.context["form"].errors
    assert client.post(reverse("households:create"), _form(group_a)).status_code == 302


def test_it_refuses_a_bad_phone_and_a_taken_code_in_vietnamese(client, officer, group_a):
    HouseholdFactory(code="HGD-01-900", group=group_a)
    client.force_login(officer)
    response = client.post(reverse("households:create"), _form(group_a, phone="12345"))
    errors = response.context["form"].errors
    assert "10 chữ số" in errors["phone"][0]
    assert "đã có" in errors["code"][0]
    assert 'value="12345"' in response.content.decode()  # what was typed stays


def test_it_shows_who_changed_what_on_the_detail_page(client, officer, group_a):
    household = HouseholdFactory(group=group_a, head_name="Trần Văn Bình")
    client.force_login(officer)
    client.post(
        reverse("households:edit", args=[household.pk]),
        _form(group_a, code=household.code, head_name="Trần Văn Bình", poverty_status="poor"),
    )
    html = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert "Lịch sử thay đổi" in html
    assert "Hộ nghèo" in html and officer.last_name in html


def test_it_adds_edits_and_removes_caregivers(client, ctv_a, group_a):
    household = HouseholdFactory(group=group_a)
    client.force_login(ctv_a)
    client.post(
        reverse("households:caregiver_add", args=[household.pk]),
        {"name": "Nguyễn Thị Mai", "relation": "Mẹ", "phone": ""},
    )
    caregiver = Caregiver.objects.get(household=household)
    client.post(
        reverse("households:caregiver_edit", args=[caregiver.pk]),
        {"name": "Nguyễn Thị Mai", "relation": "Bà ngoại", "phone": "0987654321"},
    )
    caregiver.refresh_from_db()
    assert caregiver.relation == "Bà ngoại"
    client.post(reverse("households:caregiver_remove", args=[caregiver.pk]))
    assert not Caregiver.objects.exists()


def test_it_shows_the_households_children(client, officer, group_a):
    child = ChildFactory(household=HouseholdFactory(group=group_a), full_name="Lê Văn Tùng")
    client.force_login(officer)
    html = client.get(reverse("households:detail", args=[child.household_id])).content.decode()
    assert "Lê Văn Tùng" in html


def test_it_searches_head_names_without_diacritics(rf, officer, group_a):
    HouseholdFactory(head_name="Nguyễn Văn Đức", group=group_a)
    HouseholdFactory(head_name="Trần Thị Hoa", group=group_a)
    for text in ("nguyen van duc", "NGUYỄN VĂN ĐỨC", "Đức"):
        request = rf.get("/", {"q": text})
        request.user = officer
        qs = HouseholdFilter(
            request.GET, queryset=Household.objects.for_user(officer), request=request
        ).qs
        assert [h.head_name for h in qs] == ["Nguyễn Văn Đức"]


def test_it_shows_each_households_row_with_its_link_and_poverty_label(client, officer, group_a):
    poor = HouseholdFactory(group=group_a, code="HGD-1", poverty_status="poor")
    ChildFactory(household=poor)
    HouseholdFactory(group=group_a, code="HGD-2")
    client.force_login(officer)
    page = client.get(reverse("households:list")).content.decode()
    url = reverse("households:detail", args=[poor.pk])
    assert f'<td><a href="{url}">HGD-1</a></td>' in page
    label = Household(poverty_status="poor").get_poverty_status_display()
    assert (
        f'<span class="badge text-bg-warning">{label}</span></td>\n  <td class="text-end">1</td>'
        in page
    )
    assert f"<td>{Household(poverty_status='none').get_poverty_status_display()}</td>" in page


def test_it_filters_by_group_and_poverty_and_sorts(client, officer, group_a, group_b):
    HouseholdFactory(head_name="An", group=group_a, poverty_status="poor")
    HouseholdFactory(head_name="Bình", group=group_a)
    HouseholdFactory(head_name="Cúc", group=group_b, poverty_status="poor")
    client.force_login(officer)
    page = client.get(reverse("households:list"), {"group": "TDP-01", "poverty_status": "poor"})
    assert [h["head_name"] for h in page.context["page"]] == ["An"]
    page = client.get(reverse("households:list"), {"sort": "-head_name"})
    assert [h["head_name"] for h in page.context["page"]] == ["Cúc", "Bình", "An"]


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_households_in_a_constant_number_of_queries(
    client, officer, group_a, django_assert_num_queries, rows
):
    for _ in range(rows):
        ChildFactory(household=HouseholdFactory(group=group_a))
    client.force_login(officer)
    # session, user, profile (role), the chosen group (filter validation), count,
    # the group options of the filter form, the page's rows with group and child counts,
    # the access-log insert
    with django_assert_num_queries(8):
        response = client.get(reverse("households:list"), {"group": "TDP-01"})
    assert len(response.context["page"]) == rows
