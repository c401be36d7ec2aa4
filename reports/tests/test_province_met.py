"""The province report's KPI rows by ward (issue 12.4): each ward's value, target and whether
met, and for a KPI that must fall (K1) the province's "met" from the summed numerators and
denominators of both periods, not empty and not an average of rates."""

import shutil
import subprocess
from datetime import date

import pytest
from django.utils import timezone

from dongnguyen.models import Ward
from reports import kpis, services
from reports.models import KpiSnapshot, Report
from reports.periods import parse_period
from tests.factories import ChildFactory, GroupFactory, HouseholdFactory, WorkRecordFactory

YEAR = parse_period("2026")
pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(db):
    first = Ward.first()
    return [
        first,
        Ward.objects.create(code="09400", name="Phường Tam Sơn", province_name="Bắc Ninh"),
    ]


def _finalized(ward, cells):
    return Report.objects.create(
        ward=ward,
        kind="annual",
        period=YEAR.code,
        period_start=YEAR.start,
        period_end=YEAR.end,
        status=Report.Status.FINALIZED,
        number="05/BC-UBND",
        finalized_at=timezone.now(),
        data={"kpis": cells},
    )


def _k1(num, den, value, met, previous, pn=None, pd=None):
    cell = {"code": "K1", "numerator": num, "denominator": den, "value": value, "met": met}
    cell["previous"] = previous
    if pn is not None:
        cell.update(previous_numerator=pn, previous_denominator=pd)
    return cell


def _province_report():
    report = services.report_request(
        kind="annual", period="2026", scope=Report.Scope.PROVINCE, enqueue=False
    )
    return services.report_generate(report_id=report.pk)


def _row(report, code="K1"):
    return next(k for k in report.data["kpis"] if k["code"] == code)


def test_k1_by_ward_and_the_province_total_say_whether_met(wards):
    first, tam_son = wards
    # 5/500 = 10‰ after 8/400 = 20‰ (met); 6/300 = 20‰ after 3/300 = 10‰ (not met).
    _finalized(first, [_k1(5, 500, "10.0", True, "20.0", 8, 400)])
    _finalized(tam_son, [_k1(6, 300, "20.0", False, "10.0", 3, 300)])
    k1 = _row(_province_report())
    assert [(c["ward"], c["value"], c["previous"], c["met"]) for c in k1["by_ward"]] == [
        (first.name, "10.0", "20.0", True),
        ("Phường Tam Sơn", "20.0", "10.0", False),
    ]
    # Province: 11/800 = 13.8‰ after 11/700 = 15.7‰ — met. (The mean of the wards' rates
    # would be 15‰ after 15‰: not met; the totals decide.)
    assert k1["total"] == {
        "numerator": 11,
        "denominator": 800,
        "value": str(kpis.ratio(11, 800, kpis.catalogue.get("K1").scale)),
        "previous": str(kpis.ratio(11, 700, kpis.catalogue.get("K1").scale)),
        "met": True,
    }
    assert k1["target"] == "Thấp hơn kỳ trước"


def test_a_report_frozen_without_the_previous_numbers_uses_the_previous_snapshot(wards):
    first, tam_son = wards
    _finalized(first, [_k1(5, 500, "10.0", True, "20.0", 8, 400)])
    _finalized(tam_son, [_k1(6, 300, "20.0", None, None)])  # an older report's cell
    assert _row(_province_report())["total"]["met"] is None  # not known: not guessed
    prev = parse_period("2025")
    KpiSnapshot.objects.create(
        ward=tam_son,
        code="K1",
        period_start=prev.start,
        period_end=prev.end,
        numerator=9,
        denominator=300,
        value=30,
        computed_at=timezone.now(),
    )
    Report.objects.filter(scope=Report.Scope.PROVINCE).delete()
    k1 = _row(_province_report())
    assert k1["by_ward"][1]["met"] is True  # 20‰ after 30‰
    assert k1["total"]["previous"] == str(kpis.ratio(17, 700, kpis.catalogue.get("K1").scale))
    assert k1["total"]["met"] is True


def _children_in_labour(group, n, *, total, started, ended=None):
    kids = [ChildFactory(household=HouseholdFactory(group=group)) for _ in range(total)]
    for child in kids[:n]:
        WorkRecordFactory(child=child, started_on=started, ended_on=ended)
    return kids


def test_real_ward_reports_freeze_the_previous_numbers_the_province_totals(wards, officer):
    from dongnguyen.models import Agency
    from dongnguyen.roles import Role
    from dongnguyen.services import user_set_role
    from tests.factories import UserFactory

    first, tam_son = wards
    ours = GroupFactory(code="TDP-01", ward=first)
    theirs = GroupFactory(code="TDP-01", name="Tam Sơn 1", ward=tam_son)
    # 2025: 2 of our 10 children, 1 of their 10; 2026: 1 of ours, 1 of theirs.
    kids = _children_in_labour(ours, 2, total=10, started=date(2025, 2, 1), ended=date(2025, 6, 1))
    WorkRecordFactory(child=kids[5], started_on=date(2026, 3, 1))
    theirs_kids = _children_in_labour(
        theirs, 1, total=10, started=date(2025, 2, 1), ended=date(2025, 6, 1)
    )
    WorkRecordFactory(child=theirs_kids[6], started_on=date(2026, 3, 1))
    their_officer = UserFactory(username="cb_tamson")
    user_set_role(
        user=their_officer,
        role=Role.CASE_OFFICER,
        agency=Agency.objects.get(code="vhxh"),
        ward=tam_son,
    )
    for ward, by in ((first, officer), (tam_son, their_officer)):
        report = services.report_request(kind="annual", period="2026", by=by, enqueue=False)
        report = services.report_generate(report_id=report.pk)
        assert report.ward == ward
        cell = _row(report)
        assert cell["previous_numerator"] is not None and cell["previous_denominator"]
        services.report_finalize(report=report, by=by)
    k1 = _row(_province_report())
    by = {c["ward"]: c for c in k1["by_ward"]}
    assert by[first.name]["met"] is True and by["Phường Tam Sơn"]["met"] is False
    wanted = [kpis.compute(YEAR, ward=w) for w in wards]
    before = [kpis.compute(YEAR.previous(), ward=w) for w in wards]
    num = sum(next(v for v in vs if v.code == "K1").numerator for vs in wanted)
    den = sum(next(v for v in vs if v.code == "K1").denominator for vs in wanted)
    pnum = sum(next(v for v in vs if v.code == "K1").numerator for vs in before)
    pden = sum(next(v for v in vs if v.code == "K1").denominator for vs in before)
    assert (k1["total"]["numerator"], k1["total"]["denominator"]) == (num, den) == (2, 20)
    assert (pnum, pden) == (3, 20)
    assert k1["total"]["met"] is True  # 100‰ after 150‰


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="cần poppler-utils")
def test_the_pdf_shows_each_wards_target_and_whether_met(wards, tmp_path):
    first, tam_son = wards
    _finalized(first, [_k1(5, 500, "10.0", True, "20.0", 8, 400)])
    _finalized(tam_son, [_k1(6, 300, "20.0", False, "10.0", 3, 300)])
    report = _province_report()
    out = tmp_path / "tinh.pdf"
    out.write_bytes(report.pdf.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "Mục tiêu Đánh giá" in flat  # the by-ward tables have both columns
    # K1 by ward: value, target (below its own previous rate), met.
    assert "10,0‰ Thấp hơn kỳ trước (20,0‰) Đạt" in flat
    assert "20,0‰ Thấp hơn kỳ trước (10,0‰) Chưa đạt" in flat
    assert "Toàn tỉnh 11 800 13,8‰ Thấp hơn kỳ trước (15,7‰) Đạt" in flat
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(out), str(tmp_path / "p")],
            check=True,
        )
        pages = sorted(tmp_path.glob("p-*.png"))
        assert pages and all(p.stat().st_size > 5000 for p in pages)
