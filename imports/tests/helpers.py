"""Real files built in the tests, as a ward officer's spreadsheet would be."""

import csv
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HOUSEHOLD_HEADERS = [
    "Mã hộ",
    "Họ tên chủ hộ",
    "Địa chỉ",
    "Mã tổ dân phố",
    "Số điện thoại",
    "Diện hộ",
]
CHILD_HEADERS = [
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
BUSINESS_HEADERS = [
    "Mã cơ sở",
    "Tên cơ sở",
    "Chủ cơ sở",
    "Địa chỉ",
    "Mã tổ dân phố",
    "Ngành nghề",
    "Nguy cơ cao",
    "Số lao động",
    "Số lao động chưa thành niên",
    "Có sổ theo dõi lao động chưa thành niên",
    "Đang hoạt động",
]


def xlsx_bytes(headers, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(headers, rows, *, delimiter=",", bom=True) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter)
    w.writerow(headers)
    w.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


DIGITS = ["Không", "Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín"]


def spelled(i: int) -> str:
    """A serial as words: a person's name holds no digits (the models refuse them)."""
    return " ".join(DIGITS[int(d)] for d in str(i))


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def upload(name, data):
    return SimpleUploadedFile(name, data)


def household_rows(n, group="TDP-01", start=1):
    return [
        [
            f"HGD-{i:04d}",
            f"Nguyễn Văn Hùng {spelled(i)}",
            f"Số {i}, đường 277",
            group,
            "0912345678",
            "Hộ nghèo",
        ]
        for i in range(start, start + n)
    ]


def child_rows(n, household="HGD-0001", start=1):
    return [
        [
            f"Trần Thị Mai {spelled(i)}",
            "Nữ",
            "17/05/2014",
            household,
            "",
            "Đang đi học",
            "THCS Đồng Nguyên",
            "Không",
            "",
            "",
            "",
            "01/01/2026",
        ]
        for i in range(start, start + n)
    ]


MB = 1024 * 1024
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Dữ liệu" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
ROW = (
    "<row>"
    + "".join(
        f'<c t="inlineStr"><is><t>{v}</t></is></c>'
        for v in ("HGD-0001", "Nguyễn Văn Hùng", "Số 1, đường 277", "TDP-01", "0912345678", "Không")
    )
    + "</row>"
).encode()


def zip_bomb(sheet_mb: int) -> bytes:
    """An .xlsx whose one sheet is `sheet_mb` MB of the same household row once unpacked,
    written as it streams: the test never holds the sheet in memory, only the small zip."""
    out = io.BytesIO()
    chunk = ROW * (MB // len(ROW))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in PARTS.items():
            z.writestr(name, xml)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for _ in range(sheet_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()
