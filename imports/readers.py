"""Reading an uploaded .xlsx or .csv into header + rows, whatever Excel or LibreOffice wrote."""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from unittest import mock

from django.conf import settings
from django.utils.translation import gettext as _

from .cells import unquote

MB = 1024 * 1024
# Below this size an archive member is not judged by its compression ratio: small XML parts
# (styles, a near-empty sheet) compress far better than any data does.
RATIO_FLOOR_BYTES = 1 * MB
MAX_MEMBERS = 1000  # an .xlsx from Excel has about ten


class FileProblem(Exception):
    """The file as a whole cannot be imported (wrong type, unreadable, missing column)."""


@dataclass
class Sheet:
    headers: list[str]
    # (row number as the spreadsheet shows it, cells in header order)
    rows: list[tuple[int, list]]


def _blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def limits() -> dict[str, int]:
    """The stated limits of one imported file (settings.py, from the environment)."""
    return {
        "uncompressed_mb": getattr(settings, "IMPORT_MAX_UNCOMPRESSED_MB", 150),
        "ratio": getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", 100),
        "rows": getattr(settings, "IMPORT_MAX_ROWS", 100_000),
        "cells": getattr(settings, "IMPORT_MAX_CELLS", 2_000_000),
    }


def _bad_xlsx() -> FileProblem:
    return FileProblem(
        _("Không đọc được tệp Excel (.xlsx): tệp hỏng hoặc không phải định dạng .xlsx.")
    )


def check_archive(data: bytes) -> None:
    """Refuse a zip bomb before one byte of XML is inflated: an .xlsx is a zip archive, and
    its directory states every member's size. Python's zipfile never inflates a member past
    its stated size (a member that lies fails its CRC), so the stated sizes bound what
    openpyxl can read. Two checks: the total once unpacked, and the ratio of each big member
    (a real sheet compresses about 10:1; a bomb's repeated rows 200:1 and more)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _bad_xlsx() from exc
    limit = limits()
    if len(members) > MAX_MEMBERS:
        raise _bad_xlsx()
    total = sum(m.file_size for m in members)
    if total > limit["uncompressed_mb"] * MB:
        raise FileProblem(
            _(
                "Tệp Excel quá lớn để nhập: khi giải nén, dữ liệu trong tệp là %(size)s MB, "
                "vượt giới hạn %(limit)s MB. Hãy chia thành nhiều tệp nhỏ hơn."
            )
            % {"size": _dotted(round(total / MB)), "limit": _dotted(limit["uncompressed_mb"])}
        )
    for m in members:
        if m.file_size > RATIO_FLOOR_BYTES and m.file_size > limit["ratio"] * max(
            m.compress_size, 1
        ):
            raise FileProblem(
                _(
                    "Tệp Excel bị nén bất thường (dữ liệu lớn gấp %(ratio)s lần tệp, giới hạn "
                    "%(limit)s lần): có thể là tệp độc hại nên không được đọc. Hãy kiểm tra "
                    "lại tệp hoặc chia thành nhiều tệp nhỏ hơn."
                )
                % {"ratio": m.file_size // max(m.compress_size, 1), "limit": limit["ratio"]}
            )


def _load_unsized(data: bytes):
    """openpyxl's read-only load looks for each sheet's <dimension>; a sheet without one
    (files written by scripts, every bomb) is parsed to its end just to find out, before a
    single row is streamed. The size is reset right after anyway, so the load skips it."""
    from openpyxl import load_workbook
    from openpyxl.reader import excel
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnsizedSheet(ReadOnlyWorksheet):
        def _get_size(self):
            pass

    with mock.patch.object(excel, "ReadOnlyWorksheet", UnsizedSheet):
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def _column(coordinate: str, cache: dict) -> int:
    """The column number of a cell reference ("AB12" → 28), letters cached per sheet."""
    letters = coordinate.rstrip("0123456789")
    try:
        return cache[letters]
    except KeyError:
        from openpyxl.utils.cell import column_index_from_string

        cache[letters] = number = column_index_from_string(letters)
        return number


def _parser_class():
    """openpyxl's sheet parser with a quicker cell: the cells a data file holds (shared
    strings, plain inline strings, numbers without a date format, text of a formula) are read
    straight from the XML; any other cell (dates, booleans, errors, rich text, a cell
    without a reference) goes through openpyxl's own parse_cell, so the values are exactly
    openpyxl's `iter_rows(values_only=True)` (tests/test_reader.py compares the two). openpyxl
    builds a dict per cell and an object tree per inline string: 40 % of an import's time."""
    from openpyxl.worksheet._reader import (
        INLINE_STRING,
        VALUE_TAG,
        WorkSheetParser,
        _cast_number,
    )
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text_tag = f"{{{SHEET_MAIN_NS}}}t"

    class FastSheetParser(WorkSheetParser):
        columns: dict[str, int] = {}

        def parse_row(self, row):
            # openpyxl's row numbering (its row_dimensions are not needed for values)
            r = row.get("r")
            if r is not None:
                try:
                    self.row_counter = int(r)
                except ValueError:
                    val = float(r)
                    if not val.is_integer():
                        raise ValueError(f"{r} is not a valid row number") from None
                    self.row_counter = int(val)
            else:
                self.row_counter += 1
            self.col_counter = 0
            return self.row_counter, [self.cell_value(el) for el in row]

        def cell_value(self, element) -> tuple[int, object]:
            coordinate = element.get("r")
            data_type = element.get("t", "n")
            style = element.get("s")
            if coordinate and not (data_type == "n" and style and int(style) in self.date_formats):
                column = self.col_counter = _column(coordinate, self.columns)
                if data_type == "inlineStr":
                    child = element.find(INLINE_STRING)
                    if child is None:
                        return column, None
                    if len(child) == 1 and child[0].tag == text_tag and child[0].text:
                        return column, child[0].text
                else:
                    value = element.findtext(VALUE_TAG, None) or None
                    if value is None:
                        return column, None
                    if data_type == "s":
                        return column, self.shared_strings[int(value)]
                    if data_type == "n":
                        return column, _cast_number(value)
                    if data_type == "str":
                        return column, value
            cell = self.parse_cell(element)
            return cell["column"], cell["value"]

    return FastSheetParser


def _values(ws) -> Iterator[Sequence]:
    """`ws.iter_rows(values_only=True)` of a read-only sheet without dimensions, quicker: rows
    missing from the XML come out empty, each row as wide as its last cell."""
    wb = ws.parent
    counter = 1
    with ws._get_source() as src:
        parser = _parser_class()(
            src,
            ws._shared_strings,
            data_only=wb.data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        parser.columns = {}
        for idx, cells in parser.parse():
            while counter < idx:  # rows missing from the XML
                counter += 1
                yield []
            if counter <= idx:
                counter += 1
                if not cells:
                    yield ()
                    continue
                row = [None] * cells[-1][0]
                for column, value in cells:
                    if 1 <= column <= len(row):
                        row[column - 1] = value
                yield tuple(row)


def _read_xlsx(data: bytes) -> Iterator[Sequence]:
    check_archive(data)
    try:
        wb = _load_unsized(data)
    except (SyntaxError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _bad_xlsx() from exc
    try:
        # The data is on the first sheet; the templates keep their instructions on the second.
        ws = wb.worksheets[0]
        # Files written by scripts often carry no (or a wrong) dimension; without this,
        # openpyxl reads the whole sheet once just to size it.
        ws.reset_dimensions()
        # read_only: the sheet's XML is parsed as it streams, row by row (see _capped).
        yield from _values(ws)
    except (SyntaxError, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        # Broken XML (ElementTree's and lxml's ParseError are SyntaxErrors), or a part longer than its stated size (its CRC fails): a bad file.
        raise _bad_xlsx() from exc
    finally:
        wb.close()


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # 100.000, as Vietnamese writes it


def _capped(rows: Iterable[Sequence]) -> list[list]:
    """The rows, refused as soon as they pass the row or cell limit: memory stays bounded by
    the limits whatever the file claims. Blank rows count, as the spreadsheet numbers them."""
    limit = limits()
    out, cells = [], 0
    try:
        for n, row in enumerate(rows, start=1):
            cells += len(row)
            if n > limit["rows"]:
                raise FileProblem(
                    _("Tệp có quá nhiều dòng: hơn %(limit)s dòng. Hãy chia thành nhiều tệp.")
                    % {"limit": _dotted(limit["rows"])}
                )
            if cells > limit["cells"]:
                raise FileProblem(
                    _(
                        "Tệp có quá nhiều ô dữ liệu: hơn %(limit)s ô. Hãy xóa các cột thừa hoặc "
                        "chia thành nhiều tệp."
                    )
                    % {"limit": _dotted(limit["cells"])}
                )
            out.append(list(row))
    finally:
        if hasattr(rows, "close"):
            rows.close()  # the .xlsx generator: close the workbook now, not when collected
    return out


def _read_csv(data: bytes) -> Iterator[list]:
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
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_sheet(name: str, data: bytes) -> Sheet:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        raw = _capped(_read_xlsx(data))
    elif lower.endswith(".csv"):
        raw = _capped(_read_csv(data))
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
        # An exported cell that a spreadsheet would run came out as '=…: read it back as typed.
        cells = [unquote(c) for c in cells[:width]] + [None] * (width - len(cells))
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
