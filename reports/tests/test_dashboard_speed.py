"""Issue 19 criterion 2: the ward and province dashboards at the speed of a minimal page. The
province dashboard shows per KPI the 5 best and 5 worst wards (the KPI's own page ranks them
all), read without a query per ward; the parts drawn from snapshots are cached under what the
snapshots are now, so a new snapshot shows at once and a ward never sees another ward's."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dongnguyen.models import Agency, Ward
from dongnguyen.roles import Role
from dongnguyen.services import user_set_role
from reports import freshness
from reports.models import KpiSnapshot
from reports.periods import parse_period
from tests.factories import ChildFactory, GroupFactory, UserFactory, WorkRecordFactory

YEAR = parse_period("2026")
URL = reverse("reports:province_dashboard") + "?period=2026"
DASH = reverse("reports:dashboard") + "?period=2026"


@pytest.fixture(autouse=True)
def _not_stale():
    """The snapshots here are stored by hand for the current year: a stale mark left in the
    process-wide cache by an earlier test's writes would make the ward dashboard recompute
    them (once DEBOUNCE old). Start unmarked."""
    freshness.clear()


@pytest.fixture
def tinh(db):
    user = UserFactory(username="tinh")
    user_set_role(user=user, role=Role.PROVINCE, agency=None)
    return user


def _snap(ward, code, num, den, value, met=False, group=None, period=YEAR):
    return KpiSnapshot.objects.create(
        ward=ward,
        group=group,
        code=code,
        period_start=period.start,
        period_end=period.end,
        numerator=num,
        denominator=den,
        value=value,
        met=met,
        computed_at=timezone.now(),
    )


def _wards(n, start=0):
    Ward.first()
    return [
        Ward.objects.create(code=f"096{start + i:02d}", name=f"Xã Số {start + i:02d}")
        for i in range(n)
    ]


def _k3(ward, num):
    """K3 (a share, the higher the better) of `num` in 100."""
    return _snap(ward, "K3", num, 100, Decimal(num))


def test_the_province_sees_the_five_best_and_five_worst_wards_and_the_full_ranking(client, tinh):
    wards = _wards(12)
    for i, w in enumerate(wards):
        _k3(w, 40 + 5 * i)  # Xã Số 11 best (95), Xã Số 00 worst (40)
    client.force_login(tinh)
    r = client.get(URL)
    k3 = next(k for k in r.context["kpis"] if k.code == "K3")
    assert [wv.ward.name for wv in k3.ranked] == [
        *(f"Xã Số {i:02d}" for i in (11, 10, 9, 8, 7)),
        *(f"Xã Số {i:02d}" for i in (4, 3, 2, 1, 0)),
    ]
    assert k3.ranks == [1, 2, 3, 4, 5, 8, 9, 10, 11, 12]
    assert k3.hidden == 2  # Xã Số 06 and 05, on the KPI's own page
    # The total is every ward's, not only the shown ones'.
    assert (k3.total.numerator, k3.total.denominator) == (sum(40 + 5 * i for i in range(12)), 1200)
    body = r.content.decode()
    # The K3 card (every ward is also named in the list of overdue reports above the cards).
    card = body[body.index('aria-labelledby="kpi-K3"') :]
    card = card[: card.index("</section>")]
    assert "Xã Số 11" in card and "Xã Số 00" in card and "Xã Số 06" not in card
    assert "2 xã, phường ở giữa" in card
    # The first ward has no snapshot: it is named, and counted in every KPI.
    assert "1 xã, phường chưa có số liệu" in body
    full = client.get(reverse("reports:province_kpi", args=["K3"]), {"period": "2026"})
    table = full.content.decode()
    names = [f"Xã Số {i:02d}" for i in range(11, -1, -1)]
    assert [table.index(n) for n in names] == sorted(table.index(n) for n in names)


def test_a_kpi_that_must_fall_shows_the_lowest_rates_as_best(client, tinh):
    wards = _wards(11)
    for i, w in enumerate(wards):
        _snap(w, "K1", i, 1000, Decimal(i))
    client.force_login(tinh)
    k1 = next(k for k in client.get(URL).context["kpis"] if k.code == "K1")
    assert [wv.ward for wv in k1.ranked][:5] == wards[:5]
    assert [wv.ward for wv in k1.ranked][5:] == wards[6:]


def test_the_province_dashboard_costs_the_same_queries_for_two_or_twelve_wards(
    client, tinh, django_assert_num_queries
):
    client.force_login(tinh)
    first = Ward.first()
    _k3(first, 50)
    _snap(first, "K11", 2, None, Decimal(2), period=parse_period("2025"))
    client.get(URL)  # the session and the ward cache
    cache.clear()
    # session, user, profile; the wards' keys (ids, names, due days); the snapshots' token;
    # the wards (to build the parts); the totals of this period and the previous one; the
    # wards shown; the wards without snapshots; the finalized reports' token (the overdue list
    # is cached under it) and the reports finalized
    with django_assert_num_queries(11) as built:
        client.get(URL)
    n_built = len(built.captured_queries)  # now: the slice is of the connection's live log
    with django_assert_num_queries(6) as cached:  # the KPI cards and overdue list cached
        client.get(URL)
    n_cached = len(cached.captured_queries)
    for w in _wards(11):
        _k3(w, 60)
        _snap(w, "K11", 1, None, Decimal(1))
        _snap(w, "K11", 3, None, Decimal(3), period=parse_period("2025"))
    with django_assert_num_queries(n_built):
        client.get(URL)
    with django_assert_num_queries(n_cached):
        client.get(URL)


def test_a_new_snapshot_shows_on_the_cached_province_dashboard(client, tinh):
    (ward,) = _wards(1)
    old = _k3(ward, 41)
    client.force_login(tinh)
    assert "41,0" in client.get(URL).content.decode()
    assert "41,0" in client.get(URL).content.decode()  # from the cache
    old.delete()  # a recompute replaces the rows
    _k3(ward, 77)
    body = client.get(URL).content.decode()
    assert "77,0" in body and "41,0" not in body


@pytest.fixture
def other_ward_officer(db):
    ward = Ward.objects.create(code="09412", name="Vân Hà", province_name="Bắc Ninh")
    user = UserFactory(username="vhxh_vanha")
    user_set_role(
        user=user, role=Role.CASE_OFFICER, agency=Agency.objects.get(code="vhxh"), ward=ward
    )
    return user


def test_a_ward_never_sees_another_wards_cached_dashboard(client, officer, other_ward_officer):
    first, van_ha = Ward.first(), other_ward_officer.profile.ward
    _snap(first, "K3", 123, 1000, Decimal("12.3"))
    _snap(van_ha, "K3", 987, 1000, Decimal("98.7"))
    client.force_login(officer)
    assert "12,3" in client.get(DASH).content.decode()
    assert "12,3" in client.get(DASH).content.decode()  # cached now
    client.force_login(other_ward_officer)
    body = client.get(DASH).content.decode()
    assert "98,7" in body and "12,3" not in body and "123/" not in body
    client.force_login(officer)
    body = client.get(DASH).content.decode()
    assert "12,3" in body and "98,7" not in body


def test_a_new_snapshot_shows_on_the_cached_ward_dashboard(client, officer):
    ward = Ward.first()
    group = GroupFactory(code="TDP-09", name="Tổ chín", ward=ward)
    old = _snap(ward, "K3", 1, 4, Decimal("25.0"))
    old_group = _snap(ward, "K3", 1, 4, Decimal("25.0"), group=group)
    client.force_login(officer)
    assert "25,0" in client.get(DASH).content.decode()
    assert "25,0" in client.get(DASH).content.decode()  # from the cache
    old.delete()
    old_group.delete()
    _snap(ward, "K3", 3, 4, Decimal("75.0"))
    _snap(ward, "K3", 3, 4, Decimal("75.0"), group=group)
    body = client.get(DASH).content.decode()
    assert "75,0" in body and "25,0" not in body


def test_live_numbers_of_a_period_never_snapshotted_are_never_cached(client, officer, group_a):
    """A past period that no recompute stored is computed live on every request: a record
    added since shows at once (its numbers are not kept in the cache like snapshot parts)."""
    url = reverse("reports:dashboard") + "?period=2025"
    child = ChildFactory(household__group=group_a, registered_on=dt.date(2024, 1, 1))
    client.force_login(officer)
    first = client.get(url)
    assert first.context["live"] is True
    assert not KpiSnapshot.objects.filter(period_start=dt.date(2025, 1, 1)).exists()
    assert _k1_fraction(first) == "0/1"
    WorkRecordFactory(child=child, started_on=dt.date(2025, 3, 1))
    again = client.get(url)
    assert again.context["live"] is True
    assert _k1_fraction(again) == "1/1"


def _k1_fraction(resp):
    tile = resp.content.decode().split("K1 · ", 1)[1].split("kpi-tile", 1)[0]
    return re.search(r"· (\d+/\d+)", tile).group(1)
