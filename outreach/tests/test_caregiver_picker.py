"""Caregivers reached by a session (issue 14.3): picked from a search of the session's group
(or the group's caregivers of children), within the editor's scope, shown again when editing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import OutreachSession
from tests.factories import ChildFactory, HouseholdFactory, OutreachSessionFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def session_data(group, **extra):
    return {
        "group": group.pk,
        "date": TODAY.strftime("%d/%m/%Y"),
        "channel": "residents_meeting",
        "topic": "Phòng, chống lao động trẻ em",
        "attendee_count": 12,
        "caregiver_count": 10,
        "children_count": 0,
        "leaflets": 0,
        "posters": 0,
        "booklets": 0,
        **extra,
    }


@pytest.fixture
def people(group_a, group_b):
    with_child = HouseholdFactory(group=group_a, code="A-01", head_name="Nguyễn Văn Thước")
    ChildFactory(household=with_child, birth_date=TODAY.replace(year=TODAY.year - 9))
    childless = HouseholdFactory(group=group_a, code="A-02", head_name="Lê Văn Khải")
    other = HouseholdFactory(group=group_b, code="B-01", head_name="Trần Văn Khác")
    return {
        "mother": with_child.caregivers.create(name="Đỗ Thị Hường", relation="Mẹ"),
        "grandma": with_child.caregivers.create(name="Phạm Thị Lụa", relation="Bà"),
        "aunt": childless.caregivers.create(name="Lê Thị Hương", relation="Cô"),
        "stranger": other.caregivers.create(name="Trần Thị Hường", relation="Mẹ"),
        "group_a": group_a,
        "group_b": group_b,
    }


def pick(client, **params):
    response = client.get(reverse("outreach:caregiver_picker"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_finds_caregivers_of_the_group_by_name_or_household(client, ctv_a, people):
    client.force_login(ctv_a)
    group = people["group_a"].pk
    # diacritics and case ignored; the other group's "Hường" is never offered
    html = pick(client, group=group, cq="HUONG")
    assert "Đỗ Thị Hường" in html and "Lê Thị Hương" in html
    assert "Trần Thị Hường" not in html and "Phạm Thị Lụa" not in html
    # by the household's head or code: all its caregivers
    by_head = pick(client, group=group, cq="thuoc")
    assert "Đỗ Thị Hường" in by_head and "Phạm Thị Lụa" in by_head and "Lê Thị Hương" not in by_head
    assert "Phạm Thị Lụa" in pick(client, group=group, cq="A-01")
    # the caregivers of the group's children, at one click
    of_children = pick(client, group=group, children="1")
    assert "Đỗ Thị Hường" in of_children and "Lê Thị Hương" not in of_children
    # another group's id gives nothing outside the collaborator's scope
    assert "Trần Thị Hường" not in pick(client, group=people["group_b"].pk, children="1")
    assert "Không có kết quả" in pick(client)


def test_a_session_records_the_picked_caregivers_and_shows_them_again(client, ctv_a, people):
    client.force_login(ctv_a)
    response = client.post(
        reverse("outreach:session_create"),
        session_data(people["group_a"], caregivers=[people["mother"].pk, people["aunt"].pk]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = OutreachSession.objects.get()
    assert set(session.caregivers_reached.all()) == {people["mother"], people["aunt"]}
    detail = client.get(response["Location"]).content.decode()
    assert "Đỗ Thị Hường" in detail
    edit = client.get(reverse("outreach:session_edit", args=[session.pk])).content.decode()
    assert f'name="caregivers" value="{people["mother"].pk}"' in edit
    assert f'id="caregivers-p{people["aunt"].pk}" checked' in edit


def test_a_forged_caregiver_of_another_group_is_refused(client, ctv_a, people):
    client.force_login(ctv_a)
    response = client.post(
        reverse("outreach:session_create"),
        session_data(people["group_a"], caregivers=[people["stranger"].pk]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["caregivers"]
    assert not OutreachSession.objects.exists()


def test_an_edit_keeps_the_caregivers_the_editor_cannot_see(client, ctv_a, officer, people):
    # the officer recorded a caregiver of another group too; the collaborator of group A
    # changes only the ones they may see
    session = OutreachSessionFactory(group=people["group_a"], created_by=officer)
    session.caregivers_reached.add(people["mother"], people["stranger"])
    client.force_login(ctv_a)
    edit = client.get(reverse("outreach:session_edit", args=[session.pk])).content.decode()
    assert "Trần Thị Hường" not in edit
    response = client.post(
        reverse("outreach:session_edit", args=[session.pk]),
        session_data(people["group_a"], caregivers=[people["grandma"].pk], version=session.version),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(session.caregivers_reached.all()) == {people["grandma"], people["stranger"]}


@pytest.mark.parametrize("n", [2, 20])
def test_the_picker_takes_constant_queries(client, officer, group_a, django_assert_num_queries, n):
    for i in range(n):
        HouseholdFactory(group=group_a).caregivers.create(
            name=f"Nguyễn Thị Mẹ {chr(65 + i)}", relation="Mẹ"
        )
    client.force_login(officer)
    # session, user, profile, the households matching, the group's caregivers with their
    # households, the access-log insert
    with django_assert_num_queries(6):
        html = pick(client, group=group_a.pk, cq="nguyen thi me")
    assert html.count('name="caregivers"') == n
