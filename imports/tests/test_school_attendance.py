"""A month of a school's attendance from a real .xlsx (issue 14.1): all rows or none, the
row errors in Vietnamese, only the teacher's own pupils, the early warning run afterwards."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dongnguyen.models import AccessLog, Agency
from dongnguyen.roles import Role
from dongnguyen.services import user_set_role
from schools.models import AttendanceRecord, EarlyWarning, Enrolment, School, SchoolStaff
from tests.factories import ChildFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db
OCT = dt.date(2025, 10, 1)
YEAR = "2025-2026"
HEADERS = ["Họ và tên", "Ngày sinh", "Lớp", "Số ngày nghỉ", "Nghỉ không phép"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2025, 11, 10, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def school(db):
    return School.objects.create(name="Trường THCS Đồng Nguyên", level="lower_secondary")


@pytest.fixture
def other_school(db):
    return School.objects.create(name="Trường Tiểu học Trang Hạ", level="primary")


@pytest.fixture
def teacher(db, school):
    user = UserFactory(username="gvcn")
    user_set_role(user=user, role=Role.SCHOOL, agency=Agency.objects.first())
    SchoolStaff.objects.create(user=user, school=school)
    return user


def pupil(school, name, born, class_name="7A", **kwargs):
    child = ChildFactory(full_name=name, birth_date=born, **kwargs)
    return Enrolment.objects.create(
        child=child, school=school, class_name=class_name, school_year=YEAR
    )


def xlsx(*rows, headers=HEADERS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "chuyen-can.xlsx"
    return out


def upload(client, school, file, month="2025-10"):
    return client.post(
        reverse("imports:school_attendance"), {"school": school.pk, "month": month, "file": file}
    )


@pytest.fixture
def pupils(school, other_school):
    return {
        "an": pupil(school, "Nguyễn Văn An", dt.date(2012, 3, 4)),
        "binh": pupil(
            school,
            "Trần Thị Bình",
            dt.date(2012, 7, 9),
            household=HouseholdFactory(poverty_status="poor"),
        ),
        "chi": pupil(school, "Lê Minh Chi", dt.date(2013, 1, 2), class_name="6B"),
        # a pupil of another school: never the teacher's, even with a matching row
        "dung": pupil(other_school, "Phạm Văn Dũng", dt.date(2012, 5, 6)),
    }


def test_it_saves_every_row_and_runs_the_early_warning(client, teacher, school, pupils):
    client.force_login(teacher)
    response = upload(
        client,
        school,
        xlsx(
            # diacritics and case ignored; a real date cell or dd/mm/yyyy text
            ("NGUYEN VAN AN", dt.datetime(2012, 3, 4), "7A", 2, 2),
            ("Trần Thị Bình", "09/07/2012", "7a", 5, 0),
            ("Lê Minh Chi", "02/01/2013", None, 3, 3),
        ),
    )
    assert response.status_code == 302
    got = {
        r.enrolment.child.full_name: (r.days_absent, r.days_absent_unexcused, r.recorded_by)
        for r in AttendanceRecord.objects.select_related("enrolment__child")
    }
    assert got == {
        "Nguyễn Văn An": (2, 2, teacher),
        "Trần Thị Bình": (5, 0, teacher),
        "Lê Minh Chi": (3, 3, teacher),
    }
    # 2 unexcused days warn nobody; a poor pupil absent 5 days and 3 unexcused days do
    warned = {(w.child.full_name, w.rule) for w in EarlyWarning.objects.select_related("child")}
    assert warned == {
        ("Trần Thị Bình", "poor_household_absent"),
        ("Lê Minh Chi", "unexcused_month"),
    }
    assert all(w.month == OCT for w in EarlyWarning.objects.all())
    page = client.get(response["Location"])
    assert "Cảnh báo sớm mới: 2" in page.content.decode()


def test_one_bad_row_and_nothing_is_saved(client, teacher, school, pupils):
    client.force_login(teacher)
    response = upload(
        client,
        school,
        xlsx(
            ("Nguyễn Văn An", "04/03/2012", "7A", 4, 4),  # a good row
            ("Trần Thị Bình", "09/07/2012", "7A", 2, 3),  # more unexcused than absent
            ("Phạm Văn Dũng", "06/05/2012", "7A", 1, 0),  # another school's pupil
            ("Lê Minh Chi", "02/01/2013", "7A", 1, 0),  # wrong class
            ("Nguyễn Văn An", "04/03/2012", "7A", 1, 0),  # twice in the file
            ("Hoàng Văn Em", "31/02/2012", "7A", "hai", 0),  # bad date
        ),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tệp có 5 lỗi, chưa lưu dòng nào" in text
    assert "Dòng 3: Số ngày nghỉ không phép không được lớn hơn tổng số ngày nghỉ." in text
    assert "Dòng 4: không tìm thấy học sinh “Phạm Văn Dũng” sinh ngày 06/05/2012" in text
    assert "Dòng 5: học sinh “Lê Minh Chi” học lớp 6B, không phải lớp 7A" in text
    assert "Dòng 6: học sinh “Nguyễn Văn An” đã có ở dòng 2" in text
    assert "Dòng 7: Ngày sinh “31/02/2012” không phải ngày hợp lệ" in text
    assert not AttendanceRecord.objects.exists()
    assert not EarlyWarning.objects.exists()
    # the form keeps the school and month chosen
    assert 'value="2025-10"' in text


def test_it_corrects_a_month_already_entered(client, teacher, school, pupils):
    AttendanceRecord.objects.create(
        enrolment=pupils["an"], month=OCT, days_absent=1, days_absent_unexcused=0
    )
    client.force_login(teacher)
    upload(client, school, xlsx(("Nguyễn Văn An", "04/03/2012", "7A", 3, 1)))
    (record,) = AttendanceRecord.objects.all()
    assert (record.days_absent, record.days_absent_unexcused) == (3, 1)


def test_it_refuses_a_missing_column_a_future_month_and_another_school(
    client, teacher, school, other_school, pupils
):
    client.force_login(teacher)
    no_column = upload(
        client, school, xlsx(("Nguyễn Văn An", "04/03/2012", 1), headers=HEADERS[:2] + ["Nghỉ"])
    )
    assert "Tệp thiếu cột: Nghỉ không phép" in no_column.content.decode()
    future = upload(client, school, xlsx(("Nguyễn Văn An", "04/03/2012", "7A", 1, 0)), "2025-12")
    assert "Không nhập chuyên cần cho tháng chưa đến." in future.content.decode()
    # the other school is not a choice for this teacher
    other = upload(client, other_school, xlsx(("Phạm Văn Dũng", "06/05/2012", "7A", 1, 0)))
    assert other.status_code == 200
    assert (
        "Lựa chọn không hợp lệ" in other.content.decode() or other.context["form"].errors["school"]
    )
    assert not AttendanceRecord.objects.exists()


def test_the_class_list_to_fill_in_imports_back(client, teacher, school, pupils):
    client.force_login(teacher)
    sheet = client.get(reverse("imports:school_attendance_template"), {"school": school.pk})
    assert sheet.status_code == 200
    ws = load_workbook(io.BytesIO(sheet.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert sorted(r[0] for r in rows[1:]) == ["Lê Minh Chi", "Nguyễn Văn An", "Trần Thị Bình"]
    assert AccessLog.objects.filter(user=teacher, action="export").exists()
    # another school's list is a 404 for this teacher
    other = School.objects.exclude(pk=school.pk).get()
    assert (
        client.get(reverse("imports:school_attendance_template"), {"school": other.pk}).status_code
        == 404
    )
    # typed in and uploaded back
    wb = load_workbook(io.BytesIO(sheet.content))
    for row in wb.active.iter_rows(min_row=2):
        row[3].value, row[4].value = 1, 0
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "lop.xlsx"
    assert upload(client, school, out).status_code == 302
    assert AttendanceRecord.objects.count() == 3


def test_a_teacher_has_no_import_of_other_kinds(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("imports:list")).status_code == 403
    assert client.get(reverse("imports:school_attendance")).status_code == 200
