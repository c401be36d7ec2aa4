"""A report's numbers are those of one moment: its 40 statements see one snapshot."""

import datetime as dt
import threading
import time

import pytest
from django.db import connections
from django.utils import timezone

from dongnguyen.models import Ward
from reports import selectors, services
from reports.periods import parse_period
from tests.factories import ChildFactory


def _register_total(data) -> int:
    return sum(row["total"] for row in data["statistics"]["age_sex"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_child_saved_while_the_report_counts_is_in_none_of_its_tables(monkeypatch):
    ChildFactory(birth_date=dt.date(2016, 3, 1))
    ChildFactory(birth_date=dt.date(2019, 8, 9))
    period = parse_period("2026")
    ward = Ward.first()
    statistics = selectors.statistics

    def statistics_after_a_save(p, ward=None):
        # An officer saves a child on another connection while the KPIs are being counted
        # and before the statistics tables are.
        def save():
            try:
                ChildFactory(birth_date=dt.date(2017, 1, 2))
            finally:
                connections.close_all()

        thread = threading.Thread(target=save)
        thread.start()
        thread.join()
        return statistics(p, ward=ward)

    monkeypatch.setattr(selectors, "statistics", statistics_after_a_save)
    data = services.report_data(period, as_of=timezone.now(), ward=ward)
    # The child saved in the middle is in neither table (READ COMMITTED counted it in the
    # statistics only): the tables agree with each other and with the first statement.
    assert _register_total(data) == 2
    k1 = next(row for row in data["kpis"] if row["code"] == "K1")
    assert k1["denominator"] == 2

    monkeypatch.setattr(selectors, "statistics", statistics)
    again = services.report_data(period, as_of=timezone.now(), ward=ward)
    assert _register_total(again) == 3  # the next report sees it
    assert next(r for r in again["kpis"] if r["code"] == "K1")["denominator"] == 3


def _others_on_this_database(cursor) -> int:
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reports_reads_run_two_at_a_time_on_one_snapshot():
    from reports import kpis

    ChildFactory(birth_date=dt.date(2016, 3, 1))
    with connections["default"].cursor() as cursor:
        before = _others_on_this_database(cursor)
    both_running = threading.Barrier(2, timeout=20)

    def seen():
        # Each waits for the other: they can only both return if they run at the same time.
        both_running.wait()
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT pg_backend_pid(), pg_current_snapshot()::text,"
                " (SELECT count(*) FROM children_child)"
            )
            return cursor.fetchone()

    with kpis.without_jit(one_snapshot=True, helper=True) as reads:
        first = reads.submit(seen)
        # A child saved on another connection after the block's first statement.
        saver = threading.Thread(target=lambda: (ChildFactory(), connections.close_all()))
        saver.start()
        saver.join()
        second = reads.submit(seen)
        (pid_a, snapshot_a, children_a), (pid_b, snapshot_b, children_b) = (
            reads.result(first),
            reads.result(second),
        )
    assert pid_a != pid_b  # two connections
    assert snapshot_a == snapshot_b  # one snapshot
    assert children_a == children_b == 1  # neither sees the child saved meanwhile
    # The second connection (and the saver's) are closed: PostgreSQL lists a backend until
    # its process has exited, a moment after the client hung up.
    deadline = time.monotonic() + 10
    with connections["default"].cursor() as cursor:
        while (others := _others_on_this_database(cursor)) != before:
            assert time.monotonic() < deadline, f"{others} other sessions, {before} before"
            time.sleep(0.05)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_a_second_connection_the_report_counts_the_same_on_one(monkeypatch, caplog):
    from reports import reads

    ChildFactory(birth_date=dt.date(2016, 3, 1))
    ChildFactory(birth_date=dt.date(2019, 8, 9))
    period = parse_period("2026")
    ward = Ward.first()
    both = services.report_data(period, as_of=timezone.now(), ward=ward)
    start = reads.Reads.start

    def refused(self, alias, snapshot, settings):
        # As when the server's connections are used up: the second connection fails.
        start(self, alias, "00000000-00000000-1", settings)

    monkeypatch.setattr(reads.Reads, "start", refused)
    alone = services.report_data(period, as_of=timezone.now(), ward=ward)
    assert alone == both
    assert _register_total(alone) == 2
    assert "Second connection" in caplog.text
