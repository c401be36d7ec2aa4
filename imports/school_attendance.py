"""A month of a school's attendance from an Excel sheet (issue 14.1): the focal teacher's
class list with the days each pupil was absent. This module reads the file (with the same
limits and header rules as every import, readers.py) and the cells (parsing.py); which rows are
pupils in the user's scope, the record's rules, all-or-nothing and the early warning are the
schools app's (`schools.services.attendance_import`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dongnguyen.text import normalize_name
from schools.services import ImportedMonth

from .parsing import RowError, parse_date, parse_int, parse_text
from .readers import FileProblem, cell_text, read_sheet

# (key, header as the template writes it, other spellings, required)
COLUMNS = [
    ("name", gettext_lazy("Họ và tên"), ("Họ tên", "Tên học sinh", "Học sinh"), True),
    ("birth_date", gettext_lazy("Ngày sinh"), (), True),
    ("class_name", gettext_lazy("Lớp"), (), False),
    ("days_absent", gettext_lazy("Số ngày nghỉ"), ("Tổng số ngày nghỉ", "Nghỉ"), True),
    (
        "days_absent_unexcused",
        gettext_lazy("Nghỉ không phép"),
        ("Trong đó nghỉ không phép", "Số ngày nghỉ không phép", "Không phép"),
        True,
    ),
]


def headers() -> list[str]:
    return [str(label) for _key, label, _aliases, _required in COLUMNS]


def _positions(found: list[str]) -> dict[str, int]:
    index = {normalize_name(h): i for i, h in reversed(list(enumerate(found))) if h}
    positions, missing = {}, []
    for key, label, aliases, required in COLUMNS:
        for spelling in (str(label), *aliases):
            if normalize_name(spelling) in index:
                positions[key] = index[normalize_name(spelling)]
                break
        else:
            if required:
                missing.append(str(label))
    if missing:
        raise FileProblem(
            _("Tệp thiếu cột: %(cols)s. Hãy dùng tệp mẫu của trang này.")
            % {"cols": ", ".join(missing)}
        )
    return positions


def read_attendance(name: str, data: bytes) -> list[ImportedMonth]:
    """The sheet's rows as ImportedMonth, each carrying its cell's problem if it has one.
    Raises FileProblem when the file as a whole cannot be read."""
    sheet = read_sheet(name, data)
    at = _positions(sheet.headers)
    rows = []
    for line, cells in sheet.rows:

        def cell(key, cells=cells):
            return cells[at[key]] if key in at else None

        row = ImportedMonth(
            line=line,
            name="",
            birth_date=None,
            class_name="",
            days_absent=0,
            days_absent_unexcused=0,
        )
        try:
            row.name = parse_text(cell("name"), str(COLUMNS[0][1]), required=True, max_length=120)
            row.birth_date = parse_date(cell("birth_date"), str(COLUMNS[1][1]), required=True)
            row.class_name = cell_text(cell("class_name"))[:20]
            row.days_absent = parse_int(cell("days_absent"), str(COLUMNS[3][1]))
            row.days_absent_unexcused = parse_int(cell("days_absent_unexcused"), str(COLUMNS[4][1]))
        except RowError as exc:
            row.problem = str(exc)
        rows.append(row)
    return rows
