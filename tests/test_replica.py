"""Reads that tolerate lag go to a real PostgreSQL hot standby; writes and read-after-write stay
on the primary (DESIGN.md "Province and wards"; dongnguyen/db_router.py).

The tests marked `replica` need DATABASE_REPLICA_URL pointing at a streaming standby of the
local server (.ci/run starts one with /work/shared/tools/pg-standby); CI=true never skips them.
"""

import time

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from children.models import Child
from dongnguyen.db_router import read_alias, read_from_replica
from reports.models import KpiSnapshot
from reports.periods import current_periods
from reports.services import snapshot_store
from tests.factories import ChildFactory

BOTH = ["default", "replica"]


def wait_for_replica(timeout=20.0):
    """Until the standby has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        [lsn] = cursor.fetchone()
    deadline = time.monotonic() + timeout
    with connections["replica"].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise AssertionError("the standby did not catch up in time")
            time.sleep(0.05)


@pytest.mark.django_db
def test_without_replica_reads_everything_reads_the_primary(settings):
    settings.REPLICA_READS = False  # as with no DATABASE_REPLICA_URL
    child = ChildFactory()
    with read_from_replica():
        assert read_alias() == "default"
        with CaptureQueriesContext(connections["default"]) as ctx:
            assert Child.objects.get(pk=child.pk) == child
    assert len(ctx.captured_queries) == 1


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_replica_is_a_real_hot_standby():
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_database()")
        in_recovery, name = cursor.fetchone()
    assert in_recovery is True
    assert name == connections["default"].settings_dict["NAME"]


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_reads_in_the_block_come_from_the_standby_and_writes_go_to_the_primary():
    child = ChildFactory()
    wait_for_replica()
    with (
        read_from_replica(),
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert Child.objects.get(pk=child.pk).full_name == child.full_name
        assert len(on_replica.captured_queries) == 1
        assert not on_primary.captured_queries
        # A write in the block still goes to the primary (the standby is read-only).
        Child.objects.filter(pk=child.pk).update(notes="đã xem")
        assert on_primary.captured_queries
    assert Child.objects.get(pk=child.pk).notes == "đã xem"
    # Outside the block: the primary, even for an object first read from the replica.
    with CaptureQueriesContext(connections["replica"]) as after:
        Child.objects.get(pk=child.pk)
    assert not after.captured_queries


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_read_after_write_in_a_transaction_stays_on_the_primary():
    with (
        read_from_replica(),
        transaction.atomic(),
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        child = ChildFactory()
        # Not replicated yet (uncommitted): only the primary can see it.
        assert Child.objects.filter(pk=child.pk).exists()
    assert not on_replica.captured_queries


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_standby_lags_and_the_block_reads_what_it_has():
    """Proof that the reads really happen on the standby: a row the standby has not replayed
    yet is not there; once replayed, it is."""
    child = ChildFactory()
    wait_for_replica()
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        Child.objects.filter(pk=child.pk).update(notes="mới ghi")
        with read_from_replica():
            assert Child.objects.get(pk=child.pk).notes != "mới ghi"
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_replica()
    with read_from_replica():
        assert Child.objects.get(pk=child.pk).notes == "mới ghi"


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_kpi_snapshots_are_computed_on_the_standby_and_stored_on_the_primary():
    ChildFactory.create_batch(3)
    wait_for_replica()
    period = current_periods()[0]
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        stored = snapshot_store(period=period)
    assert stored
    assert on_replica.captured_queries  # the KPI computation
    assert any("INSERT" in q["sql"] for q in on_primary.captured_queries)
    assert not any("INSERT" in q["sql"] for q in on_replica.captured_queries)
    assert KpiSnapshot.objects.filter(period_start=period.start).count() == stored


@pytest.mark.replica
@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_dashboard_and_an_export_read_from_the_standby(client, officer):
    ChildFactory.create_batch(2)
    snapshot_store(period=current_periods()[0])
    client.force_login(officer)
    wait_for_replica()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert any("reports_kpisnapshot" in q["sql"] for q in on_replica.captured_queries)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse("imports:export_children"))
    assert response.status_code == 200
    assert any("children_child" in q["sql"] for q in on_replica.captured_queries)
