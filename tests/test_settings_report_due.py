"""REPORT_DUE_DATES (KPI K13) comes from the environment as dd/mm, with the plan's defaults."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from dongnguyen.env import env_day_month
from reports.kpis import DEFAULT_REPORT_DUE_DATES, report_due_on
from reports.periods import parse_period

from .test_settings import run_django


def test_it_defaults_to_20_june_and_20_december():
    assert settings.REPORT_DUE_DATES == {"semiannual": (6, 20), "annual": (12, 20)}
    assert settings.REPORT_DUE_DATES == DEFAULT_REPORT_DUE_DATES


@pytest.mark.parametrize(
    ("value", "expected"), [("15/07", (7, 15)), (" 5/1 ", (1, 5)), ("", (6, 20))]
)
def test_it_reads_a_day_month_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("REPORT_DUE_SEMIANNUAL", value)
    assert env_day_month("REPORT_DUE_SEMIANNUAL", (6, 20)) == expected


@pytest.mark.parametrize("value", ["2026-06-20", "31/06", "29/02", "20", "ngày 20/6"])
def test_it_refuses_a_day_that_does_not_exist_every_year(monkeypatch, value):
    monkeypatch.setenv("REPORT_DUE_ANNUAL", value)
    with pytest.raises(ImproperlyConfigured, match="REPORT_DUE_ANNUAL=.*dd/mm"):
        env_day_month("REPORT_DUE_ANNUAL", (12, 20))


def test_it_dates_reports_from_the_setting(settings):
    settings.REPORT_DUE_DATES = {"semiannual": (7, 15), "annual": (12, 20)}
    assert report_due_on("semiannual", parse_period("2026-H1")).isoformat() == "2026-07-15"


def test_it_stops_start_up_on_a_bad_due_date():
    result = run_django({"DEBUG": "1", "REPORT_DUE_ANNUAL": "31/11"})
    assert result.returncode != 0
    assert "REPORT_DUE_ANNUAL='31/11' is not a day of the year" in result.stderr
