"""Reading an uploaded .xlsx or .csv into header + rows, whatever Excel or LibreOffice wrote."""

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _


class FileProblem(Exception):
    """The file as a whole cannot be imported (wrong type, unreadable, missing column)."""


@dataclass
class Sheet:
    headers: list[str]
    # (row number as the spreadsheet shows it, cells in header order)
    rows: list[tuple[int, list]]


def _blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(
            _("Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc không phải định dạng .xlsx.")
        ) from exc
    try:
        # The data is on the first sheet; the templates keep their instructions on the second.
        ws = wb.worksheets[0]
        # Files written by scripts often carry no (or a wrong) dimension; without this,
        # openpyxl reads the whole sheet once just to size it.
        ws.reset_dimensions()
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _(
                "Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: Lưu thành → "
                "CSV UTF-8). Tệp này dùng bảng mã khác nên chữ tiếng Việt sẽ bị lỗi."
            )
        ) from exc
    first = text.split("\n", 1)[0]
    # Excel in a Vietnamese locale writes ';' (the decimal mark is ','), elsewhere ','.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def read_sheet(name: str, data: bytes) -> Sheet:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        raw = _read_xlsx(data)
    elif lower.endswith(".csv"):
        raw = _read_csv(data)
    else:
        raise FileProblem(
            _("Sai loại tệp “%(name)s”: chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")
            % {"name": name}
        )
    start = next((i for i, r in enumerate(raw) if not _blank(r)), None)
    if start is None:
        raise FileProblem(_("Tệp không có dữ liệu: không tìm thấy dòng tiêu đề."))
    headers = ["" if h is None else str(h).strip() for h in raw[start]]
    width = len(headers)
    rows = []
    for offset, cells in enumerate(raw[start + 1 :], start=start + 2):
        if _blank(cells):
            continue
        cells = list(cells[:width]) + [None] * (width - len(cells))
        rows.append((offset, cells))
    return Sheet(headers=headers, rows=rows)


def cell_text(value) -> str:
    """A cell as text: Excel stores codes such as 001 and phone numbers as numbers."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()
