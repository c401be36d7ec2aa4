"""K2 judges each intake report against the end of the 5th working day after its day of
receipt (Decree 56): the deadline the KPI counts, for every day of a year, and the cost of
that statement, which does not grow with the length of the period."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from dongnguyen.models import Holiday
from dongnguyen.workdays import plan_deadline
from reports.conditions import intake_queryset
from reports.kpis import compute
from reports.periods import parse_period
from tests.factories import IntakeFactory


def at(y, m, d, h=0):
    return timezone.make_aware(dt.datetime(y, m, d, h))


def test_k2_counts_the_end_of_the_fifth_working_day_after_each_day_of_receipt(db):
    # Tết 2026 (16–20/02) and a lone holiday on a Thursday; receipts late in the evening and
    # at midnight, and in the last days of the year (deadlines in the next year).
    for day in [dt.date(2026, 2, d) for d in range(16, 21)] + [dt.date(2026, 4, 30)]:
        Holiday.objects.get_or_create(date=day, defaults={"name": "Nghỉ lễ"})
    days = [dt.date(2026, 2, 9) + dt.timedelta(days=i) for i in range(21)]
    days += [dt.date(2026, 4, 25) + dt.timedelta(days=i) for i in range(8)]
    days += [dt.date(2026, 12, 24) + dt.timedelta(days=i) for i in range(8)]
    for i, day in enumerate(days):
        IntakeFactory(received_at=at(day.year, day.month, day.day, (0, 9, 23)[i % 3]))
    rows = intake_queryset(parse_period("2026")).annotate(deadline=F("plan_deadline"))
    got = {r.received_at: r.deadline for r in rows}
    assert len(got) == len(days)
    for received, deadline in got.items():
        # plan_deadline: the last microsecond of the 5th working day; K2's is exclusive.
        assert deadline == plan_deadline(received) + dt.timedelta(microseconds=1), received
    # Received on Friday 13/02: Tết leaves 23, 24, 25, 26, 27/02 as working days 1–5.
    assert timezone.localtime(got[at(2026, 2, 13, 9)]).date() == dt.date(2026, 2, 28)


def _k2_statement(period):
    statements = []

    def capture(execute, sql, params, many, context):
        if "children_intakereport" in sql and "FILTER" in sql:
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        compute(parse_period(period), as_of=at(2027, 1, 15))
    [statement] = statements
    return statement


@pytest.mark.postgres
def test_k2_costs_the_same_statement_for_a_year_as_for_a_quarter(db):
    """A CASE of one WHEN per working day made the year's K2 statement 280 KB (0.5 s to build,
    76 ms to plan for 120 reports of a ward). PostgreSQL reads the deadline from one array
    parameter; SQLite, which has no arrays, keeps a CASE of one WHEN per run of days."""
    IntakeFactory(received_at=at(2026, 3, 2, 9))
    year_sql, year_params = _k2_statement("2026")
    quarter_sql, quarter_params = _k2_statement("2026-Q1")
    assert len(year_params) == len(quarter_params)
    assert len(year_sql) == len(quarter_sql)
