import pytest
from django.urls import reverse

from dongnguyen.models import AccessLog
from reports import services
from reports.periods import parse_period
from tests.factories import ChildFactory, GroupFactory, HouseholdFactory, WorkRecordFactory

from .conftest import AS_OF


@pytest.mark.parametrize(
    "persona,url_name,status",
    [
        ("leadership", "reports:dashboard", 200),
        ("case_officer", "reports:dashboard", 200),
        ("collaborator", "reports:dashboard", 200),
        ("finance", "reports:dashboard", 403),
        ("police", "reports:dashboard", 403),
        ("finance", "reports:finance", 200),
        ("collaborator", "reports:finance", 403),
        ("mass_org", "reports:report_list", 403),
        ("case_officer", "reports:report_list", 200),
        ("health", "reports:report_list", 403),
    ],
)
def test_it_allows_each_role_its_pages(client, personas, persona, url_name, status):
    client.force_login(personas[persona])
    assert client.get(reverse(url_name) + "?period=2026-H1").status_code == status


def test_it_shows_tiles_heat_table_and_freshness_from_snapshots(client, ward, officer):
    services.snapshot_store(period=parse_period("2026-H1"), as_of=AS_OF)
    client.force_login(officer)
    html = client.get(reverse("reports:dashboard") + "?period=2026-H1").content.decode()
    assert "cập nhật lúc 01/07/2026 12:00" in html
    assert html.count("kpi-tile ") == 17
    assert "kpi-missed" in html and "kpi-met" in html
    assert "TDP-02" in html  # heat table row


def test_it_scopes_a_collaborator_to_their_own_group(client, ward, ctv_a, ctv_b):
    client.force_login(ctv_a)
    html = client.get(reverse("reports:dashboard") + "?period=2026-H1").content.decode()
    assert "Thanh Bình" in html and html.count("kpi-tile ") == 15
    assert "Nghè" not in html
    # another group's code in the URL falls back to their own group
    html = client.get(reverse("reports:dashboard") + "?period=2026-H1&group=TDP-02").content
    assert "Thanh Nhàn" not in html.decode().split("<main")[1].split("kpi-tile")[0]
    # drill-down: the at-risk children not followed up, only in TDP-01
    resp = client.get(
        reverse("reports:drill", args=["K3", "missing"]) + "?period=2026-H1&group=TDP-02"
    )
    body = resp.content.decode()
    assert ward.c2.full_name in body  # TDP-01, managed, not screened in P
    assert ward.c8.full_name not in body  # TDP-02: not theirs


def test_it_drills_down_to_numerator_and_missing_records(client, ward, officer):
    client.force_login(officer)
    url = reverse("reports:drill", args=["K4", "missing"]) + "?period=2026-H1"
    body = client.get(url).content.decode()
    assert ward.c9.full_name in body and ward.c1.full_name not in body
    # The access log names the children the list showed (issue 11 point 4).
    assert str(ward.c9.pk) in AccessLog.objects.latest("pk").shown_ids
    url = reverse("reports:drill", args=["K4", "numerator"]) + "?period=2026-H1"
    assert ward.c1.full_name in client.get(url).content.decode()
    assert client.get(reverse("reports:drill", args=["K1", "missing"])).status_code == 404


def test_it_shows_finance_aggregates_without_personal_data(client, ward, finance):
    client.force_login(finance)
    html = client.get(reverse("reports:finance") + "?period=2026-H1").content.decode()
    assert "Học bổng" in html and "2.000.000" in html
    assert ward.c1.full_name not in html


def test_it_recomputes_on_demand_and_reports_when_done(
    client, ward, officer, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("reports:recompute") + "?period=2026-Q1")
    assert "hx-get" in resp.content.decode()
    started = resp.context["started"]
    resp = client.get(
        reverse("reports:recompute_status"), {"period": "2026-Q1", "started": started}
    )
    assert "Đã tính lại xong" in resp.content.decode()


def _rows(n_groups, n_children):
    groups = [GroupFactory() for _ in range(n_groups)]
    for i in range(n_children):
        child = ChildFactory(household=HouseholdFactory(group=groups[i % n_groups]), at_risk=True)
        WorkRecordFactory(child=child)


@pytest.mark.parametrize("n_groups,n_children", [(1, 3), (12, 30), (40, 40)])
def test_it_renders_the_dashboard_in_constant_queries(
    client, officer, django_assert_num_queries, n_groups, n_children
):
    _rows(n_groups, n_children)
    services.snapshot_store(period=parse_period("2026"))
    client.force_login(officer)
    # The session and the user's ward are cached; another period, so the parts of 2026 are not.
    client.get(reverse("reports:dashboard") + "?period=2026-Q1")
    # session, user, profile; groups in scope; the snapshots' token; snapshots of the period;
    # trend snapshots; materials given out: the distributions, the counts typed on sessions
    with django_assert_num_queries(9):
        assert client.get(reverse("reports:dashboard") + "?period=2026").status_code == 200
    # The parts drawn from the snapshots come from the cache: no snapshot or trend query.
    with django_assert_num_queries(7):
        assert client.get(reverse("reports:dashboard") + "?period=2026").status_code == 200


def test_the_heat_table_shows_a_page_of_groups_with_links_to_the_others(client, officer):
    from reports.views import HEAT_PAGE

    _rows(HEAT_PAGE + 5, HEAT_PAGE + 5)
    services.snapshot_store(period=parse_period("2026"))
    client.force_login(officer)
    url = reverse("reports:dashboard") + "?period=2026"
    first = client.get(url)
    heat = first.context["heat"]
    assert len(heat) == HEAT_PAGE
    html = first.content.decode()
    assert f"Tổ 1–{HEAT_PAGE} trong {HEAT_PAGE + 5} tổ" in html and "heat_page=2" in html
    rest = client.get(url + "&heat_page=2").context["heat"]
    assert len(rest) == 5
    assert {g.pk for g, _ in heat}.isdisjoint({g.pk for g, _ in rest})
    # the cells are the groups' own numbers, read from their snapshots
    assert all(any(text for _css, text in cells) for _g, cells in rest)


def _drill_cells(kind, obj):
    """The cells a drill-down row shows for a record, read from the model instance."""
    from django.utils import timezone

    def dmy(day):
        return day.strftime("%d/%m/%Y")

    def dmy_hm(moment):
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")

    if kind == "child":
        return [
            obj.full_name,
            dmy(obj.birth_date),
            obj.household.group.name,
            obj.get_school_status_display(),
        ]
    if kind == "intake":
        return [
            obj.receipt_code,
            dmy_hm(obj.received_at),
            obj.get_channel_display(),
            obj.get_status_display(),
        ]
    if kind == "household":
        return [obj.code, obj.head_name, obj.group.name]
    if kind == "business":
        return [obj.name, obj.address, obj.group.name]
    if kind == "violation":
        return [
            obj.code,
            obj.inspection.business.name,
            dmy(obj.detected_on),
            obj.get_status_display(),
        ]
    assert kind == "caregiver"
    return [
        obj.name,
        obj.relation,
        f"{obj.household.code} {obj.household.head_name}",
        obj.household.group.name,
    ]


@pytest.mark.parametrize("code", ["K2", "K4", "K8", "K9", "K10", "K16"])
@pytest.mark.parametrize("part", ["numerator", "missing"])
def test_a_drill_down_row_shows_its_records_columns(client, ward, officer, code, part):
    """The rows are read as tuples of the columns shown: each still shows what its record
    says (labels of choices, dates in Vietnamese order), one row per record of the list."""
    from django.utils.html import escape

    from households.models import Caregiver
    from reports import selectors

    # Caregivers of register children: K16's rows.
    Caregiver.objects.create(household=ward.c1.household, name="Trần Thị Hoa", relation="Mẹ")
    Caregiver.objects.create(household=ward.c2.household, name="Lê Văn Bình", relation="Bố")
    period = parse_period("2026-H1")
    kind, qs = selectors.drill_queryset(code, part, period, officer)
    records = list(qs)
    client.force_login(officer)
    body = client.get(
        reverse("reports:drill", args=[code, part]) + "?period=2026-H1"
    ).content.decode()
    assert body.count("<tr>") == max(len(records), 1)
    for obj in records:
        row = "".join(f"<td>{escape(cell)}</td>" for cell in _drill_cells(kind, obj))
        assert row in body, (code, part, row)
    shown = AccessLog.objects.latest("pk").shown_ids
    assert sorted(shown) == sorted(str(obj.pk) for obj in records)
