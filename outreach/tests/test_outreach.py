"""Awareness sessions, coverage and trainings: rules, access per role, query counts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outreach import services
from outreach.coverage import coverage_by_group, households_not_reached
from outreach.models import OutreachSession, Training
from tests.factories import (
    BusinessFactory,
    ChildFactory,
    GroupFactory,
    HouseholdFactory,
    InspectionFactory,
    OutreachSessionFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year


def _child_in(household, age=10):
    return ChildFactory(household=household, birth_date=TODAY.replace(year=TODAY.year - age))


def test_it_lets_a_collaborator_log_a_session_of_their_group_only(ctv_a, group_a, group_b):
    with pytest.raises(ValidationError):
        services.session_save(
            session=OutreachSession(group=group_b, channel="x", topic="t"), by=ctv_a
        )
    with pytest.raises(ValidationError):
        services.session_save(session=OutreachSession(group=None, channel="x", topic="t"), by=ctv_a)
    saved = services.session_save(
        session=OutreachSession(group=group_a, channel="door_to_door", topic="t"), by=ctv_a
    )
    assert saved.created_by == ctv_a


def test_it_refuses_households_out_of_scope(ctv_a, group_a, group_b):
    theirs = HouseholdFactory(group=group_b)
    with pytest.raises(ValidationError):
        services.session_save(
            session=OutreachSession(group=group_a, channel="x", topic="t"),
            by=ctv_a,
            households=[theirs],
        )
    assert not OutreachSession.objects.exists()


def test_it_adds_all_households_with_children_of_the_group(officer, group_a, group_b):
    with_child = HouseholdFactory(group=group_a)
    _child_in(with_child)
    adult_only = HouseholdFactory(group=group_a)
    _child_in(adult_only, age=17)
    HouseholdFactory(group=group_a)
    _child_in(HouseholdFactory(group=group_b))
    session = services.session_save(
        session=OutreachSession(group=group_a, channel="door_to_door", topic="t"),
        by=officer,
        all_households_with_children=True,
    )
    assert list(session.households_reached.all()) == [with_child]


def test_it_computes_coverage_per_group(officer, group_a, group_b):
    reached, missed = HouseholdFactory(group=group_a), HouseholdFactory(group=group_a)
    _child_in(reached), _child_in(missed)
    session = OutreachSessionFactory(group=group_a, date=TODAY)
    session.households_reached.add(reached)
    informed, _uninformed = BusinessFactory(group=group_a), BusinessFactory(group=group_a)
    InspectionFactory(business=informed, date=TODAY, legal_dissemination=True)
    BusinessFactory(group=group_b)
    rows = {r.group: r for r in coverage_by_group([group_a, group_b], YEAR)}
    a, b = rows[group_a], rows[group_b]
    assert (a.sessions, a.households_with_children, a.households_not_reached) == (1, 2, 1)
    assert (a.businesses, a.businesses_not_reached) == (2, 1)
    assert a.households_reached_pct == 50.0
    assert (b.sessions, b.businesses_not_reached) == (0, 1)
    assert list(households_not_reached(YEAR)) == [missed]


def test_it_counts_a_ward_wide_session_as_reaching_households(group_a):
    h = HouseholdFactory(group=group_a)
    _child_in(h)
    OutreachSessionFactory(group=None, date=TODAY).households_reached.add(h)
    row = coverage_by_group([group_a], YEAR)[0]
    assert (row.sessions, row.households_not_reached) == (0, 0)


@pytest.mark.parametrize("n_groups", [3, 30])
def test_it_computes_coverage_in_constant_queries(
    client, officer, django_assert_num_queries, n_groups
):
    for i in range(n_groups):
        group = GroupFactory(code=f"TDP-C{i:02d}")
        _child_in(HouseholdFactory(group=group))
        BusinessFactory(group=group)
        OutreachSessionFactory(group=group, date=TODAY)
    client.force_login(officer)
    # session, user, profile, groups, sessions by group, households by group,
    # businesses by group, ward-wide sessions count
    with django_assert_num_queries(8):
        assert client.get(reverse("outreach:coverage")).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_sessions_in_constant_queries(
    client, officer, django_assert_num_queries, rows, group_a
):
    for _ in range(rows):
        s = OutreachSessionFactory(group=group_a, date=TODAY)
        s.households_reached.add(HouseholdFactory(group=group_a))
    client.force_login(officer)
    # session, user, profile, count, page of sessions (group, organizer, counts), groups select
    with django_assert_num_queries(6):
        assert client.get(reverse("outreach:session_list")).status_code == 200


def test_it_shows_a_collaborator_only_their_groups_sessions(client, ctv_a, group_a, group_b):
    mine = OutreachSessionFactory(group=group_a, date=TODAY, topic="Họp tổ Thanh Bình")
    theirs = OutreachSessionFactory(group=group_b, date=TODAY, topic="Họp tổ Trang Liệt")
    client.force_login(ctv_a)
    page = client.get(reverse("outreach:session_list")).content.decode()
    assert mine.topic in page and theirs.topic not in page
    assert client.get(reverse("outreach:session_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("outreach:session_edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("outreach:session_edit", args=[mine.pk])).status_code == 200


def test_it_lets_a_collaborator_read_but_not_edit_ward_wide_sessions(client, ctv_a):
    ward = OutreachSessionFactory(group=None, date=TODAY)
    client.force_login(ctv_a)
    assert client.get(reverse("outreach:session_detail", args=[ward.pk])).status_code == 200
    assert client.get(reverse("outreach:session_edit", args=[ward.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("finance", 403), ("case_officer", 200), ("collaborator", 200), ("mass_org", 200)],
)
def test_it_gives_each_role_its_access_to_sessions(client, personas, role, status):
    client.force_login(personas[role])
    assert client.get(reverse("outreach:session_list")).status_code == status


def test_it_gives_finance_no_session(finance):
    OutreachSessionFactory()
    assert not OutreachSession.objects.for_user(finance).exists()


def test_it_logs_a_session_with_picked_households(client, ctv_a, group_a):
    h1, h2 = HouseholdFactory(group=group_a), HouseholdFactory(group=group_a)
    b = BusinessFactory(group=group_a)
    client.force_login(ctv_a)
    response = client.post(
        reverse("outreach:session_create"),
        {
            "group": group_a.pk,
            "date": TODAY.strftime("%d/%m/%Y"),
            "channel": "residents_meeting",
            "topic": "Phòng, chống lao động trẻ em trong làng nghề",
            "attendee_count": 40,
            "caregiver_count": 30,
            "children_count": 5,
            "leaflets": 40,
            "posters": 2,
            "booklets": 10,
            "households": [h1.pk, h2.pk],
            "businesses": [b.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = OutreachSession.objects.get()
    assert set(session.households_reached.all()) == {h1, h2}
    assert list(session.businesses_reached.all()) == [b]


def test_it_searches_households_for_the_picker(client, ctv_a, group_a, group_b):
    HouseholdFactory(group=group_a, head_name="Nguyễn Văn Thước")
    HouseholdFactory(group=group_b, head_name="Nguyễn Văn Thuộc")
    client.force_login(ctv_a)
    page = client.get(reverse("outreach:household_picker"), {"hq": "nguyen van thu"})
    assert "Thước" in page.content.decode() and "Thuộc" not in page.content.decode()


def test_it_lists_coverage_gaps_of_one_group_and_hides_other_groups(
    client, ctv_a, group_a, group_b
):
    missed = HouseholdFactory(group=group_a, head_name="Lê Văn Chưa")
    _child_in(missed)
    client.force_login(ctv_a)
    page = client.get(reverse("outreach:coverage_group", args=[group_a.pk]))
    assert "Lê Văn Chưa" in page.content.decode()
    assert client.get(reverse("outreach:coverage_group", args=[group_b.pk])).status_code == 404


def test_it_records_a_training_with_participants(client, officer, ctv_a, police):
    client.force_login(officer)
    response = client.post(
        reverse("outreach:training_create"),
        {
            "title": "Tập huấn nghiệp vụ bảo vệ trẻ em",
            "date": TODAY.strftime("%d/%m/%Y"),
            "organizer": "province",
            "outside_participants": 12,
            "topics": "Quy trình Nghị định 56",
            "participants": [ctv_a.pk, police.pk],
        },
    )
    assert response.status_code == 302
    assert set(Training.objects.get().participants.all()) == {ctv_a, police}


def test_it_lists_staff_not_trained_this_year(client, officer, ctv_a, police):
    TrainingFactory(date=TODAY).participants.add(ctv_a)
    TrainingFactory(date=dt.date(YEAR - 1, 6, 1)).participants.add(police)
    client.force_login(officer)
    page = client.get(reverse("outreach:untrained")).content.decode()
    from dongnguyen.text import person_name

    assert person_name(police) in page
    assert "ctv1" not in page


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_trainings_and_untrained_in_constant_queries(
    client, officer, police, django_assert_num_queries, rows
):
    for _ in range(rows):
        TrainingFactory(date=TODAY).participants.add(officer)
    client.force_login(officer)
    # session, user, profile, count, page with participant counts
    with django_assert_num_queries(5):
        assert client.get(reverse("outreach:training_list")).status_code == 200
    # session, user, profile, total, count, page (profile, agency joined)
    with django_assert_num_queries(6):
        assert client.get(reverse("outreach:untrained")).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"), [("police", 403), ("collaborator", 403), ("leadership", 200)]
)
def test_it_keeps_trainings_to_leadership_and_officers(client, personas, role, status):
    client.force_login(personas[role])
    assert client.get(reverse("outreach:training_list")).status_code == status


def test_it_shows_the_year_without_a_thousands_separator(client, officer, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    client.force_login(officer)
    page = client.get(reverse("outreach:coverage"), {"year": YEAR}).content.decode()
    assert f'value="{YEAR}"' in page and f"năm {YEAR}" in page


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_one_groups_gaps_in_constant_queries(
    client, officer, group_a, django_assert_num_queries, rows
):
    for _ in range(rows):
        _child_in(HouseholdFactory(group=group_a))
    client.force_login(officer)
    url = reverse("outreach:coverage_group", args=[group_a.pk])
    # session, user, profile, the group, count, page of households, access-log insert
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
