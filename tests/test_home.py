import pytest
from django.urls import reverse

from .factories import ChildFactory, HouseholdFactory, IntakeFactory

# What each role's menu must and must not offer (of the pages that exist so far).
MENU_RULES = {
    "leadership": ({"Trang chủ", "Hộ gia đình"}, set()),
    "case_officer": ({"Trang chủ", "Hộ gia đình"}, set()),
    "collaborator": ({"Trang chủ", "Hộ gia đình"}, set()),
    "finance": ({"Trang chủ"}, {"Hộ gia đình", "Trẻ em", "Hồ sơ vụ việc"}),
    "police": ({"Trang chủ"}, {"Hộ gia đình"}),
    "health": ({"Trang chủ"}, {"Hộ gia đình"}),
    "mass_org": ({"Trang chủ"}, {"Hộ gia đình"}),
}


@pytest.mark.parametrize("role", list(MENU_RULES))
def test_it_shows_each_role_its_own_home_and_menu(client, personas, role):
    client.force_login(personas[role])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    labels = {item["label"] for item in response.context["nav_menu"]}
    must, must_not = MENU_RULES[role]
    assert must <= {str(x) for x in labels}
    assert not (must_not & {str(x) for x in labels})
    assert "Xin chào" in response.content.decode()


def test_it_tells_the_officer_about_new_tips(client, officer):
    IntakeFactory.create_batch(3)
    client.force_login(officer)
    response = client.get(reverse("home"))
    items = {str(i.label): i.count for i in response.context["items"]}
    assert items["Phản ánh mới chưa xử lý"] == 3


def test_it_counts_only_the_collaborators_own_group(client, ctv_a, group_a, group_b):
    mine = HouseholdFactory(group=group_a)
    theirs = HouseholdFactory(group=group_b)
    ChildFactory(household=mine, at_risk=True)
    ChildFactory(household=theirs, at_risk=True)
    client.force_login(ctv_a)
    response = client.get(reverse("home"))
    items = {str(i.label): i.count for i in response.context["items"]}
    assert items["Trẻ trong danh sách quản lý chưa rà soát năm nay"] == 1


def test_it_formats_dates_and_numbers_the_vietnamese_way(db):
    import datetime as dt

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        out = Template(
            "{% load humanize %}{{ d|date:'SHORT_DATE_FORMAT' }} {{ n|intcomma }} {{ year }}"
        ).render(Context({"d": dt.date(2026, 4, 28), "n": 1234567, "year": 2026}))
    assert out == "28/04/2026 1.234.567 2026"


def test_it_speaks_vietnamese_to_an_english_browser_until_asked(client, officer):
    client.force_login(officer)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.wsgi_request.LANGUAGE_CODE == "vi"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert '<option value="vi">' in response.content.decode()


def _managed_children(n, group):
    """n unscreened children on the managed list (at risk, in a special group) and as many
    screened this year, with a case each: rows every tile of the officer's home counts."""
    from children.models import SpecialGroup

    from .factories import CaseFactory, ScreeningFactory

    special = SpecialGroup.objects.order_by("order").first()
    for _ in range(n):
        home = HouseholdFactory(group=group)
        ChildFactory(household=home, at_risk=True)
        ChildFactory(household=home).special_groups.add(special)
        ScreeningFactory(child=ChildFactory(household=home, at_risk=True))
        CaseFactory(child=ChildFactory(household=home))


def test_it_counts_the_officers_tiles_in_the_same_queries_for_any_number_of_children(
    client, officer, group_a, django_assert_num_queries
):
    client.force_login(officer)
    client.get(reverse("home"))  # the session and the ward are cached by a first request
    label = "Trẻ trong danh sách quản lý chưa rà soát năm nay"
    for n in (1, 6):
        _managed_children(n if n == 1 else n - 1, group_a)
        # session, user, profile; intake reports; cases; the managed list unscreened (one
        # query for both reasons); planned inspections and open violations (one query)
        with django_assert_num_queries(7):
            response = client.get(reverse("home"))
        items = {str(i.label): i.count for i in response.context["items"]}
        assert items[label] == 2 * n  # the at-risk and the special child of each household
        assert items["Hồ sơ đang mở"] == n
