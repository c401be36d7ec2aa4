"""Every KPI of every ward and every group at once (kpis.compute_all_wards): the nightly
snapshot and `kpis --all-wards` compute the province in one query per source, grouped by
ward and group, and get exactly what each ward's own computation gives."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from dongnguyen.models import Ward
from reports import conditions, services
from reports.kpis import compute_all_groups, compute_all_wards
from reports.models import KpiSnapshot, Report
from reports.periods import parse_period
from tests.factories import (
    BusinessFactory,
    ChildFactory,
    GroupFactory,
    HouseholdFactory,
    InspectionFactory,
    OutreachSessionFactory,
    ScreeningFactory,
    ViolationFactory,
    WorkRecordFactory,
)

from .test_demo_numbers import FROZEN, demo_ward  # noqa: F401  (the fixture)

D = dt.date
YEAR = parse_period("2026")


def _cells(values):
    return [
        (v.code, v.numerator, v.denominator, v.value, v.met, v.previous, v.extra) for v in values
    ]


def _same_as_each_ward(period, as_of, wards):
    computed = compute_all_wards(period, as_of=as_of)
    assert list(computed) == wards
    for w in wards:
        ward_values, groups = compute_all_groups(period, as_of=as_of, ward=w)
        all_ward_values, all_groups = computed[w]
        assert _cells(all_ward_values) == _cells(ward_values), (period.code, w.code)
        assert list(all_groups) == list(groups), (period.code, w.code)
        for group, values in groups.items():
            assert _cells(all_groups[group]) == _cells(values), (period.code, w.code, group)
    return computed


@pytest.mark.django_db
def test_every_ward_and_group_gets_the_values_of_its_own_computation(demo_ward):  # noqa: F811
    wards = list(Ward.objects.active().order_by("pk"))
    assert len(wards) == 3
    for code in ("2026-H1", "2026-Q3", "2026"):
        computed = _same_as_each_ward(parse_period(code), FROZEN, wards)
    # the demo's three wards each have their own register and groups
    registers = [{v.code: v for v in computed[w][0]}["K1"].denominator for w in wards]
    assert all(registers), registers
    assert all(computed[w][1] for w in wards)


@pytest.mark.django_db
def test_one_wards_exists_restricted_to_the_ward_count_what_the_whole_tables_count(
    demo_ward,  # noqa: F811
    monkeypatch,
):
    """A ward's own computation (its report) restricts each EXISTS to the ward's rows
    (conditions.of_ward): the same numbers as the conditions over every ward's rows."""
    wards = list(Ward.objects.active().order_by("pk"))
    for code in ("2026-H1", "2026"):
        p = parse_period(code)
        led = {w: compute_all_groups(p, as_of=FROZEN, ward=w) for w in wards}
        with monkeypatch.context() as m:
            m.setattr(conditions, "of_ward", lambda qs, ward, path: qs)
            whole = {w: compute_all_groups(p, as_of=FROZEN, ward=w) for w in wards}
        for w in wards:
            assert _cells(led[w][0]) == _cells(whole[w][0]), (code, w.code)
            for group, values in whole[w][1].items():
                assert _cells(led[w][1][group]) == _cells(values), (code, w.code, group)
        # Not vacuous: children, households and caregivers reached are counted, and every
        # ward has its register.
        values = [{v.code: v for v in led[w][0]} for w in wards]
        assert all(v["K1"].denominator for v in values), code
        for k in ("K1", "K3", "K8", "K16"):
            assert any(v[k].numerator for v in values), (code, k)


def _second_ward_with_records():
    ward = Ward.objects.create(code="09400", name="Phường Tam Sơn", province_name="Bắc Ninh")
    group = GroupFactory(code="TS-01", name="Tam Sơn 1", ward=ward)
    for birth in (D(2012, 3, 1), D(2015, 6, 1), D(2018, 9, 1)):
        child = ChildFactory(
            household=HouseholdFactory(group=group, ward=ward), birth_date=birth, at_risk=True
        )
        WorkRecordFactory(child=child, started_on=D(2026, 2, 1), lawful=False)
        ScreeningFactory(child=child, date=D(2026, 3, 1))
    business = BusinessFactory(group=group, ward=ward)
    ViolationFactory(
        inspection=InspectionFactory(business=business, date=D(2026, 4, 1)),
        detected_on=D(2026, 4, 1),
    )
    OutreachSessionFactory(group=group, date=D(2026, 5, 1), ward=ward)
    Report.objects.create(
        ward=ward,
        kind="semiannual",
        period="2026-H1",
        period_start=D(2026, 1, 1),
        period_end=D(2026, 6, 30),
        status="finalized",
        due_on=D(2026, 6, 20),
        finalized_at=timezone.make_aware(dt.datetime(2026, 6, 15, 9)),
    )
    return ward


def test_its_queries_do_not_grow_with_the_number_of_wards(db, django_assert_num_queries):
    first = Ward.first()
    group = GroupFactory(code="TDP-01", name="Thanh Bình")
    child = ChildFactory(household=HouseholdFactory(group=group), birth_date=D(2014, 5, 17))
    WorkRecordFactory(child=child, started_on=D(2026, 2, 1), lawful=False)
    as_of = timezone.make_aware(dt.datetime(2026, 11, 20, 10))
    # 1 active wards, SAVEPOINT + SET LOCAL jit + RELEASE (PostgreSQL only), 1 per source
    # (children, households, businesses, violations, intake reports, groups, users, reports,
    # caregivers), 1 children of the previous period (K1, K11), 1 list of active groups; the
    # holidays come from the cache (dongnguyen.workdays), filled before the count.
    with django_assert_num_queries(15 if connection.vendor == "postgresql" else 12) as one:
        compute_all_wards(YEAR, as_of=as_of)

    second = _second_ward_with_records()
    with django_assert_num_queries(len(one.captured_queries)):
        computed = compute_all_wards(YEAR, as_of=as_of)

    assert list(computed) == [first, second]
    theirs = {v.code: v for v in computed[second][0]}
    assert (theirs["K1"].numerator, theirs["K1"].denominator) == (3, 3)
    assert (theirs["K10"].numerator, theirs["K10"].denominator) == (0, 1)
    assert (theirs["K13"].numerator, theirs["K13"].denominator) == (1, 2)  # H1 on time
    ours = {v.code: v for v in computed[first][0]}
    assert (ours["K1"].numerator, ours["K1"].denominator) == (1, 1)
    assert (ours["K13"].numerator, ours["K13"].denominator) == (0, 2)
    _same_as_each_ward(YEAR, as_of, [first, second])


def test_the_nightly_snapshot_stores_every_ward_as_each_ward_alone(db):
    first = Ward.first()
    GroupFactory(code="TDP-01", name="Thanh Bình")
    second = _second_ward_with_records()
    stored = services.snapshot_store(period=YEAR)
    rows = KpiSnapshot.objects.filter(period_start=YEAR.start, period_end=YEAR.end)
    assert stored == rows.count()
    theirs = rows.get(ward=second, group=None, code="K1")
    assert (theirs.numerator, theirs.denominator) == (3, 3)
    assert rows.filter(ward=second, group__code="TS-01").count() == 15  # K12, K13 ward-only
    assert rows.get(ward=first, group=None, code="K1").denominator == 0
    # one ward alone replaces only its own rows, with the same numbers
    assert services.snapshot_store(period=YEAR, ward=second) == rows.filter(ward=second).count()
    assert rows.get(ward=second, group=None, code="K1").numerator == 3
    assert rows.filter(ward=first).count() == 1 * 17 + 15


def test_the_command_prints_every_ward_and_group_in_the_json_contract(db):
    GroupFactory(code="TDP-01", name="Thanh Bình")
    second = _second_ward_with_records()
    out = StringIO()
    call_command("kpis", "--period", "2026", "--all-wards", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    first = Ward.first()
    assert [(r["ward"], r["group"]) for r in rows] == [
        (first.code, None),
        (first.code, "TDP-01"),
        (second.code, None),
        (second.code, "TS-01"),
    ]
    for row in rows:
        codes = [k["code"] for k in row["kpis"]]
        expected = [f"K{i}" for i in range(1, 18)]
        if row["group"] is not None:
            expected = [c for c in expected if c not in ("K12", "K13")]
        assert codes == expected
        for kpi in row["kpis"]:
            assert set(kpi) == {
                "code",
                "name",
                "numerator",
                "denominator",
                "value",
                "target",
                "met",
            }
    k1 = rows[2]["kpis"][0]
    assert (k1["numerator"], k1["denominator"]) == (3, 3)
