"""Named personas, one per role (healthchecks style), usable from every app's tests."""

import pytest

from dongnguyen.models import Agency
from dongnguyen.roles import Role
from dongnguyen.services import user_set_role

from .factories import GroupFactory, UserFactory

PASSWORD = "matkhau-Thu-2026"  # noqa: S105


@pytest.fixture
def group_a(db):
    return GroupFactory(code="TDP-01", name="Thanh Bình")


@pytest.fixture
def group_b(db):
    return GroupFactory(code="TDP-08", name="Trang Liệt 1")


def _persona(username, role, agency_code, groups=()):
    user = UserFactory(username=username)
    user_set_role(user=user, role=role, agency=Agency.objects.get(code=agency_code), groups=groups)
    return user


@pytest.fixture
def leader(db):
    return _persona("lanhdao", Role.LEADERSHIP, "ubnd")


@pytest.fixture
def officer(db):
    return _persona("vhxh", Role.CASE_OFFICER, "vhxh")


@pytest.fixture
def health(db):
    return _persona("yte", Role.HEALTH, "yte")


@pytest.fixture
def police(db):
    return _persona("congan", Role.POLICE, "congan")


@pytest.fixture
def finance(db):
    return _persona("kinhte", Role.FINANCE, "kthtdt")


@pytest.fixture
def ctv_a(db, group_a):
    return _persona("ctv1", Role.COLLABORATOR, "tdp", [group_a])


@pytest.fixture
def ctv_b(db, group_b):
    return _persona("ctv2", Role.COLLABORATOR, "tdp", [group_b])


@pytest.fixture
def mass_org(db):
    return _persona("doanthe", Role.MASS_ORG, "hoiphunu")


@pytest.fixture
def personas(leader, officer, health, police, finance, ctv_a, ctv_b, mass_org):
    return {
        "leadership": leader,
        "case_officer": officer,
        "health": health,
        "police": police,
        "finance": finance,
        "collaborator": ctv_a,
        "collaborator_b": ctv_b,
        "mass_org": mass_org,
    }
