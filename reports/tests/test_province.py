"""The province (issue 12.3–12.4): the dashboard ranks the wards per KPI with totals from the
wards' numerators and denominators, lists the due reports not finalized, drills to ward
values only; the consolidated province report is made from the wards' finalized reports."""

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dongnguyen.models import Ward
from dongnguyen.roles import Role
from dongnguyen.services import user_set_role
from reports import province, services
from reports.models import KpiSnapshot, Report
from reports.periods import parse_period
from tests.factories import ChildFactory, GroupFactory, HouseholdFactory, UserFactory

YEAR = parse_period("2026")


@pytest.fixture
def wards(db):
    first = Ward.first()
    return [
        first,
        Ward.objects.create(code="09400", name="Phường Tam Sơn", province_name="Bắc Ninh"),
        Ward.objects.create(code="09401", name="Xã Hương Mạc", province_name="Bắc Ninh"),
    ]


@pytest.fixture
def tinh(db):
    user = UserFactory(username="tinh")
    profile = user_set_role(user=user, role=Role.PROVINCE)
    profile.ward = None
    profile.save(update_fields=["ward"])
    return user


def _snap(ward, code, num, den, value, met, period=YEAR):
    return KpiSnapshot.objects.create(
        ward=ward,
        code=code,
        period_start=period.start,
        period_end=period.end,
        numerator=num,
        denominator=den,
        value=value,
        met=met,
        computed_at=timezone.now(),
    )


def _ward_report(ward, kpis, *, status=Report.Status.FINALIZED, kind="annual", period=YEAR):
    return Report.objects.create(
        ward=ward,
        kind=kind,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        status=status,
        number="03/BC-UBND" if status == Report.Status.FINALIZED else "",
        finalized_at=timezone.now() if status == Report.Status.FINALIZED else None,
        data={"kpis": kpis},
    )


def _cell(code, num, den, value, met=None, previous=None):
    return {
        "code": code,
        "numerator": num,
        "denominator": den,
        "value": value,
        "met": met,
        "previous": previous,
    }


# ---------------------------------------------------------------------------------------------
# Dashboard


def test_it_ranks_the_wards_and_totals_from_numerators_not_an_average(client, wards, tinh):
    first, tam_son, huong_mac = wards
    _snap(first, "K3", 1, 2, Decimal("50.0"), False)
    _snap(tam_son, "K3", 9, 10, Decimal("90.0"), False)
    client.force_login(tinh)
    r = client.get(reverse("reports:province_dashboard"), {"period": "2026"})
    assert r.status_code == 200
    k3 = next(k for k in r.context["kpis"] if k.code == "K3")
    # 10/12 = 83.3%, not (50 + 90) / 2 = 70%.
    assert (k3.total.numerator, k3.total.denominator, k3.total.value) == (10, 12, Decimal("83.3"))
    assert [wv.ward for wv in k3.ranked] == [tam_son, first]  # no value: not ranked
    body = r.content.decode()
    assert "83,3" in body and "<svg" in body
    assert "Xã Hương Mạc" in body  # named as a ward without this period's numbers


def test_a_kpi_that_must_fall_ranks_the_lowest_rate_first(wards):
    first, tam_son, _ = wards
    _snap(first, "K1", 8, 1000, Decimal("8.0"), None)
    _snap(tam_son, "K1", 2, 1000, Decimal("2.0"), None)
    k1 = next(k for k in province.dashboard(YEAR)["kpis"] if k.code == "K1")
    assert [wv.ward for wv in k1.ranked][:2] == [tam_son, first]
    assert k1.total.value == Decimal("5.0")  # 10 per 2,000


def test_the_previous_period_of_the_wards_decides_a_falling_kpi(wards):
    first, tam_son, _ = wards
    last_year = parse_period("2025")
    _snap(first, "K11", 1, None, Decimal(1), None)
    _snap(tam_son, "K11", 1, None, Decimal(1), None)
    _snap(first, "K11", 3, None, Decimal(3), None, period=last_year)
    k11 = next(k for k in province.dashboard(YEAR)["kpis"] if k.code == "K11")
    assert (k11.total.value, k11.total.previous, k11.total.met) == (2, 3, True)


def test_it_lists_the_wards_that_have_not_finalized_a_due_report(client, wards, tinh):
    first, tam_son, huong_mac = wards
    h1 = parse_period("2026-H1")
    _ward_report(first, [], kind="semiannual", period=h1)
    _ward_report(tam_son, [], kind="semiannual", period=h1, status=Report.Status.READY)
    due = province.reports_not_finalized(wards, today=date(2026, 7, 1))
    assert [(o["ward"], o["period"]) for o in due] == [(tam_son, "2026-H1"), (huong_mac, "2026-H1")]
    # Before the due day nothing is late; after 20/12 the annual reports are too.
    assert province.reports_not_finalized(wards, today=date(2026, 6, 20)) == []
    late = province.reports_not_finalized(wards, today=date(2026, 12, 21))
    assert [(o["ward"].code, o["period"]) for o in late if o["period"] == "2026"] == [
        (w.code, "2026") for w in wards
    ]


def test_the_drill_goes_to_the_ward_values_not_to_children(client, wards, tinh):
    first, tam_son, _ = wards
    group = GroupFactory(code="TDP-01", name="Thanh Bình", ward=first)
    ChildFactory(household=HouseholdFactory(group=group), full_name="Nguyễn Thị Bích Ngọc")
    _snap(first, "K3", 1, 2, Decimal("50.0"), False)
    _snap(tam_son, "K3", 9, 10, Decimal("90.0"), False)
    client.force_login(tinh)
    r = client.get(reverse("reports:province_kpi", args=["K3"]), {"period": "2026"})
    body = r.content.decode()
    assert r.status_code == 200
    table = body[body.index("<table") :]
    assert table.index("Phường Tam Sơn") < table.index(first.name)
    assert "10" in body and "12" in body and "83,3" in body
    assert "Bích Ngọc" not in body
    assert client.get(reverse("reports:province_kpi", args=["K99"])).status_code == 404
    assert "Bích Ngọc" not in client.get(reverse("reports:province_dashboard")).content.decode()


def test_the_province_sees_no_personal_data_and_wards_not_the_province_pages(
    client, wards, tinh, officer
):
    client.force_login(tinh)
    for name in ("children:list", "households:list", "children:case_list", "reports:dashboard"):
        assert client.get(reverse(name)).status_code == 403, name
    client.force_login(officer)
    assert client.get(reverse("reports:province_dashboard")).status_code == 403
    assert client.get(reverse("reports:province_report_list")).status_code == 403


def test_the_dashboard_costs_the_same_queries_for_two_or_five_wards(
    client, wards, tinh, django_assert_num_queries
):
    client.force_login(tinh)
    url = reverse("reports:province_dashboard") + "?period=2026"
    for w in wards:
        _snap(w, "K3", 1, 2, Decimal("50.0"), False)
    client.get(url)  # warm the session and the first-ward default
    with django_assert_num_queries(6) as few:
        # session, user, profile; wards, the snapshots' token (the KPI cards are cached under
        # it), the finalized reports of this year
        client.get(url)
    # Counted now: captured_queries slices the connection's log, which the next request
    # outside a count empties.
    cached = len(few.captured_queries)
    for i in range(3):
        w = Ward.objects.create(code=f"0950{i}", name=f"Xã {i}", province_name="Bắc Ninh")
        _snap(w, "K3", 3, 4, Decimal("75.0"), False)
    client.get(url)  # new snapshots: the cards are built again, then cached
    with django_assert_num_queries(cached):
        client.get(url)


def _overdue_list(response) -> str:
    body = response.content.decode()
    start = body.index('<ul id="overdue">')
    return body[start : body.index("</ul>", start)]


def test_the_cached_dashboard_never_shows_a_due_report_as_not_finalized_once_it_is(
    client, wards, tinh, monkeypatch
):
    first, tam_son, huong_mac = wards
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 7, 1))
    client.force_login(tinh)
    url = reverse("reports:province_dashboard")
    overdue = _overdue_list(client.get(url))
    assert "Phường Tam Sơn" in overdue  # cached now
    _ward_report(tam_son, [], kind="semiannual", period=parse_period("2026-H1"))
    overdue = _overdue_list(client.get(url))
    assert "Phường Tam Sơn" not in overdue and "Xã Hương Mạc" in overdue


def test_the_cached_cards_follow_a_recompute_of_the_previous_period(client, wards, tinh):
    first, tam_son, _ = wards
    last_year = parse_period("2025")
    _snap(first, "K11", 1, None, Decimal(1), None)
    _snap(first, "K11", 3, None, Decimal(3), None, period=last_year)
    client.force_login(tinh)
    url = reverse("reports:province_dashboard") + "?period=2026"
    k11 = next(k for k in client.get(url).context["kpis"] if k.code == "K11")
    assert (k11.total.value, k11.total.previous, k11.total.met) == (1, 3, True)  # cached now
    # The previous year recomputed (its rows re-created): the cards are built again.
    KpiSnapshot.objects.filter(period_start=last_year.start).delete()
    _snap(first, "K11", 0, None, Decimal(0), None, period=last_year)
    k11 = next(k for k in client.get(url).context["kpis"] if k.code == "K11")
    assert (k11.total.value, k11.total.previous, k11.total.met) == (1, 0, False)


# ---------------------------------------------------------------------------------------------
# The consolidated report


def _reports_of_three_wards(wards):
    first, tam_son, huong_mac = wards
    _ward_report(first, [_cell("K3", 1, 2, "50.0", False), _cell("K11", 2, None, "2", None, "1")])
    _ward_report(
        tam_son, [_cell("K3", 9, 10, "90.0", False), _cell("K11", 0, None, "0", True, "0")]
    )
    # Generated, not finalized: the province report says it has not reported.
    _ward_report(huong_mac, [_cell("K3", 100, 100, "100.0", True)], status=Report.Status.READY)


def test_the_province_report_totals_the_finalized_ward_reports(wards):
    _reports_of_three_wards(wards)
    report = services.report_request(
        kind="annual", period="2026", scope=Report.Scope.PROVINCE, enqueue=False
    )
    report = services.report_generate(report_id=report.pk)
    assert report.ward is None and report.status == Report.Status.READY
    k3 = next(k for k in report.data["kpis"] if k["code"] == "K3")
    assert [c["ward"] for c in k3["by_ward"]] == [wards[0].name, "Phường Tam Sơn"]
    assert k3["total"] == {
        "numerator": 10,
        "denominator": 12,
        "value": "83.3",
        "previous": None,
        "met": False,
    }
    k11 = next(k for k in report.data["kpis"] if k["code"] == "K11")
    assert (k11["total"]["value"], k11["total"]["previous"], k11["total"]["met"]) == (
        "2",
        "1",
        False,
    )
    assert report.data["not_reported"] == [{"code": "09401", "name": "Xã Hương Mạc"}]


def test_a_finalized_province_report_is_numbered_by_the_office_and_locked(wards, tinh):
    _reports_of_three_wards(wards)
    report = services.report_request(
        kind="annual", period="2026", scope=Report.Scope.PROVINCE, enqueue=False
    )
    services.report_generate(report_id=report.pk)
    report = services.report_finalize(report=report, by=tinh)
    assert report.number == "01/BC-SYT" and report.is_locked
    frozen = report.data
    _ward_report(wards[2], [_cell("K3", 5, 5, "100.0", True)], kind="adhoc")
    with pytest.raises(services.ReportLocked):
        services.report_request(kind="annual", period="2026", scope=Report.Scope.PROVINCE)
    assert services.report_generate(report_id=report.pk).data == frozen
    # The ward reports of the same kind and period are other rows.
    assert Report.objects.filter(kind="annual", period="2026").count() == 4


def test_the_province_pages_make_and_finalize_the_report(
    client, wards, tinh, django_capture_on_commit_callbacks
):
    _reports_of_three_wards(wards)
    client.force_login(tinh)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("reports:province_report_create"), {"kind": "annual", "period": "2026"}
        )
    report = Report.objects.get(scope=Report.Scope.PROVINCE)
    assert r.url == reverse("reports:province_report_detail", args=[report.pk])
    report.refresh_from_db()
    assert report.status == Report.Status.READY  # the eager task ran on commit
    page = client.get(r.url).content.decode()
    assert "Xã Hương Mạc" in page
    client.post(reverse("reports:province_report_finalize", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.FINALIZED
    listing = client.get(reverse("reports:province_report_list")).content.decode()
    assert "01/BC-SYT" in listing and "03/BC-UBND" in listing
    # The ward's generated-but-not-issued report is not the province's to read.
    draft = Report.objects.get(ward=wards[2])
    assert client.get(reverse("reports:province_report_detail", args=[draft.pk])).status_code == 404
    download = client.get(reverse("reports:province_report_download", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="cần poppler-utils")
def test_make_report_scope_province_renders_the_decree_30_layout(wards, tmp_path):
    _reports_of_three_wards(wards)
    out = tmp_path / "tinh.pdf"
    call_command(
        "make_report",
        "--scope",
        "province",
        "--kind",
        "annual",
        "--period",
        "2026",
        "--out",
        str(out),
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "ỦY BAN NHÂN DÂN TỈNH BẮC" in flat  # the issuer's two lines, left
    assert "SỞ Y TẾ" in flat and "Bắc Ninh, ngày" in flat
    assert "BÁO CÁO" in flat and "KT. GIÁM ĐỐC" in flat
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "/BC-SYT" in flat
    assert "Toàn tỉnh" in flat and "83,3" in flat
    assert "chưa ban hành báo cáo: Xã Hương Mạc" in flat
    assert "Phường Tam Sơn" in flat
    assert "./." in flat


def test_the_report_list_costs_the_same_queries_for_one_or_many_wards(
    client, wards, tinh, django_assert_num_queries
):
    client.force_login(tinh)
    url = reverse("reports:province_report_list")
    _ward_report(wards[0], [])
    client.get(url)
    with django_assert_num_queries(5) as one:
        # session, user, profile; count, the page of reports with their wards
        client.get(url)
    for i in range(4):
        w = Ward.objects.create(code=f"0960{i}", name=f"Xã {i}", province_name="Bắc Ninh")
        _ward_report(w, [])
    with django_assert_num_queries(len(one.captured_queries)):
        r = client.get(url)
    assert r.content.decode().count("03/BC-UBND") == 5


def test_the_province_report_is_not_counted_as_a_ward_report_on_time(wards, tinh):
    from reports.conditions import reports_on_time

    before = reports_on_time(parse_period("2026"))
    report = Report.objects.create(
        kind="semiannual",
        period="2026-H1",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        scope=Report.Scope.PROVINCE,
        ward=None,
        status=Report.Status.FINALIZED,
        finalized_at=timezone.make_aware(timezone.datetime(2026, 6, 1)),
    )
    assert report.pk and reports_on_time(parse_period("2026")) == before
