"""The minors who worked at a business: on its page (scoped) and linked in the demo ward."""

import pytest
from django.urls import reverse

from children import demo as children_demo
from children.models import Child, WorkRecord
from households import demo as households_demo
from inspections import demo as inspections_demo
from portal import demo
from tests.factories import BusinessFactory, ChildFactory, HouseholdFactory, WorkRecordFactory


def test_it_lists_the_minors_of_a_business_to_those_who_may_see_them(
    client, police, health, group_a
):
    business = BusinessFactory(group=group_a, sector="woodwork")
    child = ChildFactory(full_name="Đặng Văn Khoa", household=HouseholdFactory(group=group_a))
    WorkRecordFactory(child=child, business=business, job_code="other_general")
    url = reverse("inspections:business_detail", args=[business.pk])
    client.force_login(police)
    body = client.get(url).content.decode()
    assert "Đặng Văn Khoa" in body and "Công việc khác" in body
    assert reverse("children:detail", args=[child.pk]) in body
    # The health station reads managed children, those with a case and those found in unlawful
    # work (who need a health check, DESIGN.md): this one is in unlawful work.
    client.force_login(health)
    body = client.get(url).content.decode()
    assert "Đặng Văn Khoa" in body


@pytest.mark.django_db
def test_it_links_unlawful_demo_work_to_woodworking_businesses_of_the_childs_group():
    ctx = demo.new_context()
    demo.seed(ctx)
    households_demo.seed(ctx)
    children_demo.seed(ctx)
    inspections_demo.seed(ctx)
    linked = WorkRecord.objects.filter(
        business__isnull=False, lawful=False, found_in__isnull=True
    ).select_related("business", "child__household")
    assert linked.count() >= 5
    for record in linked:
        assert record.business.sector == "woodwork"
        assert record.business.group_id == record.child.household.group_id
        assert record.employer_name == record.business.name
    police_children = Child.objects.for_user(ctx.users["congan"])
    assert police_children.filter(work_records__in=linked).exists()
