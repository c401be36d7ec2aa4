"""Issue 12's "How it is checked" items not covered elsewhere: KPIs on three wards add up to
the province for every KPI; `kpis --ward` and `make_report --ward`; the province user's pages
contain no child's, caregiver's or household's name."""

import json
import re
import shutil
import subprocess
from collections import deque
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from dongnguyen.models import Ward
from dongnguyen.roles import Role
from dongnguyen.services import user_set_role
from reports import catalogue, kpis, province
from reports import services as report_services
from reports.models import Report
from reports.periods import parse_period

from .factories import (
    CaseFactory,
    ChildFactory,
    GroupFactory,
    HouseholdFactory,
    IntakeFactory,
    ScreeningFactory,
    UserFactory,
    WorkRecordFactory,
)

YEAR = parse_period("2026")
NAMES = (
    "Hoàng Thị Kín",
    "Vũ Văn Riêng",
    "Đặng Thị Mật",
)
CAREGIVER = "Lý Thị Chămsóc"
HEAD = "Tạ Văn Chủhộ"


@pytest.fixture
def three_wards(db):
    first = Ward.first()
    return [
        first,
        Ward.objects.create(code="09400", name="Phường Tam Sơn", province_name="Bắc Ninh"),
        Ward.objects.create(code="09401", name="Xã Hương Mạc", province_name="Bắc Ninh"),
    ]


@pytest.fixture
def populated(three_wards):
    """Each ward a different mix: children, some in unlawful work, screened, with cases."""
    for i, ward in enumerate(three_wards):
        group = GroupFactory(code="TDP-01", name=f"Tổ {ward.code}", ward=ward)
        household = HouseholdFactory(group=group, head_name=HEAD)
        household.caregivers.create(name=CAREGIVER, relation="Mẹ", phone="0987000111")
        kids = [ChildFactory(household=household, full_name=NAMES[i])]
        kids += [ChildFactory(household=HouseholdFactory(group=group)) for _ in range(2 + 3 * i)]
        for child in kids[: 2 * i + 1]:
            WorkRecordFactory(child=child, started_on=date(2026, 3, 1))
        for child in kids[::2]:
            ScreeningFactory(child=child, date=date(2026, 4, 1))
        CaseFactory(child=kids[0])
        IntakeFactory(child=kids[0], channel="police", ward=ward, group=group)
    return three_wards


def test_every_kpi_of_three_wards_adds_up_to_the_province(populated):
    by_ward = [{v.code: v for v in kpis.compute(YEAR, ward=w)} for w in populated]
    report_services.snapshot_store(period=YEAR)
    dash = {pk.code: pk for pk in province.dashboard(YEAR)["kpis"]}
    assert set(dash) == {k.code for k in catalogue.entries()}
    for kpi in catalogue.entries():
        code = kpi.code
        num = sum(w[code].numerator or 0 for w in by_ward)
        den = sum(w[code].denominator or 0 for w in by_ward)
        got = dash[code].total  # the province total: the wards' sums, not an average
        assert (got.numerator, got.denominator or 0) == (num, den), code
        assert got.value == kpis.combine(code, [(num, den)]).value, code
        ranked = {wv.ward.pk: wv.value for wv in dash[code].ranked}
        for ward, values in zip(populated, by_ward, strict=True):
            assert ranked[ward.pk].numerator == values[code].numerator, (code, ward.code)
    # Not a trivially empty world: K1 has children in unlawful work in every ward, and the
    # province's K1 is 9 of the 3 + 6 + 9 children (500‰), not the mean of the rates.
    assert [w["K1"].numerator for w in by_ward] == [1, 3, 5]
    assert (dash["K1"].total.numerator, dash["K1"].total.denominator) == (9, 18)
    assert dash["K1"].total.value == kpis.ratio(9, 18, 1000)
    mean = sum(w["K1"].value for w in by_ward) / 3
    assert abs(dash["K1"].total.value - mean) > 1


def test_the_kpis_command_takes_a_ward(populated):
    _first, tam_son, _ = populated
    out = StringIO()
    call_command("kpis", "--period", "2026", "--ward", tam_son.code, "--json", stdout=out)
    rows = {r["code"]: r for r in json.loads(out.getvalue())}
    theirs = {v.code: v for v in kpis.compute(YEAR, ward=tam_son)}
    assert rows["K1"]["numerator"] == theirs["K1"].numerator == 3
    assert rows["K1"]["denominator"] == theirs["K1"].denominator
    out = StringIO()
    call_command("kpis", "--period", "2026", "--json", stdout=out)  # default: the first ward
    assert {r["code"]: r for r in json.loads(out.getvalue())}["K1"]["numerator"] == 1
    out = StringIO()
    call_command(
        "kpis",
        "--period",
        "2026",
        "--ward",
        tam_son.code,
        "--group",
        "TDP-01",
        "--json",
        stdout=out,
    )
    assert {r["code"]: r for r in json.loads(out.getvalue())}["K1"]["numerator"] == 3
    with pytest.raises(CommandError, match="Không có phường, xã mã"):
        call_command("kpis", "--period", "2026", "--ward", "00000", "--json")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="cần poppler-utils")
def test_make_report_takes_a_ward(populated, tmp_path):
    _first, tam_son, _ = populated
    out = tmp_path / "ts.pdf"
    call_command(
        "make_report",
        "--kind",
        "annual",
        "--period",
        "2026",
        "--ward",
        tam_son.code,
        "--out",
        str(out),
        stdout=StringIO(),
    )
    report = Report.objects.get(kind="annual", period="2026")
    assert report.ward == tam_son
    k1 = next(k for k in report.data["kpis"] if k["code"] == "K1")
    assert k1["numerator"] == 3
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "Tam Sơn" in text
    with pytest.raises(CommandError, match="Không có phường, xã mã"):
        call_command("make_report", "--kind", "annual", "--period", "2026", "--ward", "00000")


def test_the_province_users_pages_contain_no_personal_name(client, populated, officer):
    # The wards' finalized reports and the province's report, so every province page has
    # something to show.
    for ward in populated[:2]:
        report = report_services.report_request(
            kind="annual", period="2026", ward=ward, enqueue=False
        )
        report_services.report_generate(report_id=report.pk)
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FINALIZED, number="01/BC-UBND"
        )
    report_services.snapshot_store(period=YEAR)
    made = report_services.report_request(
        kind="annual", period="2026", scope=Report.Scope.PROVINCE, enqueue=False
    )
    report_services.report_generate(report_id=made.pk)
    user = UserFactory(username="tinh")
    user_set_role(user=user, role=Role.PROVINCE)
    client.force_login(user)
    secrets = (*NAMES, CAREGIVER, HEAD)
    start = [reverse("home"), reverse("reports:province_dashboard")]
    start += [
        reverse("reports:province_kpi", kwargs={"code": k.code}) + "?period=2026"
        for k in catalogue.entries()
    ]
    start += [reverse("reports:province_report_detail", args=[made.pk])]
    skip = ("/static/", "/media/", "/dang-xuat", "/logout", "/quan-tri/", "/api/")
    seen, queue, opened = set(), deque((u, 0) for u in start), 0
    while queue and opened < 150:
        url, depth = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        opened += 1
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("application/pdf") and shutil.which(
            "pdftotext"
        ):
            body = subprocess.run(
                ["pdftotext", "-", "-"], input=body, capture_output=True, check=True
            ).stdout
        text = body.decode(errors="replace")
        for name in secrets:
            assert name not in text, f"{name} shown to the province on {url}"
        if depth >= 2 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in re.findall(r'href="(/[^"#]*)"', text):
            link = link.replace("&amp;", "&")
            if not link.startswith(skip) and link not in seen:
                queue.append((link, depth + 1))
    assert opened > len(catalogue.entries())  # the crawl did open the province's pages
    # The names are there to find for the ward's own officer: the check can fail.
    from django.test import Client

    own = Client()
    own.force_login(officer)
    assert NAMES[0] in own.get(reverse("children:list")).content.decode()
