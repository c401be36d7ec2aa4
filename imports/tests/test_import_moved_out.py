"""The children's optional "Ngày chuyển đi" (moved-out date) column."""

import datetime as dt

import pytest

from children.models import Child
from imports.models import ImportJob
from imports.services import import_records
from tests.factories import HouseholdFactory

from .helpers import CHILD_HEADERS, child_rows, write, xlsx_bytes

HEADERS = [*CHILD_HEADERS, "Ngày chuyển đi"]


@pytest.fixture
def households(db, group_a):
    return [HouseholdFactory(code="HGD-0001", group=group_a)]


def _import(tmp_path, rows, headers=HEADERS):
    path = write(tmp_path, "tre.xlsx", xlsx_bytes(headers, rows))
    return import_records(kind="children", path=path)


def test_it_imports_and_then_clears_the_moved_out_date(tmp_path, households):
    rows = [[*r, m] for r, m in zip(child_rows(2), ["15/03/2026", ""], strict=True)]
    job = _import(tmp_path, rows)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Child.objects.get(full_name="Trần Thị Mai Một").moved_out_on == dt.date(2026, 3, 15)
    assert Child.objects.get(full_name="Trần Thị Mai Hai").moved_out_on is None
    # Back in the ward: an empty cell in a present column clears the date.
    rows[0][-1] = ""
    job = _import(tmp_path, rows)
    assert job.status == ImportJob.Status.DONE and job.count_update == 1
    assert Child.objects.get(full_name="Trần Thị Mai Một").moved_out_on is None


def test_it_keeps_the_date_when_the_column_is_absent(tmp_path, households):
    _import(tmp_path, [[*child_rows(1)[0], "15/03/2026"]])
    job = _import(tmp_path, child_rows(1), headers=CHILD_HEADERS)
    assert job.count_unchanged == 1
    assert Child.objects.get().moved_out_on == dt.date(2026, 3, 15)


@pytest.mark.parametrize(
    ("moved", "message"),
    [
        ("31/12/2025", "Ngày chuyển đi không thể trước ngày vào danh sách."),
        # Before the birth date is before the register date too (Child.clean's wording).
        ("01/01/2010", "Ngày chuyển đi không thể trước ngày vào danh sách."),
        ("32/01/2026", "Ngày chuyển đi"),
    ],
)
def test_it_refuses_a_bad_moved_out_date_and_saves_nothing(tmp_path, households, moved, message):
    rows = [[*r, m] for r, m in zip(child_rows(2), ["", moved], strict=True)]
    job = _import(tmp_path, rows)
    assert job.status == ImportJob.Status.FAILED
    assert message in str(job.errors)
    assert not Child.objects.exists()
