"""Throughput of the Excel import (not a test): builds a 50,000-row children file plus its
households with openpyxl in a temporary directory, imports both through the same service as
the web and `import_records`, and prints rows per second. First it feeds the same service a
zip bomb (a 1.75 MB .xlsx holding a 400 MB sheet) and prints how fast, and in how much memory,
it is refused.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python bench/import_bench.py [--rows 50000]

It needs a migrated database with the residential groups TDP-01..TDP-12 (it creates missing
ones) and refuses to run against a database that already holds children."""

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dongnguyen.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from children.models import Child  # noqa: E402
from households.models import ResidentialGroup  # noqa: E402
from imports.services import import_records  # noqa: E402
from imports.tests.helpers import zip_bomb  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Dương", "Đặng"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thu", "Quang", "Hải"]
GIVEN = ["An", "Bình", "Cúc", "Dũng", "Giang", "Hoa", "Khánh", "Lan", "Mai", "Nam", "Phúc", "Tùng"]
DIGITS = ["Không", "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín"]


def spelled(i: int) -> str:
    """A serial as words: a person's name holds no digits (the models refuse them)."""
    return " ".join(DIGITS[int(d)] for d in str(i))


def build(tmp: Path, rows: int) -> tuple[Path, Path]:
    rng = random.Random(143)
    n_households = max(1, rows // 2)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Dữ liệu")
    ws.append(["Mã hộ", "Họ tên chủ hộ", "Địa chỉ", "Mã tổ dân phố", "Số điện thoại", "Diện hộ"])
    for i in range(n_households):
        ws.append(
            [
                f"HGD-{i:06d}",
                f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                f"Số {i % 300 + 1}, đường 277, Đồng Kỵ",
                f"TDP-{i % 12 + 1:02d}",
                f"091{rng.randrange(10**7):07d}",  # a real Vinaphone prefix
                rng.choice(
                    ["Không", "Không", "Không", "Hộ nghèo", "Cận nghèo", "Hoàn cảnh khó khăn"]
                ),
            ]
        )
    households = tmp / "ho-gia-dinh.xlsx"
    wb.save(households)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Dữ liệu")
    ws.append(
        [
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Mã hộ",
            "Số định danh cá nhân",
            "Tình trạng học tập",
            "Trường",
            "Có nguy cơ",
            "Hoàn cảnh đặc biệt",
            "Ngày bỏ học",
            "Lý do bỏ học",
            "Ngày vào danh sách",
        ]
    )
    start = dt.date(2009, 1, 1)
    for i in range(rows):
        birth = start + dt.timedelta(days=rng.randrange(17 * 365))
        dropped = birth.year < 2013 and rng.random() < 0.05
        ws.append(
            [
                # A serial in the name keeps every child distinct, as real registers are.
                f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {spelled(i)}",
                rng.choice(["Nam", "Nữ"]),
                birth.strftime("%d/%m/%Y"),
                f"HGD-{i // 2:06d}",
                f"027{i:09d}",
                "Đã bỏ học" if dropped else "Đang đi học",
                "Trường THCS Đồng Nguyên",
                "Có" if rng.random() < 0.1 else "Không",
                rng.choice(["", "", "", "", "h", "h, k", "d"]),
                "01/09/2025" if dropped else "",
                "Hoàn cảnh kinh tế, phải đi làm" if dropped else "",
                "15/01/2026",
            ]
        )
    children = tmp / "tre-em.xlsx"
    wb.save(children)
    return households, children


def bomb(tmp: Path, sheet_mb: int) -> None:
    """The issue's zip bomb through the same check as the web: time and peak-RSS growth
    (run first, so the baseline is this process with Django loaded, before any import)."""
    path = tmp / "bom.xlsx"
    path.write_bytes(zip_bomb(sheet_mb))
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    job = import_records(kind="households", path=path, dry_run=True)
    elapsed = time.perf_counter() - t0
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
    assert job.message and not job.total_rows, job.message
    print(
        f"zip bomb: {path.stat().st_size / 2**20:.2f} MB file, {sheet_mb} MB sheet: refused in "
        f"{elapsed * 1000:.0f} ms (job saved), peak RSS +{growth / 1024:.1f} MB — {job.message}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--bomb-mb", type=int, default=400, help="sheet size of the zip bomb")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Child.objects.exists():
        sys.exit("Cơ sở dữ liệu đã có trẻ em: hãy dùng một cơ sở dữ liệu riêng cho benchmark.")
    for n in range(1, 13):
        ResidentialGroup.objects.get_or_create(code=f"TDP-{n:02d}", defaults={"name": f"Tổ {n}"})
    with tempfile.TemporaryDirectory() as tmp:
        bomb(Path(tmp), args.bomb_mb)
        t0 = time.perf_counter()
        households, children = build(Path(tmp), args.rows)
        print(f"built files in {time.perf_counter() - t0:.1f}s")
        for kind, path in (("households", households), ("children", children)):
            t0 = time.perf_counter()
            job = import_records(kind=kind, path=path)
            elapsed = time.perf_counter() - t0
            assert job.status == "done", (job.message, job.errors[:5])
            print(
                f"{kind}: {job.total_rows} rows in {elapsed:.1f}s = "
                f"{job.total_rows / elapsed:,.0f} rows/s (check + import, one transaction)"
            )
            t0 = time.perf_counter()
            again = import_records(kind=kind, path=path, dry_run=True)
            elapsed = time.perf_counter() - t0
            print(
                f"{kind} re-check (all unchanged: {again.count_unchanged}): "
                f"{again.total_rows / elapsed:,.0f} rows/s"
            )


if __name__ == "__main__":
    main()
