"""K14–K17 (issue 14) on hand-built data, for the ward and a group; and their drill-down."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import HealthCheck
from inspections.models import Commitment
from reports.kpis import compute
from reports.periods import parse_period
from schools.models import EarlyWarning
from tests.factories import (
    ChildFactory,
    GroupFactory,
    HouseholdFactory,
    OutreachSessionFactory,
    WorkRecordFactory,
)

pytestmark = pytest.mark.django_db
D = dt.date
H1 = parse_period("2026-H1")
AS_OF = timezone.make_aware(dt.datetime(2026, 7, 1, 12))


def by_code(values):
    return {v.code: v for v in values}


def warn(child, raised, contacted=None):
    return EarlyWarning.objects.create(
        child=child,
        raised_on=raised,
        rule="unexcused_month",
        month=raised.replace(day=1),
        contacted_on=contacted,
    )


@pytest.fixture
def data(db):
    g1, g2 = GroupFactory(code="TDP-01"), GroupFactory(code="TDP-02")
    h1, h2, h3 = HouseholdFactory(group=g1), HouseholdFactory(group=g1), HouseholdFactory(group=g2)
    born = D(2014, 5, 17)
    a = ChildFactory(household=h1, birth_date=born, at_risk=True)
    b = ChildFactory(household=h2, birth_date=born)
    c = ChildFactory(household=h3, birth_date=born, at_risk=True)
    # K14: a contacted on day 7 ✓; b contacted on day 8 ✗; c raised 27/06 (last 7 days of P)
    # and not contacted: left out; b's second warning raised before P: not counted.
    warn(a, D(2026, 3, 2), D(2026, 3, 9))
    warn(b, D(2026, 4, 1), D(2026, 4, 9))
    warn(b, D(2025, 12, 1))
    warn(c, D(2026, 6, 27))
    # K15: a and c in unlawful work in P; a checked in P, c checked only before P.
    WorkRecordFactory(child=a, started_on=D(2026, 1, 10), lawful=False)
    WorkRecordFactory(child=c, started_on=D(2025, 10, 1), lawful=False)
    for child, on in ((a, D(2026, 2, 1)), (c, D(2025, 11, 1))):
        HealthCheck.objects.create(
            child=child, date=on, height_cm=140, weight_kg=33, nutrition_status="normal"
        )
    # K16: caregivers of register children: h1 ×2, h2 ×1, h3 ×1. A session reached h1 (all
    # its caregivers); another reached h3's caregiver by name; h2's only before P.
    m1 = h1.caregivers.create(name="Nguyễn Thị Mẹ", relation="Mẹ")
    h1.caregivers.create(name="Nguyễn Văn Bố", relation="Bố")
    m2 = h2.caregivers.create(name="Trần Thị Mẹ", relation="Mẹ")
    m3 = h3.caregivers.create(name="Lê Thị Bà", relation="Bà")
    s1 = OutreachSessionFactory(group=g1, date=D(2026, 3, 1))
    s1.households_reached.add(h1)
    OutreachSessionFactory(group=g2, date=D(2026, 4, 1)).caregivers_reached.add(m3)
    OutreachSessionFactory(group=g1, date=D(2025, 12, 1)).caregivers_reached.add(m2)
    # K17: managed-list households h1 (a) h3 (c); h1 signed after the plan's start, h3 before.
    Commitment.objects.create(household=h1, signed_on=D(2026, 5, 1))
    Commitment.objects.create(household=h3, signed_on=D(2026, 4, 1))
    return locals()


def test_it_computes_k14_to_k17_for_the_ward(data):
    k = by_code(compute(H1, as_of=AS_OF))
    assert (k["K14"].numerator, k["K14"].denominator, k["K14"].value) == (1, 2, Decimal("50.0"))
    assert k["K14"].met is False
    assert (k["K15"].numerator, k["K15"].denominator, k["K15"].met) == (1, 2, False)
    assert (k["K16"].numerator, k["K16"].denominator, k["K16"].value) == (3, 4, Decimal("75.0"))
    assert (k["K17"].numerator, k["K17"].denominator) == (1, 2)
    assert k["K17"].met is None and k["K17"].status == "none"  # tracked, no target


def test_it_computes_k14_to_k17_for_a_group(data):
    k = by_code(compute(H1, group=data["g1"], as_of=AS_OF))
    assert (k["K14"].numerator, k["K14"].denominator) == (1, 2)
    assert (k["K15"].numerator, k["K15"].denominator, k["K15"].met) == (1, 1, True)
    assert (k["K16"].numerator, k["K16"].denominator) == (2, 3)
    assert (k["K17"].numerator, k["K17"].denominator) == (1, 1)
    k2 = by_code(compute(H1, group=data["g2"], as_of=AS_OF))
    assert (k2["K14"].numerator, k2["K14"].denominator) == (0, 0)
    assert (k2["K16"].numerator, k2["K16"].denominator) == (1, 1)
    assert (k2["K17"].numerator, k2["K17"].denominator) == (0, 1)


def test_a_late_contact_counts_once_the_week_is_over(data):
    # c's warning of 27/06 (last 7 days of P) stays out while uncontacted, even later on.
    later = timezone.make_aware(dt.datetime(2026, 7, 20, 12))
    k = by_code(compute(H1, as_of=later))
    assert (k["K14"].numerator, k["K14"].denominator) == (1, 2)


def test_the_drill_down_lists_the_missing_caregivers(client, data, personas):
    client.force_login(personas["case_officer"])
    url = reverse("reports:drill", args=["K16", "missing"])
    html = client.get(url, {"period": "2026-H1"}).content.decode()
    assert "Trần Thị Mẹ" in html and "Nguyễn Thị Mẹ" not in html


def test_the_report_has_a_line_for_each_and_the_whole_register_screening(data):
    """K14–K17 and the yearly screening's coverage are written in the report's text (the
    KPI table lists every catalogue entry anyway), with no materials given out in P."""
    from dongnguyen.pdf import render_html
    from households.models import HouseholdScreening
    from reports.models import Report
    from reports.services import report_context, report_data

    HouseholdScreening.objects.create(household=data["h1"], date=D(2026, 2, 2))
    report = Report.objects.create(
        kind="semiannual",
        period="2026-H1",
        period_start=H1.start,
        period_end=H1.end,
        data=report_data(H1, as_of=AS_OF),
    )
    html = " ".join(render_html("reports/pdf/report.html", report_context(report)).split())
    assert "1/2 học sinh có cảnh báo sớm nguy cơ bỏ học được liên hệ trong 7 ngày (50,0%)" in html
    assert "Trạm Y tế khám sức khỏe cho 1/2 trẻ em lao động trái quy định (50,0%)" in html
    assert "3/4 cha mẹ, người chăm sóc trẻ em được tuyên truyền (75,0%)" in html
    assert "1/2 hộ có trẻ em trong danh sách quản lý đã ký cam kết" in html
    assert "Rà soát toàn bộ trong kỳ: 0/3 trẻ em (0,0%), 1/3 hộ gia đình (33,3%)" in html


@pytest.mark.parametrize(
    "code, shown, missing",
    [("K14", "a", "b"), ("K15", "a", "c"), ("K17", "h1", "h3")],
)
def test_each_new_kpi_drills_down_to_its_records(client, data, personas, code, shown, missing):
    """The numerator's records, and the denominator's missing ones (K16: above)."""

    def label(obj):
        return getattr(obj, "full_name", None) or obj.code

    client.force_login(personas["case_officer"])
    for kind, inside, outside in (("numerator", shown, missing), ("missing", missing, shown)):
        url = reverse("reports:drill", args=[code, kind])
        response = client.get(url, {"period": "2026-H1"})
        assert response.status_code == 200
        html = response.content.decode()
        assert label(data[inside]) in html, (code, kind)
        assert label(data[outside]) not in html, (code, kind)
