"""Every tile of every role's home page leads to a page that works and lists what it counts."""

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse

from portal.demo import USERS

# The list pages whose filtered row count must equal the tile's count.
COUNTED_PAGES = {
    "children:intake_list",
    "children:case_list",
    "inspections:inspection_list",
    "inspections:violation_list",
}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False


def test_it_links_every_home_tile_to_a_working_page_that_filters_as_counted(client, demo):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    for username, *_ in USERS:
        client.force_login(User.objects.get(username=username))
        home = client.get(reverse("home"))
        assert home.status_code == 200
        items = home.context["items"]
        assert items, username
        body = home.content.decode()
        for item in items:
            assert item.url, (username, item.label)
            assert f'href="{item.url.replace("&", "&amp;")}"' in body, (username, item.url)
            page = client.get(item.url)
            assert page.status_code == 200, (username, item.label, item.url)
            match = resolve(item.url.split("?")[0])
            if f"{match.namespace}:{match.url_name}" in COUNTED_PAGES:
                listed = page.context["page"].paginator.count
                assert listed == item.count, (username, str(item.label), item.url)


def test_it_gives_leadership_the_plans_to_approve_and_a_kpi_summary(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="lanhdao"))
    items = {str(i.label): i for i in client.get(reverse("home")).context["items"]}
    plans = items["Kế hoạch chờ phê duyệt"]
    assert plans.url == reverse("children:case_list") + "?status=plan_drafted"
    kpi = next(i for label, i in items.items() if label.startswith("Chỉ tiêu năm"))
    assert kpi.url.startswith(reverse("reports:dashboard"))
    assert kpi.count is not None  # the demo stores this year's snapshots


def test_it_says_when_no_kpi_numbers_are_stored_yet(client, leader):
    client.force_login(leader)
    response = client.get(reverse("home"))
    kpi = next(i for i in response.context["items"] if str(i.label).startswith("Chỉ tiêu năm"))
    assert kpi.count is None and "chưa có số liệu tổng hợp" in str(kpi.label)
    assert client.get(kpi.url).status_code == 200
