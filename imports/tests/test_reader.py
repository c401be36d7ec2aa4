"""The quick .xlsx reader gives exactly the values openpyxl's own reader gives, on the cells
Excel, LibreOffice and openpyxl write: shared and inline strings (Vietnamese, rich text,
spaces kept), numbers, dates and times, booleans, errors, formulas' cached values, empty
cells, missing cells and rows."""

import datetime as dt
import io
import zipfile

from openpyxl import Workbook, load_workbook

from imports.readers import _read_xlsx, read_sheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED = [
    "Họ và tên",
    "Ngày sinh",
    "Nguyễn Thị Ánh Tuyết",
    "  khoảng trắng giữ nguyên  ",
    "Đặng Văn Đức",
]
# A sheet as Excel writes it (shared strings, styles, cached formula values), with the
# unusual cells a reader must still get right.
SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN}"><sheetData>
<row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>
<c r="C1" t="inlineStr"><is><t>Mã hộ</t></is></c><c r="D1" t="str"><v>Tuổi</v></c></row>
<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1"><v>41640</v></c>
<c r="C2"><v>7</v></c><c r="D2"><f>2026-2014</f><v>12</v></c><c r="F2" t="b"><v>1</v></c></row>
<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" s="1" t="n"><v>41640.5</v></c>
<c r="C4" t="n"><v>1.5E3</v></c><c r="D4" t="e"><v>#N/A</v></c><c r="E4" t="b"><v>0</v></c></row>
<row r="5"><c r="B5" t="inlineStr"><is><r><t>Trần </t></r><r><rPr><b/></rPr><t>Bình</t></r></is></c>
<c r="C5" t="inlineStr"><is><t></t></is></c><c r="D5" t="inlineStr"/><c r="E5" t="s"/></row>
<row><c t="s"><v>4</v></c><c><v>0012</v></c><c t="str"><f>A1</f></c></row>
<row r="8.0"><c r="C8" t="inlineStr"><is><t xml:space="preserve"> a  b </t></is></c>
<c r="D8"><v>-3.25</v></c><c r="E8" t="d"><v>2026-01-15T00:00:00</v></c></row>
</sheetData></worksheet>"""


def _excel_like() -> bytes:
    """openpyxl writes the parts around the sheet (its styles have a date format as
    style 1); the sheet and its shared strings are replaced by Excel's kind."""
    wb = Workbook()
    wb.active["A1"] = dt.date(2014, 1, 1)  # style 1: a date format
    out = io.BytesIO()
    wb.save(out)
    src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    strings = "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in SHARED)
    shared = (
        f'<sst xmlns="{MAIN}" count="{len(SHARED)}" uniqueCount="{len(SHARED)}">{strings}</sst>'
    )
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = SHEET.encode()
            elif item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                    b"</Types>",
                )
            dst.writestr(item.filename, data)
        dst.writestr("xl/sharedStrings.xml", shared)
    return result.getvalue()


def _openpyxl_rows(data: bytes) -> list[list]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def test_reader_gives_openpyxls_values_for_an_excel_file():
    data = _excel_like()
    expected = _openpyxl_rows(data)
    assert [list(r) for r in _read_xlsx(data)] == expected
    # The sample does hold what it claims (so the comparison means something).
    assert expected[1][:3] == ["Nguyễn Thị Ánh Tuyết", dt.datetime(2014, 1, 1), 7]
    assert expected[2] == []  # row 3 is missing from the XML
    assert expected[3][0] == "  khoảng trắng giữ nguyên  "
    assert expected[4][1] == "Trần Bình"
    assert expected[5][:2] == ["Đặng Văn Đức", 12]


def test_reader_gives_openpyxls_values_for_a_file_openpyxl_wrote():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Dữ liệu")
    ws.append(["Họ và tên", "Giới tính", "Ngày sinh", "Số", "Có nguy cơ", "Ghi chú"])
    ws.append(["Lê Thị Hoa", "Nữ", dt.date(2012, 9, 5), 12, True, None])
    ws.append([])
    ws.append([None, None, dt.datetime(2013, 2, 3, 10, 30), 3.75, False, "=1+1"])
    ws.append(["Phạm Văn Nam", "", "05/09/2014", 27012345678, None, "'+84"])
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    assert [list(r) for r in _read_xlsx(data)] == _openpyxl_rows(data)


def test_read_sheet_of_an_excel_file_numbers_rows_as_the_spreadsheet_does():
    sheet = read_sheet("tre-em.xlsx", _excel_like())
    assert sheet.headers == ["Họ và tên", "Ngày sinh", "Mã hộ", "Tuổi"]
    assert [n for n, _cells in sheet.rows] == [2, 4, 5, 6, 8]
    assert sheet.rows[0][1] == ["Nguyễn Thị Ánh Tuyết", dt.datetime(2014, 1, 1), 7, 12]
