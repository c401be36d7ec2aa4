import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reports.kpis import compute, compute_all_groups
from reports.periods import PeriodError, parse_period
from tests.factories import ChildFactory, GroupFactory, HouseholdFactory, WorkRecordFactory

from .conftest import AS_OF

H1 = parse_period("2026-H1")


def by_code(values):
    return {v.code: v for v in values}


def test_it_parses_periods():
    assert parse_period("2026") == parse_period("2026")
    assert (parse_period("2026").start, parse_period("2026").end) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert parse_period("2026-H2").start == dt.date(2026, 7, 1)
    q3 = parse_period("2026-Q3")
    assert (q3.start, q3.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    custom = parse_period("15/01/2026-31/03/2026")
    assert (custom.start, custom.end) == (dt.date(2026, 1, 15), dt.date(2026, 3, 31))
    assert parse_period("2026-01-15..2026-03-31") == custom
    for bad in ("2026-H3", "2026-Q5", "abc", "2026-03-31..2026-01-01", "31/02/2026-01/03/2026"):
        with pytest.raises(PeriodError):
            parse_period(bad)


def test_it_takes_the_immediately_preceding_period_of_the_same_length():
    assert parse_period("2026").previous().code == "2025"
    assert parse_period("2026-H1").previous().code == "2025-H2"
    assert parse_period("2026-Q1").previous().code == "2025-Q4"
    assert parse_period("2026-Q3").previous().code == "2026-Q2"
    custom = parse_period("2026-03-11..2026-03-20").previous()
    assert (custom.start, custom.end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 10))


def test_it_computes_every_kpi_for_the_ward(ward):
    k = by_code(compute(H1, as_of=AS_OF))
    # K1: register = c1 c2 c4 c5 c8 c9 (c3 is 16 on 30/06, c6 moved out, c7 registered
    # later); in unlawful labour in P: c1, c9 (c8's unlawful work ended 31/12/2025).
    assert (k["K1"].numerator, k["K1"].denominator, k["K1"].value) == (2, 6, Decimal("333.3"))
    # previous (2025-H2): register c1 c2 c3 c4 c5 c6 c8 c9 = 8; labour c3 c8 c9 = 3 → 375.0
    assert k["K1"].previous == Decimal("375.0") and k["K1"].met is True
    # ages 5–17 (under 18): c1 c2 c3 c4 c5 c8 c9 = 7, in labour c1 c3 c9 = 3
    assert k["K1"].extra["age_5_17"] == {"numerator": 3, "denominator": 7, "value": "42.9"}
    # K2: counted i1 ✓ i2 ✗ (13 h) i3 ✗ (no case) i4 ✓ (unfounded) i6 ✗ (no assessment)
    # i7 ✓ (holiday 12/03 moves the deadline to 17/03); i5 is still inside its deadline.
    assert (k["K2"].numerator, k["K2"].denominator, k["K2"].value) == (3, 6, Decimal("50.0"))
    assert k["K2"].met is False
    # K3: managed c1 c2 (at risk) c4 (special) c8 (at risk) c9 (labour); screened c1, c4.
    assert (k["K3"].numerator, k["K3"].denominator, k["K3"].value) == (2, 5, Decimal("40.0"))
    # K4: c1, c9 in labour; only c1 supported in P.
    assert (k["K4"].numerator, k["K4"].denominator) == (1, 2)
    # K5: managed aged 6–15 c1 c2 c4 c8 c9; c2 dropped out.
    assert (k["K5"].numerator, k["K5"].denominator, k["K5"].value) == (4, 5, Decimal("80.0"))
    assert k["K5"].met is False and k["K5"].status == "missed"
    # K6: managed in poor households c1 c2; c1 has a scholarship in P.
    assert (k["K6"].numerator, k["K6"].denominator) == (1, 2)
    # K7: active groups g1 g2; g1 held two sessions, g2 none in P (g3 is inactive).
    assert (k["K7"].numerator, k["K7"].denominator) == (1, 2)
    assert k["K7"].extra["groups_with_two"] == 1
    # K8: households with a register child hh_poor hh_a hh_g2; reached hh_poor (ward-wide
    # session) and hh_g2 (by a g1 session); hh_a only before P.
    assert (k["K8"].numerator, k["K8"].denominator, k["K8"].value) == (2, 3, Decimal("66.7"))
    # K9: active b1 (session) b2 (inspection with dissemination) b3 (commitment) b4 (none).
    assert (k["K9"].numerator, k["K9"].denominator, k["K9"].value) == (3, 4, Decimal("75.0"))
    # K10: detected in P v1 ✓ v2 (handled after P.end) v4 (open).
    assert (k["K10"].numerator, k["K10"].denominator) == (1, 3)
    # K11: c2 in P; c3 in the previous half: 1 vs 1 is not lower.
    assert (k["K11"].numerator, k["K11"].denominator, k["K11"].value) == (1, None, Decimal(1))
    assert k["K11"].previous == Decimal(1) and k["K11"].met is False
    # K12: active staff leader, officer, ctv_a; trained in P officer, ctv_a.
    assert (k["K12"].numerator, k["K12"].denominator, k["K12"].value) == (2, 3, Decimal("66.7"))
    # K13: H1 report (due 20/06) finalized 18/06 ✓; ad-hoc due 30/04 not finalized.
    assert (k["K13"].numerator, k["K13"].denominator) == (1, 2)


def test_it_computes_a_group_scope(ward):
    k = by_code(compute(H1, group=ward.g1, as_of=AS_OF))
    assert "K12" not in k and "K13" not in k  # ward-only
    # K1: g1 register c1 c2 c4 c5; labour c1 → 250.0; previous: c1..c6, labour c3 → 166.7
    assert (k["K1"].numerator, k["K1"].denominator, k["K1"].value) == (1, 4, Decimal("250.0"))
    assert k["K1"].previous == Decimal("166.7") and k["K1"].met is False
    assert (k["K2"].numerator, k["K2"].denominator) == (1, 2)  # i1 ✓, i6 ✗
    assert (k["K3"].numerator, k["K3"].denominator) == (2, 3)
    assert (k["K4"].numerator, k["K4"].denominator, k["K4"].met) == (1, 1, True)
    assert (k["K5"].numerator, k["K5"].denominator) == (2, 3)
    assert (k["K6"].numerator, k["K6"].denominator) == (1, 2)
    assert (k["K7"].numerator, k["K7"].denominator, k["K7"].value) == (1, 1, Decimal("100.0"))
    assert (k["K8"].numerator, k["K8"].denominator) == (1, 2)
    assert (k["K9"].numerator, k["K9"].denominator, k["K9"].met) == (2, 2, True)
    assert (k["K10"].numerator, k["K10"].denominator, k["K10"].value) == (0, 2, Decimal("0.0"))
    assert (k["K11"].numerator, k["K11"].previous, k["K11"].met) == (1, Decimal(1), False)


def test_it_adds_up_groups_to_the_ward_and_matches_single_scopes(ward):
    ward_values, groups = compute_all_groups(H1, as_of=AS_OF)
    assert set(groups) == {ward.g1, ward.g2}
    g2 = by_code(groups[ward.g2])
    assert by_code(compute(H1, group=ward.g2, as_of=AS_OF))["K2"].numerator == 1
    assert (g2["K2"].numerator, g2["K2"].denominator) == (1, 2 + 1)  # i2 i3 i7
    assert (g2["K7"].numerator, g2["K7"].denominator, g2["K7"].met) == (0, 1, False)
    assert (g2["K10"].numerator, g2["K10"].denominator) == (1, 1)
    for code in ("K1", "K3", "K4", "K5", "K6", "K8", "K9", "K10"):
        total = sum(by_code(v)[code].denominator for v in groups.values())
        assert total == by_code(ward_values)[code].denominator, code


def test_each_related_records_check_is_computed_once_per_statement(ward):
    """The check "screened this year" is a condition alone and an alternative of "screened or followed
    up": the children's statement computes it once per child, and the numbers stay those of
    the test above."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        ward_values, groups = compute_all_groups(H1, as_of=AS_OF)
    kpi_statements = [q["sql"] for q in ctx.captured_queries if "COUNT(*) FILTER" in q["sql"]]
    assert kpi_statements
    for sql in kpi_statements:
        assert sql.count('FROM "children_screening"') <= 1, sql
        assert sql.count('FROM "children_workrecord"') <= 1, sql
    assert any('"children_screening"' in sql for sql in kpi_statements)
    for code in ("K1", "K3", "K4", "K5", "K6", "K8", "K9", "K10"):
        total = sum(by_code(v)[code].denominator for v in groups.values())
        assert total == by_code(ward_values)[code].denominator, code


def test_it_reports_null_value_and_met_when_the_denominator_is_zero(db):
    k = by_code(compute(parse_period("2030-Q1")))
    assert k["K3"].value is None and k["K3"].met is None
    assert k["K1"].value is None and k["K1"].met is None
    assert k["K11"].value == 0 and k["K11"].met is True  # 0 then and 0 now is met


def test_it_meets_lt_previous_when_zero_then_and_zero_now(db):
    ChildFactory(birth_date=dt.date(2015, 1, 1))
    k1 = by_code(compute(parse_period("2026")))["K1"]
    assert (k1.value, k1.previous, k1.met) == (Decimal("0.0"), Decimal("0.0"), True)


def _make_rows(n_groups, n_children):
    groups = [GroupFactory() for _ in range(n_groups)]
    for i in range(n_children):
        child = ChildFactory(household=HouseholdFactory(group=groups[i % n_groups]), at_risk=True)
        WorkRecordFactory(child=child)


@pytest.mark.parametrize("n_groups,n_children", [(1, 3), (12, 30)])
def test_it_costs_the_same_queries_for_any_number_of_groups_and_rows(
    db, django_assert_num_queries, n_groups, n_children
):
    _make_rows(n_groups, n_children)
    # 1 children (K1 K3–K6 K11), 1 households (K8), 1 businesses (K9), 1 violations (K10),
    # 1 intake reports (K2; the holidays from the cache), 1 groups (K7), 1 users (K12), 1
    # reports (K13), 1 children of the previous period (K1, K11), 1 list of active groups, 1
    # caregivers (K16; K14 K15 count on the children, K17 on the households).
    with django_assert_num_queries(11):
        compute_all_groups(parse_period("2026"))


def test_it_prints_the_kpis_json_contract(ward):
    out = StringIO()
    call_command("kpis", "--period", "2026-H1", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["code"] for r in rows] == [f"K{i}" for i in range(1, 18)]
    for row in rows:
        assert set(row) == {"code", "name", "numerator", "denominator", "value", "target", "met"}
    k5 = rows[4]
    assert k5["target"] == {"comparator": "gt", "value": 95}
    assert k5["numerator"] == 4 and k5["denominator"] == 5 and k5["value"] == 80.0
    out = StringIO()
    call_command("kpis", "--period", "2026-H1", "--group", "TDP-01", "--json", stdout=out)
    assert len(json.loads(out.getvalue())) == 15


def test_it_refuses_a_bad_period_or_an_unknown_group(db):
    with pytest.raises(CommandError, match="Kỳ không hợp lệ"):
        call_command("kpis", "--period", "2026-H9", "--json")
    with pytest.raises(CommandError, match="Không có tổ dân phố"):
        call_command("kpis", "--period", "2026", "--group", "TDP-99", "--json")
