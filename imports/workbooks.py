"""Excel files the import area hands out: the blank templates, and list exports."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from .cells import safe_cell, safe_row
from .models import Kind
from .resources import RESOURCES

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def template_workbook(kind: str) -> bytes:
    """Sheet 1: the headers (each with a comment on its format) and one example row; every
    column is formatted as text so Excel keeps leading zeros. Sheet 2: the instructions."""
    columns = RESOURCES[kind].columns
    wb = Workbook()
    ws = wb.active
    ws.title = _("Dữ liệu")
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=str(col.header))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        required = _("Bắt buộc. ") if col.required else ""
        cell.comment = Comment(f"{required}{col.fmt}", "UBND")
        example = ws.cell(row=2, column=i, value=safe_cell(col.example or None))
        example.font = Font(italic=True, color="666666")
        letter = cell.column_letter
        ws.column_dimensions[letter].width = max(14, len(str(col.header)) + 4)
        for row in range(2, 1001):
            ws.cell(row=row, column=i).number_format = "@"
    ws.freeze_panes = "A2"

    guide = wb.create_sheet(_("Hướng dẫn"))
    guide.append([_("Nhập %(kind)s") % {"kind": Kind(kind).label}])
    guide["A1"].font = Font(bold=True, size=13)
    for line in (
        _("Ghi dữ liệu vào trang “Dữ liệu”, mỗi dòng một bản ghi, giữ nguyên dòng tiêu đề."),
        _("Dòng 2 là dòng ví dụ: hãy sửa hoặc xóa trước khi nhập."),
        _("Ngày ghi theo dạng dd/mm/yyyy, ví dụ 05/09/2014."),
        _("Nếu một dòng có lỗi thì không dòng nào được nhập; sửa hết lỗi rồi tải lên lại."),
        _("Cột không có trong tệp thì giữ nguyên giá trị đang có của bản ghi."),
    ):
        guide.append([line])
    guide.append([])
    guide.append([_("Cột"), _("Bắt buộc"), _("Cách ghi"), _("Ví dụ")])
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for col in columns:
        guide.append(
            safe_row(
                [
                    str(col.header),
                    _("Có") if col.required else _("Không"),
                    str(col.fmt),
                    col.example,
                ]
            )
        )
    guide.column_dimensions["A"].width = 36
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    guide.column_dimensions["D"].width = 28
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def tables_xlsx(tables: list[tuple[str, list[str], list[list]]]) -> bytes:
    """One sheet per (title, headers, rows); write_only keeps memory flat for big lists.
    Every cell goes through `safe_row`: a typed `=HYPERLINK(…)` stays text."""
    wb = Workbook(write_only=True)
    for title, headers, rows in tables:
        ws = wb.create_sheet(title[:31])
        ws.append(safe_row(headers))
        for row in rows:
            ws.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def tables_csv(tables: list[tuple[str, list[str], list[list]]]) -> bytes:
    """UTF-8 with a BOM so Excel opens the Vietnamese text correctly. Several tables are
    written one after another, each under its title. Every cell goes through `safe_row`."""
    out = io.StringIO()
    writer = csv.writer(out)
    for n, (title, headers, rows) in enumerate(tables):
        if len(tables) > 1:
            if n:
                writer.writerow([])
            writer.writerow(safe_row([title]))
        writer.writerow(safe_row(headers))
        writer.writerows(safe_row(row) for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
