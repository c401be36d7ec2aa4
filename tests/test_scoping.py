"""Every lookup is scoped by the viewer; out of scope is a 404, never a leak."""

from django.urls import reverse

from children.models import Child
from dongnguyen.models import AccessLog
from households.models import Household

from .factories import ChildFactory, HouseholdFactory


def test_it_shows_a_collaborator_only_their_groups_households(client, ctv_a, group_a, group_b):
    mine = HouseholdFactory(group=group_a)
    theirs = HouseholdFactory(group=group_b)
    assert list(Household.objects.for_user(ctv_a)) == [mine]
    client.force_login(ctv_a)
    assert client.get(reverse("households:detail", args=[mine.pk])).status_code == 200
    response = client.get(reverse("households:detail", args=[theirs.pk]))
    assert response.status_code == 404
    assert theirs.head_name not in response.content.decode()


def test_it_logs_who_viewed_a_household(client, officer):
    household = HouseholdFactory()
    client.force_login(officer)
    client.get(reverse("households:detail", args=[household.pk]))
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id) == (officer, "view", str(household.pk))


def test_it_gives_finance_no_personal_data(finance):
    ChildFactory()
    assert not Child.objects.for_user(finance).exists()
    assert not Household.objects.for_user(finance).exists()


def test_it_gives_mass_organisations_only_children_referred_to_them(mass_org, officer):
    from children.models import Referral

    referred, other = ChildFactory(), ChildFactory()
    Referral.objects.create(child=referred, agency=mass_org.profile.agency, referred_by=officer)
    assert list(Child.objects.for_user(mass_org)) == [referred]
    assert other not in Child.objects.for_user(officer).none()


def test_it_gives_anonymous_users_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    ChildFactory()
    assert not Child.objects.for_user(AnonymousUser()).exists()
