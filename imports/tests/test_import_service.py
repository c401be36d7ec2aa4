import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from children.models import Child
from households.models import Household
from imports.models import ImportJob
from imports.services import import_records
from inspections.models import Business
from outreach.models import OutreachSession
from tests.factories import (
    ChildFactory,
    GroupFactory,
    HouseholdFactory,
    OutreachSessionFactory,
)

from .helpers import (
    BUSINESS_HEADERS,
    CHILD_HEADERS,
    HOUSEHOLD_HEADERS,
    child_rows,
    csv_bytes,
    household_rows,
    spelled,
    write,
    xlsx_bytes,
)


def _counts():
    return (
        Household.objects.count(),
        Child.objects.count(),
        Business.objects.count(),
        OutreachSession.households_reached.through.objects.count(),
    )


@pytest.fixture
def households(db, group_a):
    return [HouseholdFactory(code=f"HGD-{i:04d}", group=group_a) for i in (1, 2)]


def test_it_imports_households_from_xlsx(tmp_path, group_a):
    path = write(tmp_path, "ho.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(3)))
    job = import_records(kind="households", path=path)
    assert job.status == ImportJob.Status.DONE
    assert (job.count_new, job.count_error) == (3, 0)
    h = Household.objects.get(code="HGD-0002")
    assert h.group == group_a and h.poverty_status == "poor"
    assert h.search_name == "nguyen van hung hai"
    assert h.history.count() == 1


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("bom", [True, False])
def test_it_imports_children_from_csv_with_either_delimiter_and_bom(
    tmp_path, households, delimiter, bom
):
    rows = child_rows(2)
    rows[1][8] = "h, k"
    rows[1][5], rows[1][9], rows[1][10] = (
        "Đã bỏ học",
        "01/09/2025",
        "Hoàn cảnh kinh tế, phải đi làm",
    )
    data = csv_bytes(CHILD_HEADERS, rows, delimiter=delimiter, bom=bom)
    job = import_records(kind="children", path=write(tmp_path, "tre.csv", data))
    assert job.status == ImportJob.Status.DONE, job.errors
    child = Child.objects.get(full_name="Trần Thị Mai Hai")
    assert child.search_name == "tran thi mai hai"
    assert child.birth_date == dt.date(2014, 5, 17)
    assert child.household == households[0]
    assert child.school_status == "dropped_out" and child.dropout_reason == "economic"
    assert sorted(child.special_groups.values_list("code", flat=True)) == ["h", "k"]
    assert child.registered_on == dt.date(2026, 1, 1)


def test_it_writes_new_children_with_their_history_ward_and_special_groups(
    tmp_path, households, officer
):
    # On PostgreSQL the rows go in by COPY (imports/bulk.py): text with a tab, a line break
    # and a backslash must come back as typed, the ward from the household's trigger, one "+"
    # history row by the importer with the record's own values.
    rows = child_rows(2)
    rows[0][8] = "h, k"
    text = "Cha mẹ đi làm xa\tở với bà\nC:\\ghi chú"
    data = csv_bytes([*CHILD_HEADERS, "Yếu tố nguy cơ"], [r + [text] for r in rows])
    job = import_records(kind="children", path=write(tmp_path, "tre.csv", data), user=officer)
    assert job.status == ImportJob.Status.DONE, job.errors
    child = Child.objects.get(full_name="Trần Thị Mai Một")
    assert child.risk_factors == text
    assert child.ward_id == households[0].ward_id and child.version == 1
    assert sorted(child.special_groups.values_list("code", flat=True)) == ["h", "k"]
    assert not Child.objects.get(full_name="Trần Thị Mai Hai").special_groups.exists()
    [entry] = child.history.all()
    assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
        "+",
        officer,
        None,
    )
    assert (entry.risk_factors, entry.created_at, entry.registered_on) == (
        text,
        child.created_at,
        dt.date(2026, 1, 1),
    )
    assert child.created_at <= entry.history_date
    # New rows after these get the next ids: the sequence was moved, not bypassed.
    assert ChildFactory(household=households[1]).pk > child.pk


def test_it_registers_new_children_today_when_the_date_is_blank(tmp_path, households):
    rows = child_rows(1)
    rows[0][11] = ""
    import_records(kind="children", path=write(tmp_path, "c.xlsx", xlsx_bytes(CHILD_HEADERS, rows)))
    from django.utils import timezone

    assert Child.objects.get().registered_on == timezone.localdate()


def test_it_imports_businesses(tmp_path, group_a):
    rows = [
        [
            "CS-01",
            "Xưởng gỗ Minh Phát",
            "Trần Văn Phát",
            "Đồng Kỵ",
            "tdp-01",
            "Đồ gỗ mỹ nghệ",
            "Có",
            12,
            2,
            "Không",
            "Có",
        ],
    ]
    job = import_records(
        kind="businesses", path=write(tmp_path, "cs.xlsx", xlsx_bytes(BUSINESS_HEADERS, rows))
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    b = Business.objects.get(code="CS-01")
    assert (b.sector, b.high_risk, b.employee_count, b.minor_employee_count) == (
        "woodwork",
        True,
        12,
        2,
    )
    assert b.search_name == "xuong go minh phat" and b.active


def test_it_imports_attendance_by_session_id_or_by_date_group_topic(tmp_path, households, group_a):
    s1 = OutreachSessionFactory(
        group=group_a, date=dt.date(2026, 6, 20), topic="Phòng ngừa lao động trẻ em"
    )
    s2 = OutreachSessionFactory(group=None, date=dt.date(2026, 6, 21), topic="Luật Trẻ em")
    headers = ["Mã buổi tuyên truyền", "Ngày", "Mã tổ dân phố", "Chủ đề", "Mã hộ"]
    rows = [
        [s1.pk, None, None, None, "HGD-0001"],
        [None, "20/06/2026", "TDP-01", "phong ngua lao dong tre em", "HGD-0002"],
        [None, "21/06/2026", "", "Luật trẻ em", "HGD-0001"],
        [s1.pk, None, None, None, "HGD-0001"],  # the same household twice: harmless
    ]
    job = import_records(
        kind="attendance", path=write(tmp_path, "a.xlsx", xlsx_bytes(headers, rows))
    )
    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.count_new, job.count_unchanged) == (3, 1)
    assert set(s1.households_reached.values_list("code", flat=True)) == {"HGD-0001", "HGD-0002"}
    assert list(s2.households_reached.values_list("code", flat=True)) == ["HGD-0001"]
    again = import_records(
        kind="attendance", path=write(tmp_path, "a.xlsx", xlsx_bytes(headers, rows))
    )
    assert (again.count_new, again.count_unchanged) == (0, 4)


def test_it_reimports_households_as_updates_not_duplicates(tmp_path, group_a):
    GroupFactory(code="TDP-02")
    path = write(tmp_path, "ho.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(3)))
    import_records(kind="households", path=path)
    rows = household_rows(3)
    rows[0][1], rows[0][3] = "Nguyễn Văn Hưng", "TDP-02"
    job = import_records(
        kind="households", path=write(tmp_path, "ho2.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, rows))
    )
    assert (job.count_new, job.count_update, job.count_unchanged) == (0, 1, 2)
    assert "Họ tên chủ hộ" in job.rows[0][3] and "Mã tổ dân phố" in job.rows[0][3]
    assert Household.objects.count() == 3
    h = Household.objects.get(code="HGD-0001")
    assert h.search_name == "nguyen van hung" and h.group.code == "TDP-02"
    assert h.history.count() == 2


def test_it_reimports_children_as_updates_matched_by_name_birth_and_household(tmp_path, households):
    child = ChildFactory(
        full_name="Trần Thị Mai Một", birth_date=dt.date(2014, 5, 17), household=households[0]
    )
    child.special_groups.set(["h"])
    rows = child_rows(1)
    rows[0][0] = "TRẦN THỊ  MAI MỘT"  # case and spacing differ: the same child
    rows[0][7], rows[0][8] = "Có", "k"
    job = import_records(
        kind="children", path=write(tmp_path, "c.xlsx", xlsx_bytes(CHILD_HEADERS, rows))
    )
    assert (job.count_new, job.count_update) == (0, 1), job.errors
    child.refresh_from_db()
    assert child.at_risk and list(child.special_groups.values_list("code", flat=True)) == ["k"]
    assert Child.objects.count() == 1


def test_it_dry_run_saves_nothing(tmp_path, households):
    path = write(tmp_path, "c.xlsx", xlsx_bytes(CHILD_HEADERS, child_rows(5)))
    before = _counts()
    job = import_records(kind="children", path=path, dry_run=True)
    assert job.status == ImportJob.Status.PREVIEWED and job.count_new == 5
    assert _counts() == before


BAD_ROWS = {
    "bad date": (["Lê Văn An", "Nam", "31/02/2014", "HGD-0001"], "không phải ngày hợp lệ"),
    "future birth date": (
        ["Lê Văn An", "Nam", "01/01/2099", "HGD-0001"],
        "Ngày sinh không được sau ngày hôm nay.",
    ),
    "unknown household": (["Lê Văn An", "Nam", "01/01/2014", "HGD-9999"], "không có hộ mã"),
    "bad sex label": (
        ["Lê Văn An", "Trai gái", "01/01/2014", "HGD-0001"],
        "Giới tính “Trai gái” không hợp lệ",
    ),
    "bad school label": (
        ["Lê Văn An", "Nam", "01/01/2014", "HGD-0001", "", "Đi chơi"],
        "Tình trạng học tập",
    ),
    "ID not 12 digits": (["Lê Văn An", "Nam", "01/01/2014", "HGD-0001", "12345"], "12 chữ số"),
    "missing name": (["", "Nam", "01/01/2014", "HGD-0001"], "thiếu Họ và tên"),
    "dropout without date": (
        ["Lê Văn An", "Nam", "01/01/2014", "HGD-0001", "", "Đã bỏ học"],
        "Trẻ đã bỏ học: hãy nhập ngày bỏ học.",
    ),
    "bad yes/no": (
        ["Lê Văn An", "Nam", "01/01/2014", "HGD-0001", "", "", "", "Hình như"],
        "“Có” hoặc “Không”",
    ),
    "unknown special group": (
        ["Lê Văn An", "Nam", "01/01/2014", "HGD-0001", "", "", "", "", "z"],
        "mã hoàn cảnh đặc biệt",
    ),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_it_rejects_the_whole_file_for_one_bad_child_row(tmp_path, households, case):
    bad, reason = BAD_ROWS[case]
    rows = child_rows(3) + [bad + [""] * (len(CHILD_HEADERS) - len(bad))]
    before = _counts()
    with pytest.raises(CommandError):
        call_command(
            "import_records",
            "children",
            str(write(tmp_path, "c.xlsx", xlsx_bytes(CHILD_HEADERS, rows))),
        )
    assert _counts() == before
    job = ImportJob.objects.get()
    assert job.count_error == 1 and job.errors[0]["row"] == 5
    assert reason in job.errors[0]["message"]


def test_it_flags_a_child_already_registered_in_another_household(tmp_path, households):
    other = HouseholdFactory(code="HGD-0777")
    ChildFactory(full_name="Trần Thị Mai Một", birth_date=dt.date(2014, 5, 17), household=other)
    job = import_records(
        kind="children", path=write(tmp_path, "c.xlsx", xlsx_bytes(CHILD_HEADERS, child_rows(2)))
    )
    assert job.count_error == 1
    assert (
        "trùng trẻ em đã có: Trần Thị Mai Một, sinh 17/05/2014, hộ HGD-0777"
        in job.errors[0]["message"]
    )
    assert Child.objects.count() == 1


def test_it_flags_a_national_id_already_used(tmp_path, households):
    ChildFactory(full_name="Phạm Minh Tuấn", national_id="027214001234")
    rows = child_rows(1)
    rows[0][4] = "027214001234"
    job = import_records(
        kind="children", path=write(tmp_path, "c.xlsx", xlsx_bytes(CHILD_HEADERS, rows))
    )
    assert (
        "số định danh 027214001234 trùng trẻ em đã có: Phạm Minh Tuấn" in job.errors[0]["message"]
    )


def test_it_flags_duplicates_inside_the_file(tmp_path, group_a):
    rows = household_rows(2) + household_rows(1)
    job = import_records(
        kind="households", path=write(tmp_path, "h.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, rows))
    )
    assert job.errors == [{"row": 4, "message": "mã “HGD-0001” trùng với dòng 2"}]
    assert Household.objects.count() == 0


@pytest.mark.parametrize(
    "row, reason",
    [
        (["HGD-0001", "Ngô Văn Bình", "Số 3", "TDP-99", "", ""], "không có tổ dân phố mã “TDP-99”"),
        (
            ["HGD-0001", "Ngô Văn Bình", "Số 3", "TDP-01", "", "Hộ giàu"],
            "Diện hộ “Hộ giàu” không hợp lệ",
        ),
        (["HGD-0001", "", "Số 3", "TDP-01", "", ""], "thiếu Họ tên chủ hộ"),
    ],
)
def test_it_rejects_bad_household_rows(tmp_path, group_a, row, reason):
    job = import_records(
        kind="households",
        path=write(
            tmp_path, "h.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(2, start=5) + [row])
        ),
    )
    assert reason in job.errors[0]["message"]
    assert Household.objects.count() == 0


def test_it_accepts_near_poor_label_variants(tmp_path, group_a):
    rows = household_rows(3)
    rows[0][5], rows[1][5], rows[2][5] = "Cận nghèo", "Hộ cận nghèo", "Hoàn cảnh khó khăn"
    import_records(
        kind="households", path=write(tmp_path, "h.xlsx", xlsx_bytes(HOUSEHOLD_HEADERS, rows))
    )
    assert list(Household.objects.order_by("code").values_list("poverty_status", flat=True)) == [
        "near_poor",
        "near_poor",
        "hardship",
    ]


def test_it_rejects_more_minors_than_employees(tmp_path, group_a):
    rows = [["CS-01", "Xưởng", "Chủ", "Đồng Kỵ", "TDP-01", "Xẻ gỗ", "", 1, 3, "", ""]]
    job = import_records(
        kind="businesses", path=write(tmp_path, "b.xlsx", xlsx_bytes(BUSINESS_HEADERS, rows))
    )
    assert "không được lớn hơn tổng số lao động" in job.errors[0]["message"]


def test_it_flags_an_unknown_session(tmp_path, households):
    headers = ["Mã buổi tuyên truyền", "Mã hộ"]
    job = import_records(
        kind="attendance", path=write(tmp_path, "a.csv", csv_bytes(headers, [["999", "HGD-0001"]]))
    )
    assert "không có buổi tuyên truyền mã “999”" in job.errors[0]["message"]


BAD_FILES = {
    "wrong type": ("ho.xls", b"\xd0\xcf\x11\xe0 old excel", "Sai loại tệp"),
    "pdf": ("ho.pdf", b"%PDF-1.4", "Sai loại tệp"),
    "corrupt xlsx": ("ho.xlsx", b"not a zip at all", "Không đọc được tệp Excel"),
    "not utf-8": ("ho.csv", "Mã hộ,Họ tên chủ hộ\n".encode("utf-16"), "UTF-8"),
    "empty": ("ho.csv", b"", "không có dữ liệu"),
    "missing column": (
        "ho.csv",
        csv_bytes(["Mã hộ", "Họ tên chủ hộ"], [["HGD-1", "An"]]),
        "thiếu cột: “Địa chỉ”, “Mã tổ dân phố”",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_it_rejects_bad_files_and_saves_nothing(tmp_path, group_a, case, capsys):
    name, data, reason = BAD_FILES[case]
    before = _counts()
    with pytest.raises(CommandError):
        call_command("import_records", "households", str(write(tmp_path, name, data)))
    assert reason in capsys.readouterr().err
    assert _counts() == before
    job = ImportJob.objects.get()
    assert reason in job.message


def test_it_keeps_leading_zeros_of_numbers_typed_into_number_cells(tmp_path, households):
    rows = child_rows(1)
    rows[0][4] = 27214001234  # Excel dropped the leading 0 of 027214001234
    import_records(kind="children", path=write(tmp_path, "c.xlsx", xlsx_bytes(CHILD_HEADERS, rows)))
    assert Child.objects.get().national_id == "027214001234"


def test_it_reads_real_excel_dates(tmp_path, households):
    rows = child_rows(1)
    rows[0][2] = dt.datetime(2013, 2, 3)
    import_records(kind="children", path=write(tmp_path, "c.xlsx", xlsx_bytes(CHILD_HEADERS, rows)))
    assert Child.objects.get().birth_date == dt.date(2013, 2, 3)


def test_it_cli_prints_counts_and_exits_zero(tmp_path, group_a, capsys):
    path = write(tmp_path, "h.csv", csv_bytes(HOUSEHOLD_HEADERS, household_rows(2)))
    call_command("import_records", "households", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "thêm mới 2" in out and "Chạy thử" in out
    assert Household.objects.count() == 0
    call_command("import_records", "households", str(path))
    assert "Đã nhập xong" in capsys.readouterr().out
    assert Household.objects.count() == 2
    assert ImportJob.objects.filter(source="cli").count() == 2


def test_it_cli_prints_row_errors_in_vietnamese(tmp_path, group_a, capsys):
    rows = household_rows(1) + [["HGD-9", "Ngô Bình", "Số 3", "TDP-77", "", ""]]
    with pytest.raises(CommandError, match="Không nhập dòng nào"):
        call_command(
            "import_records",
            "households",
            str(write(tmp_path, "h.csv", csv_bytes(HOUSEHOLD_HEADERS, rows))),
        )
    assert "Dòng 3: không có tổ dân phố mã “TDP-77”" in capsys.readouterr().err


def _queries_for(tmp_path, n):
    # Fresh households and an existing child per run, so every lookup has something to find.
    HouseholdFactory(code=f"HGD-Q{n}", group=GroupFactory(code="TDP-01"))
    ChildFactory(
        full_name=f"Lê Văn Cũ {spelled(n)}",
        birth_date=dt.date(2014, 5, 17),
        household=HouseholdFactory(code=f"HGD-X{n}"),
    )
    rows = child_rows(n, household=f"HGD-Q{n}", start=n * 1000)
    for i, row in enumerate(rows):
        row[8] = "h" if i % 2 else ""
        row[4] = f"0272{n:04d}{i:04d}"
    path = write(tmp_path, f"c{n}.xlsx", xlsx_bytes(CHILD_HEADERS, rows))
    with CaptureQueriesContext(connection) as ctx:
        job = import_records(kind="children", path=path)
    assert job.status == ImportJob.Status.DONE and job.count_new == n, job.errors
    return len(ctx.captured_queries)


def test_it_imports_with_a_bounded_number_of_queries(tmp_path, db):
    # The same statements for 10 and 40 rows: job insert + updates (create, check, run),
    # groups, special groups, households by code, children by birth date and by national
    # ID, their special groups, then one bulk insert each of children, their history rows and
    # their special groups. (SQLite takes at most 999 parameters per statement, so its bulk
    # inserts split every ~49 children; PostgreSQL's limit is 65,535.)
    assert _queries_for(tmp_path, 10) == _queries_for(tmp_path, 40)


def test_it_imports_a_thousand_rows_in_a_few_dozen_queries(tmp_path, db):
    assert _queries_for(tmp_path, 1000) < 100
