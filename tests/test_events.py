"""The core announces committed writes once per transaction (dongnguyen/events.py); whatever
the path — a service, the admin, a plain save — the KPI snapshots learn of it."""

import pytest
from django.core.cache import cache
from django.db import transaction

from dongnguyen.events import announce, records_changed
from reports import freshness
from tests.factories import ChildFactory, HouseholdFactory


@pytest.fixture
def heard():
    calls = []

    def listener(sender, labels, **kwargs):
        calls.append(labels)

    records_changed.connect(listener, dispatch_uid="test-listener")
    yield calls
    records_changed.disconnect(dispatch_uid="test-listener")


def test_it_announces_a_plain_save_once_after_commit(db, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        household = HouseholdFactory()
        for _ in range(3):
            ChildFactory(household=household)
        assert heard == []  # nothing before the commit
    assert len(heard) == 1
    assert {"households.Household", "children.Child"} <= heard[0]


def test_it_announces_nothing_when_the_transaction_rolls_back(
    db, heard, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        HouseholdFactory()
        raise RuntimeError
    assert heard == []


def test_it_keeps_the_announcement_of_a_savepoint_that_rolled_back_after_an_earlier_write(
    db, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            HouseholdFactory()
            raise RuntimeError
        ChildFactory()
    assert len(heard) == 1 and "children.Child" in heard[0]


def test_it_announces_bulk_writes_when_asked(db, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        announce("children.Child")
    assert heard == [frozenset({"children.Child"})]


def test_it_ignores_models_outside_the_domain_apps(db, heard, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    with django_capture_on_commit_callbacks(execute=True):
        get_user_model().objects.create_user(username="khong-lien-quan")
    assert heard == []


def test_it_marks_the_kpis_stale_on_a_write_outside_any_service(
    db, django_capture_on_commit_callbacks
):
    cache.delete(freshness.STALE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        ChildFactory()
    assert freshness.stale_since() is not None
    cache.delete(freshness.STALE_KEY)


def test_it_names_real_models_for_every_bulk_import_kind():
    from django.apps import apps

    from imports.models import Kind
    from imports.services import WRITES

    assert set(WRITES) == set(Kind.values)
    for labels in WRITES.values():
        for label in labels:
            apps.get_model(label)  # LookupError on a typo
