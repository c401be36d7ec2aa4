"""A many-to-many edited by someone who sees only part of it: what they cannot see is kept.

Each form is opened as its editor's browser gets it and sent back unchanged (or with one
visible member taken out); the members outside the editor's scope must all still be there."""

from datetime import date

import pytest
from django.urls import reverse

from children.models import SpecialGroup
from dongnguyen.m2m import set_visible
from households.models import Household
from outreach.models import OutreachSession

from .factories import (
    BusinessFactory,
    ChildFactory,
    HouseholdFactory,
    OutreachSessionFactory,
    TrainingFactory,
    UserFactory,
)
from .test_versioning import as_browser, open_form


@pytest.fixture
def session_40(group_a):
    """A session that reached 40 households nobody outside the ward office sees, and one
    household with an at-risk child (on the managed list, so the health station sees it)."""
    hidden = [HouseholdFactory(group=group_a) for _ in range(40)]
    seen = HouseholdFactory(group=group_a)
    ChildFactory(household=seen, at_risk=True, birth_date=date(2015, 3, 1))
    session = OutreachSessionFactory(group=group_a)
    session.households_reached.set([*hidden, seen])
    return session, hidden, seen


@pytest.mark.parametrize("persona", ["health", "mass_org"])
def test_it_keeps_every_household_a_partial_scope_editor_cannot_see(persona, session_40, request):
    session, hidden, seen = session_40
    user = request.getfixturevalue(persona)
    url = reverse("outreach:session_edit", args=[session.pk])
    client, form = open_form(user, url)

    response = client.post(url, as_browser(form))
    assert response.status_code == 302, response.context["form"].errors
    assert session.households_reached.count() == 41


def test_it_lets_the_health_station_take_out_only_the_household_it_sees(health, session_40):
    session, hidden, seen = session_40
    url = reverse("outreach:session_edit", args=[session.pk])
    client, form = open_form(health, url)
    data = as_browser(form)
    assert data["households"] == [str(seen.pk)]  # the 40 others are not on the page
    data.pop("households")

    assert client.post(url, data).status_code == 302
    reached = set(session.households_reached.values_list("pk", flat=True))
    assert reached == {h.pk for h in hidden}


def test_it_keeps_the_businesses_of_other_groups_a_collaborator_cannot_see(ctv_a, group_a, group_b):
    own, other = BusinessFactory(group=group_a), BusinessFactory(group=group_b)
    session = OutreachSessionFactory(group=group_a)
    session.businesses_reached.set([own, other])
    url = reverse("outreach:session_edit", args=[session.pk])
    client, form = open_form(ctv_a, url)
    assert as_browser(form)["businesses"] == [str(own.pk)]

    response = client.post(url, as_browser(form))
    assert response.status_code == 302, response.context["form"].errors
    assert set(session.businesses_reached.all()) == {own, other}


def test_it_keeps_training_participants_no_longer_on_the_form(officer, ctv_a):
    left = UserFactory(is_active=False)  # took the course, has since left the ward office
    training = TrainingFactory()
    training.participants.set([ctv_a, left])
    url = reverse("outreach:training_edit", args=[training.pk])
    client, form = open_form(officer, url)

    response = client.post(url, as_browser(form))
    assert response.status_code == 302, response.context["form"].errors
    assert set(training.participants.all()) == {ctv_a, left}


@pytest.mark.parametrize("page", ["children:edit", "children:risk"])
def test_it_keeps_a_childs_special_groups_on_an_unchanged_save(page, officer, group_a):
    child = ChildFactory(
        household=HouseholdFactory(group=group_a, head_name="Trần Văn Chủ"),
        full_name="Nguyễn Thị Bé",
        birth_date=date(2015, 3, 1),
    )
    child.special_groups.set(SpecialGroup.objects.filter(code__in=["a", "k"]))
    url = reverse(page, args=[child.pk])
    client, form = open_form(officer, url)

    response = client.post(url, as_browser(form))
    assert response.status_code == 302, response.context["form"].errors
    assert sorted(child.special_groups.values_list("code", flat=True)) == ["a", "k"]


def test_it_changes_only_the_visible_members_of_a_set(group_a, group_b):
    mine = [HouseholdFactory(group=group_a) for _ in range(3)]
    theirs = [HouseholdFactory(group=group_b) for _ in range(2)]
    session = OutreachSessionFactory()
    session.households_reached.set([mine[0], mine[1], *theirs])
    visible = Household.objects.filter(group=group_a)

    set_visible(session.households_reached, [mine[1], mine[2].pk, theirs[0]], visible)

    reached = set(OutreachSession.objects.get(pk=session.pk).households_reached.all())
    # mine[0] taken out, mine[2] added; theirs kept as they were — and a chosen row outside
    # the editor's scope (theirs[0]) is not what keeps it: it was already there.
    assert reached == {mine[1], mine[2], *theirs}
    set_visible(session.households_reached, [], Household.objects.filter(pk=theirs[1].pk))
    assert set(session.households_reached.all()) == {mine[1], mine[2], theirs[0]}
