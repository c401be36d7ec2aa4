"""Limits of one imported file: a zip bomb, or a file with too many rows or cells, is refused
with a Vietnamese message before it can fill a worker's memory."""

import io
import os
import subprocess
import sys
import time
import tracemalloc
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse

from imports.models import ImportJob
from imports.readers import FileProblem, read_sheet

from .helpers import HOUSEHOLD_HEADERS, csv_bytes, household_rows, upload, xlsx_bytes, zip_bomb

MB = 1024 * 1024


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return zip_bomb(400)  # 400 MB of sheet, about 1.6 million rows


def test_the_bomb_is_what_the_issue_describes(bomb):
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        sheet = z.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 390 * MB and len(bomb) < 5 * MB


def test_it_refuses_a_zip_bomb_fast_and_in_little_memory(bomb, capsys):
    tracemalloc.start()
    t0 = time.perf_counter()
    with pytest.raises(FileProblem) as refused:
        read_sheet("bom.xlsx", bomb)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "quá lớn để nhập" in str(refused.value) and "vượt giới hạn 150 MB" in str(refused.value)
    assert elapsed < 5 and peak < 200 * MB
    with capsys.disabled():
        print(
            f"\nzip bomb {len(bomb) / MB:.2f} MB on disk: refused in {elapsed * 1000:.1f} ms, "
            f"Python allocations peak {peak / MB:.2f} MB"
        )


# A fresh process, as a worker is: its peak RSS once Django is loaded and the file read, then
# after the import service has checked the bomb.
RSS_SCRIPT = """
import os, resource, sys, time
import django
django.setup()
from imports.readers import FileProblem, read_sheet
data = open(sys.argv[1], "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
try:
    read_sheet("bom.xlsx", data)
except FileProblem:
    pass
else:
    sys.exit("not refused")
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base)
"""


def test_it_refuses_a_zip_bomb_in_a_fresh_worker_without_growing_it(bomb, tmp_path, capsys):
    path = tmp_path / "bom.xlsx"
    path.write_bytes(bomb)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dongnguyen.settings", "DEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "-c", RSS_SCRIPT, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )
    assert done.returncode == 0, done.stderr
    elapsed, growth_kib = done.stdout.split()
    assert float(elapsed) < 5 and int(growth_kib) < 200 * 1024
    with capsys.disabled():
        print(
            f"\nzip bomb in a fresh process: refused in {float(elapsed) * 1000:.1f} ms, "
            f"peak RSS {int(growth_kib) / 1024:.1f} MB above the process's baseline"
        )


def test_it_refuses_a_bomb_under_the_size_limit_by_its_compression_ratio(bomb, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_MB = 1000
    t0 = time.perf_counter()
    with pytest.raises(FileProblem, match="nén bất thường"):
        read_sheet("bom.xlsx", bomb)
    assert time.perf_counter() - t0 < 5


def test_it_refuses_a_zip_bomb_uploaded_on_the_web_and_leaves_the_job_answered(
    client, officer, group_a, bomb, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    t0 = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):  # a big file: checked in a task
        response = client.post(
            reverse("imports:upload"), {"kind": "households", "file": upload("bom.xlsx", bomb)}
        )
    assert time.perf_counter() - t0 < 5
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == "previewed" and "quá lớn để nhập" in job.message
    assert not job.can_confirm
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "quá lớn để nhập" in page


def test_it_reads_an_ordinary_file_within_the_limits(settings):
    settings.IMPORT_MAX_ROWS = 4
    sheet = read_sheet("ho.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(3)))
    assert len(sheet.rows) == 3


@pytest.mark.parametrize(
    "name,build", [("ho.xlsx", xlsx_bytes), ("ho.csv", csv_bytes)], ids=["xlsx", "csv"]
)
def test_it_refuses_a_file_with_too_many_rows(settings, name, build):
    settings.IMPORT_MAX_ROWS = 10
    with pytest.raises(FileProblem, match="quá nhiều dòng: hơn 10 dòng"):
        read_sheet(name, build(HOUSEHOLD_HEADERS, household_rows(10)))  # 11 with the header


@pytest.mark.parametrize(
    "name,build", [("ho.xlsx", xlsx_bytes), ("ho.csv", csv_bytes)], ids=["xlsx", "csv"]
)
def test_it_refuses_a_file_with_too_many_cells(settings, name, build):
    settings.IMPORT_MAX_CELLS = 100
    with pytest.raises(FileProblem, match="quá nhiều ô dữ liệu: hơn 100 ô"):
        read_sheet(name, build(HOUSEHOLD_HEADERS, household_rows(20)))  # 21 × 6 cells


def test_it_refuses_a_very_wide_row(settings):
    settings.IMPORT_MAX_CELLS = 1000
    with pytest.raises(FileProblem, match="quá nhiều ô dữ liệu"):
        read_sheet("ho.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, [["x"] * 2000]))


def test_it_refuses_an_archive_with_thousands_of_parts():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(1001):
            z.writestr(f"xl/media/{i}.xml", "")
    with pytest.raises(FileProblem, match="Không đọc được tệp Excel"):
        read_sheet("ho.xlsx", out.getvalue())


def test_it_refuses_a_sheet_whose_xml_is_broken_as_a_bad_file():
    """Half a sheet: a clear message, never an exception that leaves the job "checking"."""
    data = zip_bomb(2)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            part = src.read(name)
            dst.writestr(name, part[: len(part) // 2] if "worksheets" in name else part)
    with pytest.raises(FileProblem, match="Không đọc được tệp Excel"):
        read_sheet("ho.xlsx", out.getvalue())


def test_it_streams_a_sheet_without_dimension_instead_of_parsing_it_whole(settings):
    """A file within the size limits but with a million rows is refused at the row limit,
    without reading the rest of it first (openpyxl would, to size a sheet)."""
    settings.IMPORT_MAX_COMPRESSION_RATIO = 1000
    settings.IMPORT_MAX_ROWS = 1000
    data = zip_bomb(60)  # 60 MB of sheet, no <dimension>
    t0 = time.perf_counter()
    with pytest.raises(FileProblem, match="quá nhiều dòng"):
        read_sheet("ho.xlsx", data)
    assert time.perf_counter() - t0 < 5  # the whole sheet takes about a minute
