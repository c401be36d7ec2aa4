"""A report's numbers are those of one moment: its 40 statements see one snapshot."""

import datetime as dt
import threading

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
