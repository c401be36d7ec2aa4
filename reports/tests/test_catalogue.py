"""The KPI catalogue is the one place a KPI is declared: every entry is complete, and a new
entry shows in the engine, the drill-down, the dashboard, the snapshots and `kpis --json`
with no other code. Also the K7 drill-down (a residential group per row) for every role."""

import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q, QuerySet
from django.urls import reverse

from reports import catalogue, conditions, services
from reports.catalogue import GE, GT, LT_PREVIOUS, MISSING, NUMERATOR, At, Extra, Kpi
from reports.kpis import compute, compute_all_groups
from reports.periods import parse_period
from tests.factories import GroupFactory, OutreachSessionFactory

from .conftest import AS_OF

H1 = parse_period("2026-H1")
AT = At(H1, AS_OF)


@pytest.mark.parametrize("kpi", catalogue.entries(), ids=lambda k: k.code)
def test_it_declares_every_entry_completely(db, kpi):
    assert re.fullmatch(r"K\d+", kpi.code)
    assert str(kpi.name).strip() and str(kpi.clause).strip()
    assert kpi.unit in (catalogue.PERCENT, catalogue.PER_MILLE, catalogue.COUNT)
    assert kpi.comparator in (GE, GT, LT_PREVIOUS, catalogue.TRACKED)
    # a fixed target, or "lower than the previous period" / only tracked (K17) and no number
    assert (kpi.target is None) == (kpi.comparator in (LT_PREVIOUS, catalogue.TRACKED))
    assert str(kpi.source.scope).strip() and kpi.source.kind
    assert set(kpi.drill) <= {NUMERATOR, MISSING}
    if kpi.source.tally is not None:  # counted by its source, not by row conditions
        assert kpi.denominator is None and kpi.numerator is None and not kpi.drill
        num, den = kpi.source.tally(AT)
        assert 0 <= num <= den
        return
    assert isinstance(kpi.denominator(AT), Q) and isinstance(kpi.numerator(AT), Q)
    rows = kpi.source.rows(AT)
    assert isinstance(rows, QuerySet)
    rows.filter(kpi.denominator(AT) & kpi.numerator(AT)).count()  # the conditions run
    if kpi.drill:
        assert kpi.source.visible is not None
    keys = [e.key for e in kpi.extras]
    assert len(keys) == len(set(keys))
    for extra in kpi.extras:
        assert str(extra.label).strip()
        rows.filter(extra.denominator(AT) & extra.numerator(AT)).count()


def test_it_has_unique_codes_and_refuses_a_second_entry_of_a_code():
    codes = [k.code for k in catalogue.entries()]
    assert len(codes) == len(set(codes))
    with pytest.raises(ValueError, match="already"):
        catalogue.register(catalogue.get("K1"))


@pytest.mark.parametrize(
    "kpi",
    [k for k in catalogue.entries() if NUMERATOR in k.drill],
    ids=lambda k: k.code,
)
def test_it_lists_as_many_numerator_records_as_the_engine_counts(ward, officer, kpi):
    from reports.selectors import drill_queryset

    value = {v.code: v for v in compute(H1, as_of=AS_OF)}[kpi.code]
    kind, qs = drill_queryset(kpi.code, NUMERATOR, H1, officer, as_of=AS_OF)
    assert kind == kpi.source.kind
    assert qs.count() == value.numerator
    if MISSING in kpi.drill:
        _kind, missing = drill_queryset(kpi.code, MISSING, H1, officer, as_of=AS_OF)
        assert missing.count() == value.denominator - value.numerator


# ---------------------------------------------------------------------------------------------
# A new entry needs nothing but the entry


FAKE = Kpi(
    "K99",
    "Trẻ em trong danh sách có nguy cơ (chỉ tiêu thử)",
    "Chỉ tiêu thử của bài kiểm thử",
    catalogue.PERCENT,
    GE,
    Decimal(100),
    catalogue.CHILDREN,
    denominator=lambda at: conditions.child_register(at.period),
    numerator=lambda at: Q(at_risk=True),
    extras=(
        Extra(
            "from_10",
            "Từ 10 tuổi",
            denominator=lambda at: conditions.child_register(at.period),
            numerator=lambda at: conditions.aged_at_least(at.period, 10),
        ),
    ),
)


@pytest.fixture
def fake_kpi():
    catalogue.register(FAKE)
    yield FAKE
    catalogue.unregister(FAKE.code)


def test_it_computes_a_new_entry_in_the_engine(ward, fake_kpi):
    # register c1 c2 c4 c5 c8 c9; at risk c1 c2 c8. From 10: all but c5 (6 years old).
    k = {v.code: v for v in compute(H1, as_of=AS_OF)}["K99"]
    assert (k.numerator, k.denominator, k.value, k.met) == (3, 6, Decimal("50.0"), False)
    assert k.extra["from_10"] == {"numerator": 5, "denominator": 6, "value": "83.3"}
    assert k.extra_lines == [("Từ 10 tuổi", "83,3%")]
    _ward, groups = compute_all_groups(H1, as_of=AS_OF)
    g1 = {v.code: v for v in groups[ward.g1]}["K99"]  # c1 c2 c4 c5; at risk c1 c2
    assert (g1.numerator, g1.denominator) == (2, 4)


def test_it_prints_a_new_entry_in_kpis_json(ward, fake_kpi):
    out = StringIO()
    call_command("kpis", "--period", "2026-H1", "--json", stdout=out)
    row = json.loads(out.getvalue())[-1]
    assert row["code"] == "K99" and (row["numerator"], row["denominator"]) == (3, 6)
    assert row["target"] == {"comparator": "ge", "value": 100}


def test_it_drills_down_into_a_new_entry(client, ward, officer, fake_kpi):
    client.force_login(officer)
    url = reverse("reports:drill", args=["K99", "numerator"]) + "?period=2026-H1"
    body = client.get(url).content.decode()
    assert ward.c1.full_name in body and ward.c8.full_name in body
    assert ward.c4.full_name not in body
    url = reverse("reports:drill", args=["K99", "missing"]) + "?period=2026-H1&group=TDP-01"
    body = client.get(url).content.decode()
    assert ward.c4.full_name in body and ward.c5.full_name in body
    assert ward.c9.full_name not in body  # TDP-02


def test_it_shows_a_new_entry_on_the_dashboard_live_and_from_snapshots(
    client, ward, officer, fake_kpi
):
    client.force_login(officer)
    url = reverse("reports:dashboard") + "?period=2026-H1"
    for stored in (False, True):
        if stored:
            services.snapshot_store(period=H1, as_of=AS_OF)
        resp = client.get(url)
        assert resp.context["live"] is not stored
        html = resp.content.decode()
        assert html.count("kpi-tile ") == len(catalogue.entries()), stored  # K99 among them
        assert "K99 · Trẻ em trong danh sách có nguy cơ" in html
        assert "Từ 10 tuổi: 83,3%" in html
        assert reverse("reports:drill", args=["K99", "missing"]) in html
        assert "K99" in resp.context["heat_codes"]


def test_it_puts_a_new_entry_in_the_report_tables(ward, fake_kpi):
    data = services.report_data(H1, as_of=AS_OF)
    assert data["kpis"][-1]["code"] == "K99"
    assert "K99" in [r["code"] for r in services.group_kpis(data)]
    assert "K12" not in [r["code"] for r in services.group_kpis(data)]  # ward-only


# ---------------------------------------------------------------------------------------------
# K7: the drill-down of a KPI whose rows are the residential groups themselves


def test_it_drills_k7_for_a_collaborator(client, ward, ctv_a):
    client.force_login(ctv_a)
    resp = client.get(reverse("reports:drill", args=["K7", "numerator"]) + "?period=2026-H1")
    assert resp.status_code == 200
    assert [g.code for g in resp.context["page"]] == ["TDP-01"]  # two sessions in P
    resp = client.get(
        reverse("reports:drill", args=["K7", "missing"]) + "?period=2026-H1&group=TDP-02"
    )
    assert resp.status_code == 200
    assert list(resp.context["page"]) == []  # their own group only, and it is not missing


def test_it_drills_k7_for_staff_with_a_group(client, ward, officer):
    client.force_login(officer)
    url = reverse("reports:drill", args=["K7", "missing"])
    resp = client.get(url + "?period=2026-H1&group=TDP-02")
    assert resp.status_code == 200
    assert [g.code for g in resp.context["page"]] == ["TDP-02"]
    resp = client.get(url + "?period=2026-H1&group=TDP-01")
    assert resp.status_code == 200 and list(resp.context["page"]) == []
    resp = client.get(url + "?period=2026-H1")  # the ward: g2 (g3 is inactive)
    assert [g.code for g in resp.context["page"]] == ["TDP-02"]


# session, user, profile; the groups in the viewer's scope; the access log insert; the page's
# count; the page's rows — and for a collaborator the groups of their profile.
@pytest.mark.parametrize("who,queries", [("officer", 7), ("ctv_a", 8)])
def test_it_drills_k7_in_the_same_number_of_queries_for_any_number_of_groups(
    db, client, request, django_assert_num_queries, who, queries
):
    client.force_login(request.getfixturevalue(who))
    url = reverse("reports:drill", args=["K7", "numerator"]) + "?period=2026-H1"
    OutreachSessionFactory(group=GroupFactory(code="TDP-01"), date=H1.start)
    # Once before counting: the access log's content type is cached per process, so whether
    # an earlier test of this worker filled that cache must not change the count.
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    for _ in range(12):
        OutreachSessionFactory(group=GroupFactory(), date=H1.start)
    with django_assert_num_queries(queries):
        resp = client.get(url)
    assert len(resp.context["page"]) == (13 if who == "officer" else 1)
