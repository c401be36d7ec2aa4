"""The ward a child and a case belong to is a column kept by the database (issue 19: the
lists read ward-led indexes; its screenings, follow-ups and supports carry it too, for the
report's "screened / followed up / supported" of one ward). Whatever writes a child, a case, a household or a group, the
child and its cases are listed in the ward of the child's household, and only there."""

from datetime import date

import pytest
from django.urls import reverse

from children.models import Case, Child, FollowUp, Screening, Support
from children.services import transfer_accept, transfer_send
from dongnguyen.models import Agency, Ward
from dongnguyen.roles import Role
from dongnguyen.services import user_set_role
from households.models import Household
from tests.factories import (
    CaseFactory,
    ChildFactory,
    FollowUpFactory,
    GroupFactory,
    HouseholdFactory,
    ScreeningFactory,
    SupportFactory,
    UserFactory,
)


@pytest.fixture
def ward_a(db):
    return Ward.first()


@pytest.fixture
def ward_b(db):
    return Ward.objects.create(code="09400", name="Phường Tam Sơn", province_name="Bắc Ninh")


@pytest.fixture
def group_a(ward_a):
    return GroupFactory(code="TDP-01", name="Thanh Bình", ward=ward_a)


@pytest.fixture
def group_b(ward_b):
    return GroupFactory(code="TS-01", name="Tam Sơn 1", ward=ward_b)


def _officer(username, ward):
    user = UserFactory(username=username)
    profile = user_set_role(
        user=user, role=Role.CASE_OFFICER, agency=Agency.objects.get(code="vhxh")
    )
    profile.ward = ward
    profile.save(update_fields=["ward"])
    return user


@pytest.fixture
def officer_a(ward_a):
    return _officer("vhxh", ward_a)


@pytest.fixture
def officer_b(ward_b):
    return _officer("vhxh_tamson", ward_b)


@pytest.fixture
def child(group_a):
    child = ChildFactory(
        household=HouseholdFactory(group=group_a),
        full_name="Trần Thị Mai Anh",
        registered_on=date(2026, 1, 5),
    )
    CaseFactory(child=child)
    return child


def _wards(child):
    """The stored ward of the child and of each of its cases (read back from the database)."""
    stored = Child.objects.values_list("ward_id", flat=True).get(pk=child.pk)
    cases = set(Case.objects.filter(child_id=child.pk).values_list("ward_id", flat=True))
    return stored, cases


def _listed(client, user, child):
    """Whether `user` finds the child in the child list, its name search, its case in the
    case list, and may open its page."""
    client.force_login(user)
    listed = child.pk in [c["pk"] for c in client.get(reverse("children:list")).context["page"]]
    found = child.pk in [
        c["pk"] for c in client.get(reverse("children:list"), {"q": "tran thi mai"}).context["page"]
    ]
    cases = {c["child_id"] for c in client.get(reverse("children:case_list")).context["page"]}
    page = client.get(reverse("children:detail", args=[child.pk])).status_code
    return listed, found, child.pk in cases, page


def test_a_new_child_and_case_take_the_ward_of_the_household(child, ward_a):
    assert _wards(child) == (ward_a.pk, {ward_a.pk})


def test_the_ward_comes_from_the_household_whatever_python_sends(child, ward_a, ward_b):
    # An object loaded before a move, saved after it, does not put the old ward back; a
    # value set in Python is not taken either: the household decides.
    stale = Child.objects.get(pk=child.pk)
    stale.ward = ward_b
    stale.notes = "Sửa ghi chú"
    stale.save()
    assert _wards(child) == (ward_a.pk, {ward_a.pk})


def test_a_transferred_child_and_its_case_are_listed_in_the_receiving_ward_only(
    client, child, officer_a, officer_b, ward_b, group_b
):
    assert _listed(client, officer_a, child) == (True, True, True, 200)
    assert _listed(client, officer_b, child) == (False, False, False, 404)
    transfer = transfer_send(child=child, to_ward=ward_b, by=officer_a)
    transfer_accept(transfer=transfer, by=officer_b, household=HouseholdFactory(group=group_b))
    assert _wards(child) == (ward_b.pk, {ward_b.pk})
    assert _listed(client, officer_b, child) == (True, True, True, 200)
    assert _listed(client, officer_a, child) == (False, False, False, 404)


def test_a_household_moved_to_a_group_of_another_ward_takes_its_children(
    client, child, officer_a, officer_b, ward_b, group_b
):
    household = Household.objects.get(pk=child.household_id)
    household.group = group_b
    household.save()
    assert Household.objects.values_list("ward_id", flat=True).get(pk=household.pk) == ward_b.pk
    assert _wards(child) == (ward_b.pk, {ward_b.pk})
    assert _listed(client, officer_b, child) == (True, True, True, 200)
    assert _listed(client, officer_a, child) == (False, False, False, 404)


def test_a_group_moved_to_another_ward_takes_its_households_children_and_cases(
    client, child, group_a, officer_a, officer_b, ward_b
):
    # A bulk update (as the admin's or a script's) runs no save(): the database follows.
    type(group_a).objects.filter(pk=group_a.pk).update(ward=ward_b)
    assert Household.objects.values_list("ward_id", flat=True).get(pk=child.household_id) == (
        ward_b.pk
    )
    assert _wards(child) == (ward_b.pk, {ward_b.pk})
    assert _listed(client, officer_b, child) == (True, True, True, 200)
    assert _listed(client, officer_a, child) == (False, False, False, 404)


def test_bulk_writes_get_the_ward_too(group_a, group_b, ward_a, ward_b):
    # bulk_create (imports, seed_scale) and QuerySet.update run no save().
    home = HouseholdFactory(group=group_a)
    [made] = Child.objects.bulk_create(
        [
            Child(
                full_name="Lê Văn Bình",
                search_name="le van binh",
                sex="male",
                birth_date=date(2015, 3, 1),
                household=home,
            )
        ]
    )
    [case] = Case.objects.bulk_create([Case(child=made)])
    assert _wards(made) == (ward_a.pk, {ward_a.pk})
    Child.objects.filter(pk=made.pk).update(household=HouseholdFactory(group=group_b))
    assert _wards(made) == (ward_b.pk, {ward_b.pk})
    other = ChildFactory(household=HouseholdFactory(group=group_a))
    Case.objects.filter(pk=case.pk).update(child=other)
    assert Case.objects.values_list("ward_id", flat=True).get(pk=case.pk) == ward_a.pk


def _row_wards(child) -> set:
    """The stored ward of each of the child's screenings, follow-ups and supports."""
    return {
        ward
        for model in (Screening, FollowUp, Support)
        for ward in model.objects.filter(child_id=child.pk).values_list("ward_id", flat=True)
    }


def test_a_childs_screenings_follow_ups_and_supports_carry_its_ward_wherever_it_goes(
    child, officer_a, officer_b, ward_a, ward_b, group_b
):
    ScreeningFactory(child=child)
    FollowUpFactory(child=child)
    SupportFactory(child=child)
    assert _row_wards(child) == {ward_a.pk}
    transfer = transfer_send(child=child, to_ward=ward_b, by=officer_a)
    transfer_accept(transfer=transfer, by=officer_b, household=HouseholdFactory(group=group_b))
    assert _row_wards(child) == {ward_b.pk}
    # A value set in Python is not taken (the child decides), nor by a bulk update.
    screening = Screening.objects.get(child=child)
    screening.ward = ward_a
    screening.notes = "Sửa ghi chú"
    screening.save()
    FollowUp.objects.filter(child=child).update(ward=ward_a)
    assert _row_wards(child) == {ward_b.pk}
    # Moved to another child (a correction), a support takes that child's ward.
    other = ChildFactory(household=HouseholdFactory(group=GroupFactory(ward=ward_a)))
    Support.objects.filter(child=child).update(child=other)
    assert set(Support.objects.filter(child=other).values_list("ward_id", flat=True)) == {ward_a.pk}
