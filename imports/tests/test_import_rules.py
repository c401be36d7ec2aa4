"""The import refuses what the forms refuse, with the forms' own words: both reach the rules on
the models (DESIGN.md "Rules in one place"). Each message is read from the form at test time,
so a rule reworded on the model is reworded here too."""

import pytest
from django.core.management import CommandError, call_command

from children.forms_register import ChildForm
from children.models import Child
from households.forms import HouseholdForm
from households.models import Household
from imports.models import ImportJob
from inspections.forms import BusinessForm
from inspections.models import Business
from tests.factories import HouseholdFactory

from .helpers import (
    BUSINESS_HEADERS,
    CHILD_HEADERS,
    HOUSEHOLD_HEADERS,
    child_rows,
    household_rows,
    write,
    xlsx_bytes,
)


def _form_error(form, field: str) -> str:
    assert not form.is_valid()
    return str(form.errors[field][0])


def _child_form_data(row) -> dict:
    name, sex, birth, household, nid, status, school, *_ = row
    return {
        "full_name": name,
        "sex": {"Nam": "male", "Nữ": "female"}[sex],
        "birth_date": birth,
        "household": household,
        "national_id": nid,
        "school_status": {"Đang đi học": "in_school", "Đã bỏ học": "dropped_out"}[status],
        "school_name": school,
        "dropout_date": row[9],
        "dropout_reason": "",
        "registered_on": row[11],
    }


def _refused(tmp_path, kind, headers, rows):
    """Import through the command line: refused, nothing written; the one error message."""
    before = (Household.objects.count(), Child.objects.count())
    with pytest.raises(CommandError):
        call_command(
            "import_records", kind, str(write(tmp_path, "f.xlsx", xlsx_bytes(headers, rows)))
        )
    assert (Household.objects.count(), Child.objects.count()) == before
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.count_error == 1
    return job.errors[0]


@pytest.fixture
def household(db, group_a):
    return HouseholdFactory(code="HGD-0001", group=group_a)


def test_it_refuses_a_child_over_18_with_the_forms_message(tmp_path, household, officer):
    rows = child_rows(2)
    rows[1][2] = "17/05/2005"
    expected = _form_error(ChildForm(data=_child_form_data(rows[1]), user=officer), "birth_date")
    error = _refused(tmp_path, "children", CHILD_HEADERS, rows)
    assert error["row"] == 3 and expected in error["message"]


def test_it_refuses_a_dropout_without_a_reason_with_the_forms_message(tmp_path, household, officer):
    rows = child_rows(2)
    rows[1][5], rows[1][9], rows[1][10] = "Đã bỏ học", "01/09/2025", ""
    expected = _form_error(
        ChildForm(data=_child_form_data(rows[1]), user=officer), "dropout_reason"
    )
    error = _refused(tmp_path, "children", CHILD_HEADERS, rows)
    assert error["row"] == 3 and expected in error["message"]


def test_it_refuses_a_household_phone_of_five_digits_with_the_forms_message(
    tmp_path, group_a, officer
):
    rows = household_rows(2)
    rows[1][4] = "12345"
    code, head, address, _group, phone, _poverty = rows[1]
    form = HouseholdForm(
        data={
            "code": code,
            "head_name": head,
            "address": address,
            "group": group_a.pk,
            "phone": phone,
            "poverty_status": "poor",
        },
        user=officer,
    )
    expected = _form_error(form, "phone")
    error = _refused(tmp_path, "households", HOUSEHOLD_HEADERS, rows)
    assert error["row"] == 3 and expected in error["message"]


def test_it_refuses_more_minors_than_employees_with_the_forms_message(tmp_path, group_a, officer):
    row = ["CS-01", "Xưởng gỗ Minh Phát", "Trần Văn Phát", "Đồng Kỵ", "TDP-01", "Xẻ gỗ"]
    row += ["", 1, 3, "", ""]
    form = BusinessForm(
        data={
            "code": row[0],
            "name": row[1],
            "owner_name": row[2],
            "address": row[3],
            "group": group_a.pk,
            "sector": "sawmill",
            "employee_count": 1,
            "minor_employee_count": 3,
        },
        user=officer,
    )
    expected = _form_error(form, "minor_employee_count")
    error = _refused(tmp_path, "businesses", BUSINESS_HEADERS, [row])
    assert error["row"] == 2 and expected in error["message"]
    assert not Business.objects.exists()
