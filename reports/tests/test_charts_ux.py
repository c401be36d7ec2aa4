"""Issue 18 point 7: charts a leader can read. One small chart per KPI against its target,
only the quarters that have data; the KPIs off target on the leader's home page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import freshness
from reports.models import KpiSnapshot
from reports.periods import current_periods, parse_period


@pytest.fixture(autouse=True)
def _not_stale():
    """These tests store snapshots of current periods by hand. A write of an earlier test in
    the same process leaves its stale mark in the (process-wide) cache; once it is DEBOUNCE
    seconds old, the dashboard recomputes the current periods and replaces these snapshots
    with the (empty) computed ones: the test then fails only in a long run. Start unmarked."""
    freshness.clear()


def _snap(code, period, value, met, target="≥ 100%"):
    p = parse_period(period)
    return KpiSnapshot.objects.create(
        code=code,
        period_start=p.start,
        period_end=p.end,
        value=Decimal(value),
        met=met,
        target=target,
        computed_at=timezone.now(),
    )


def _off_target(html: str) -> str:
    """The home page's list of KPIs off target, alone: the rest of the page holds random
    tokens (CSRF) where "K5" may appear by chance."""
    start = html.index('id="off-target"')
    return html[start : html.index("</ul>", start)]


def test_it_draws_one_chart_per_kpi_over_the_quarters_with_data(client, leader):
    _snap("K2", "2026-Q1", "80", False)
    _snap("K2", "2026-Q2", "90", False)
    _snap("K5", "2026-Q2", "97", True, "> 95%")
    client.force_login(leader)
    response = client.get(reverse("reports:dashboard"), {"period": "2026"})
    trend = response.context["trend"]
    assert trend["labels"] == ["I/2026", "II/2026"]  # no empty 2025 quarters
    series = {s["code"]: s for s in trend["series"]}
    assert set(series) == {"K2", "K5"}
    assert series["K2"]["data"] == [80.0, 90.0] and series["K2"]["target"] == 100.0
    assert series["K5"]["data"] == [None, 97.0] and series["K5"]["target"] == 95.0
    html = response.content.decode()
    assert 'id="kpi-trend-K2"' in html and 'id="kpi-trend-K5"' in html


def test_it_puts_the_kpis_off_target_on_the_leaders_home(client, leader, officer):
    year = current_periods()[0].code
    _snap("K2", year, "80", False)
    _snap("K5", year, "97", True, "> 95%")
    client.force_login(leader)
    html = client.get(reverse("home")).content.decode()
    section = _off_target(html)
    assert "K2" in section and "80 · mục tiêu ≥ 100%" in section
    assert "K5" not in section  # met: not on the list
    assert "progress-w-16" in section
    client.force_login(officer)
    assert 'id="off-target"' not in client.get(reverse("home")).content.decode()


def test_it_words_the_targets_on_the_leaders_home_not_their_stored_codes(client, leader):
    """The snapshots store the comparator's code ("ge 100", "lt_previous 7.3"); the home page
    showed it as is."""
    year = current_periods()[0].code
    _snap("K1", year, "20.3", False, "lt_previous 7.3")
    _snap("K2", year, "53.8", False, "ge 100")
    client.force_login(leader)
    html = client.get(reverse("home")).content.decode()
    section = _off_target(html)
    assert "20,3 · mục tiêu Thấp hơn kỳ trước (7,3)" in section
    assert "53,8 · mục tiêu ≥ 100%" in section
    assert "lt_previous" not in section and "ge 100" not in section


def test_it_reads_the_off_target_kpis_in_one_query(client, leader, django_assert_num_queries):
    from reports import selectors

    year = current_periods()[0]
    for code in ("K2", "K3", "K4"):
        _snap(code, year.code, "50", False)
    with django_assert_num_queries(1):  # the ward's snapshots of the year that missed
        assert len(selectors.off_target(year)) == 3


def test_the_leaders_home_is_titled_home_without_the_list_in_the_title(client, leader):
    """The page's <title> held a copy of the off-target list (tags shown as text in the tab)."""
    _snap("K2", current_periods()[0].code, "80", False)
    client.force_login(leader)
    html = client.get(reverse("home")).content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    assert "off-target" not in title and "K2" not in title and "Trang chủ" in title
    assert html.count('id="off-target"') == 1
