"""A child's place on the managed list (at risk, or in a special group) is kept by the
database on every write path (children migration 0027), and the home page's and the
screening list's counts read it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import Child, SpecialGroup, managed_list_q
from tests.factories import ChildFactory, HouseholdFactory

pytestmark = pytest.mark.django_db
YOUNG = timezone.localdate() - dt.timedelta(days=365 * 9)


def _on(child) -> bool:
    return Child.objects.filter(managed_list_q(), pk=child.pk).exists()


def test_at_risk_puts_a_child_on_the_list_and_taking_it_off_removes_them():
    child = ChildFactory(at_risk=False)
    assert not _on(child)
    child.at_risk = True
    child.save()
    assert _on(child)
    Child.objects.filter(pk=child.pk).update(at_risk=False)  # a bulk update, no save()
    assert not _on(child)


def test_a_special_group_added_or_removed_moves_the_child_on_or_off_the_list():
    child = ChildFactory(at_risk=False)
    orphan, disabled = SpecialGroup.objects.get(code="a"), SpecialGroup.objects.get(code="d")
    child.special_groups.add(orphan, disabled)
    assert _on(child)
    child.special_groups.remove(orphan)
    assert _on(child)  # still in a group
    child.special_groups.remove(disabled)
    assert not _on(child)
    child.special_groups.set([disabled])
    assert _on(child)
    child.special_groups.clear()
    assert not _on(child)


def test_an_at_risk_child_stays_on_the_list_without_a_group_until_not_at_risk():
    child = ChildFactory(at_risk=True)
    child.special_groups.add(SpecialGroup.objects.get(code="a"))
    child.special_groups.clear()
    assert _on(child)
    child.at_risk = False
    child.save(update_fields=["at_risk"])
    assert not _on(child)


def test_rows_written_without_save_get_the_same_flag():
    household = HouseholdFactory()
    made = Child.objects.bulk_create(
        [
            Child(full_name="Lò Văn A", sex="male", birth_date=YOUNG, household=household),
            Child(
                full_name="Lò Thị B",
                sex="female",
                birth_date=YOUNG,
                household=household,
                at_risk=True,
            ),
        ]
    )
    through = Child.special_groups.through
    through.objects.bulk_create([through(child_id=made[0].pk, specialgroup_id="h")])
    assert _on(made[0]) and _on(made[1])
    # A stale in-memory flag written back by save() does not win over the rule.
    stale = Child.objects.get(pk=made[0].pk)
    stale.on_managed_list = False
    stale.save()
    assert _on(made[0])
    through.objects.filter(child_id=made[0].pk).delete()
    assert not _on(made[0])


def _tile(client) -> str:
    """The count of the home page's tile for the managed list not screened this year."""
    home = client.get(reverse("home")).content.decode()
    after = home.split("Trẻ trong danh sách quản lý chưa rà soát năm nay", 1)[1]
    return after.split("data-count>", 1)[1].split("<", 1)[0]


def test_the_home_tile_and_the_screening_list_count_the_managed_children_not_screened(
    client, officer, group_a
):
    household = HouseholdFactory(group=group_a)
    at_risk = ChildFactory(household=household, at_risk=True, birth_date=YOUNG)
    special = ChildFactory(household=household, at_risk=False, birth_date=YOUNG)
    special.special_groups.add(SpecialGroup.objects.get(code="a"))
    ChildFactory(household=household, at_risk=False, birth_date=YOUNG)  # not on the list
    client.force_login(officer)
    assert _tile(client) == "2"
    page = client.get(reverse("children:screening"), {"group": group_a.code}).content.decode()
    assert at_risk.full_name in page and special.full_name in page
    special.special_groups.clear()
    assert _tile(client) == "1"
