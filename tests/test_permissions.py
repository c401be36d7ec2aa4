"""The permission table (dongnguyen/permissions.py) drives the view decorator, the services, the
menu, the home tiles and the template buttons: change a row and all of them follow.

tests/test_access_matrix.py is the independent spec of today's table; these tests change the
table (monkeypatch) to show that every reader really reads it."""

from dataclasses import replace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from children import services
from children.models import Case
from dongnguyen.errors import ServiceError
from dongnguyen.permissions import (
    ACTIONS,
    PREVIOUS,
    SAME,
    TRANSITIONS,
    NotPermitted,
    can_move,
    may,
    permission_required,
    require,
)
from dongnguyen.roles import Role
from portal import home, navigation

from .factories import CaseFactory

APPROVE = "Phê duyệt kế hoạch</button>"


def _only(monkeypatch, step, *roles):
    monkeypatch.setitem(TRANSITIONS, step, replace(TRANSITIONS[step], roles=frozenset(roles)))


def _approve(client, case):
    return client.post(
        reverse("children:case_step", args=[case.pk]),
        {"step": "approve", "version": case.version, "note": ""},
    )


# --- the table itself ---------------------------------------------------------------------


def test_it_names_only_roles_and_case_statuses_that_exist():
    for action, roles in ACTIONS.items():
        assert roles <= set(Role.values), action
    statuses = set(Case.Status.values)
    for step, t in TRANSITIONS.items():
        assert t.roles and t.roles <= set(Role.values), step
        assert set(t.sources) <= statuses, step
        assert t.to in statuses | {SAME, PREVIOUS}, step


def test_it_refuses_an_unknown_action_loudly(officer):
    with pytest.raises(KeyError, match="case.aprove"):
        may(officer, "case.aprove")
    with pytest.raises(KeyError, match="child.wiev"):
        permission_required("child.wiev")


def test_it_reads_each_case_step_as_an_action(leader, officer):
    assert may(leader, "case.approve") and not may(officer, "case.approve")
    assert may(officer, "case.assess") and not may(leader, "case.assess")
    # the step form takes the steps of both
    assert may(leader, "case.step") and may(officer, "case.step")


def test_it_refuses_anonymous_users():
    assert not may(AnonymousUser(), "home.view")
    with pytest.raises(NotPermitted):
        require(AnonymousUser(), "home.view")


# --- services -----------------------------------------------------------------------------


def test_it_raises_a_service_error_that_is_also_a_403(police):
    with pytest.raises(NotPermitted) as caught:
        require(police, "case.open")
    assert isinstance(caught.value, ServiceError)
    assert isinstance(caught.value, PermissionDenied)
    assert "không có quyền" in caught.value.text


def test_it_lets_the_services_follow_the_table(monkeypatch, leader, officer):
    case = CaseFactory(status=Case.Status.PLAN_DRAFTED)
    _only(monkeypatch, "approve", Role.CASE_OFFICER)
    with pytest.raises(ServiceError):
        services.case_plan_approve(case=case, by=leader, version=case.version)
    services.case_plan_approve(case=case, by=officer, version=case.version)
    assert Case.objects.get(pk=case.pk).status == Case.Status.PLAN_APPROVED


@pytest.mark.parametrize(
    ("step", "call", "user"),
    [
        ("start", services.case_start, "officer"),
        ("monitor", services.case_monitor, "officer"),
        ("approve", services.case_plan_approve, "leader"),
    ],
)
@pytest.mark.parametrize("status", Case.Status.values)
def test_it_lets_a_case_through_a_step_exactly_from_the_tables_statuses(
    request, step, call, user, status
):
    """The statuses the case page offers a step from are those its service accepts."""
    by = request.getfixturevalue(user)
    case = CaseFactory(status=status)
    if can_move(by, case, step):
        call(case=case, by=by, version=case.version)
        assert Case.objects.get(pk=case.pk).status == TRANSITIONS[step].to
    else:
        with pytest.raises(ServiceError):
            call(case=case, by=by, version=case.version)


# --- views and buttons ----------------------------------------------------------------------


def test_it_shows_the_approve_button_to_the_roles_of_the_table(client, leader, officer):
    case = CaseFactory(status=Case.Status.PLAN_DRAFTED)
    url = reverse("children:case_detail", args=[case.pk])
    client.force_login(leader)
    assert APPROVE in client.get(url).content.decode()
    client.force_login(officer)
    assert APPROVE not in client.get(url).content.decode()
    # the officer posts the step form for other steps, but not this one
    assert _approve(client, case).status_code == 403
    assert Case.objects.get(pk=case.pk).status == Case.Status.PLAN_DRAFTED


def test_it_takes_button_url_and_service_away_with_the_row(monkeypatch, client, leader):
    """Leadership loses the approval: no button, 403 from the step URL, refused by the service."""
    case = CaseFactory(status=Case.Status.PLAN_DRAFTED)
    _only(monkeypatch, "approve", Role.CASE_OFFICER)
    client.force_login(leader)
    page = client.get(reverse("children:case_detail", args=[case.pk])).content.decode()
    assert APPROVE not in page
    assert _approve(client, case).status_code == 403
    with pytest.raises(ServiceError):
        services.case_plan_approve(case=case, by=leader, version=case.version)


def test_it_gives_button_and_step_to_a_role_the_row_adds(monkeypatch, client, officer):
    case = CaseFactory(status=Case.Status.PLAN_DRAFTED)
    _only(monkeypatch, "approve", Role.CASE_OFFICER)
    client.force_login(officer)
    assert APPROVE in client.get(reverse("children:case_detail", args=[case.pk])).content.decode()
    _approve(client, case)
    assert Case.objects.get(pk=case.pk).status == Case.Status.PLAN_APPROVED


def test_it_shows_a_step_only_from_the_tables_statuses(monkeypatch, client, officer):
    case = CaseFactory(status=Case.Status.IN_PROGRESS)
    url = reverse("children:case_detail", args=[case.pk])
    client.force_login(officer)
    monitor = 'value="monitor"'
    assert monitor in client.get(url).content.decode()
    monkeypatch.setitem(
        TRANSITIONS, "monitor", replace(TRANSITIONS["monitor"], sources=("plan_approved",))
    )
    assert monitor not in client.get(url).content.decode()


def test_it_guards_a_view_with_the_table(monkeypatch, client, leader):
    url = reverse("outreach:training_list")
    client.force_login(leader)
    assert client.get(url).status_code == 200
    monkeypatch.setitem(ACTIONS, "training.view", frozenset({Role.CASE_OFFICER}))
    assert client.get(url).status_code == 403


def test_it_sends_anonymous_users_to_sign_in(client):
    response = client.get(reverse("outreach:training_list"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_it_reads_the_table_in_templates(monkeypatch, health, finance):
    template = Template('{% load access %}{% if user|may:"case.sheet" %}yes{% else %}no{% endif %}')
    assert template.render(Context({"user": health})) == "yes"
    assert template.render(Context({"user": finance})) == "no"
    monkeypatch.setitem(ACTIONS, "case.sheet", frozenset({Role.FINANCE}))
    assert template.render(Context({"user": health})) == "no"
    assert template.render(Context({"user": finance})) == "yes"


def test_it_moves_a_case_in_templates(leader, officer):
    template = Template(
        '{% load access %}{% can_move user case "approve" as ok %}{% if ok %}yes{% else %}no{% endif %}'
    )
    drafted = Case(status=Case.Status.PLAN_DRAFTED)
    assert template.render(Context({"user": leader, "case": drafted})) == "yes"
    assert template.render(Context({"user": officer, "case": drafted})) == "no"
    received = Case(status=Case.Status.RECEIVED)
    assert template.render(Context({"user": leader, "case": received})) == "no"


# --- menu and home tiles --------------------------------------------------------------------


def _menu_urls(user):
    return {item["url"] for item in navigation.menu_for(user)}


def test_it_builds_the_menu_from_the_table(monkeypatch, leader, officer):
    training = reverse("outreach:training_list")
    assert training in _menu_urls(leader)
    monkeypatch.setitem(ACTIONS, "training.view", frozenset({Role.CASE_OFFICER}))
    assert training not in _menu_urls(leader)
    assert training in _menu_urls(officer)


def test_it_shows_each_menu_entry_to_exactly_the_roles_its_page_admits(personas, client):
    """Every entry's page answers 200 for those who get the entry (the menu cannot promise a
    page the decorator refuses)."""
    for user in personas.values():
        client.force_login(user)
        for url in _menu_urls(user):
            assert client.get(url).status_code == 200, (user.username, url)


def test_it_fails_loudly_on_a_mistyped_menu_url(monkeypatch, officer):
    entry = navigation.Entry("Trẻ em", "children:lits", "child.view")
    monkeypatch.setattr(navigation, "MENU", [*navigation.MENU, entry])
    with pytest.raises(NoReverseMatch):
        navigation.menu_for(officer)


def test_it_fails_loudly_on_a_mistyped_tile_url():
    with pytest.raises(NoReverseMatch):
        home._url("reports:dashbaord")


def _tile_labels(user):
    return [str(item.label) for item in home.attention_items(user)]


def test_it_gives_the_home_tiles_by_the_table(monkeypatch, leader, officer, finance):
    def has_kpi_tile(user):
        return any(label.startswith("Chỉ tiêu năm") for label in _tile_labels(user))

    assert has_kpi_tile(leader) and not has_kpi_tile(officer)
    monkeypatch.setitem(ACTIONS, "kpi.targets", frozenset({Role.CASE_OFFICER}))
    assert has_kpi_tile(officer) and not has_kpi_tile(leader)

    assert "Lượt hỗ trợ trong năm" in _tile_labels(finance)
    monkeypatch.setitem(ACTIONS, "finance.summary", frozenset())
    assert "Lượt hỗ trợ trong năm" not in _tile_labels(finance)


def test_it_reads_the_approval_tile_from_the_transition(monkeypatch, leader):
    assert "Kế hoạch chờ phê duyệt" in _tile_labels(leader)
    _only(monkeypatch, "approve", Role.CASE_OFFICER)
    assert "Kế hoạch chờ lãnh đạo phê duyệt" in _tile_labels(leader)
