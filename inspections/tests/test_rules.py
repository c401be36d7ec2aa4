"""Row rules of businesses, inspections, violations and commitments (issue 10 point 1): the
service refuses with the form's Vietnamese message, the form shows it beside its field, and a
valid row passes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inspections.models import Business, Commitment, Inspection, Violation
from inspections.services import (
    business_save,
    commitment_sign,
    inspection_record,
    violation_create,
    violation_handle,
)
from tests.factories import BusinessFactory, HouseholdFactory, InspectionFactory, ViolationFactory

TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)
PHONE = "Số điện thoại phải gồm 10 chữ số và bắt đầu bằng số 0 (ví dụ 0912345678)."
MINORS = "Số lao động chưa thành niên không được lớn hơn tổng số lao động."


def _business(group, **extra):
    values = {
        "name": "Xưởng chạm khắc Đại Đình",
        "owner_name": "Nguyễn Văn Khải",
        "address": "Đường 277",
        "group": group,
        "sector": "woodwork",
        "employee_count": 5,
        "minor_employee_count": 1,
    }
    return Business(**{**values, **extra})


def _business_form(group, **extra):
    return {
        "name": "Xưởng chạm khắc Đại Đình",
        "owner_name": "Nguyễn Văn Khải",
        "address": "Đường 277",
        "group": group.pk,
        "sector": "woodwork",
        "employee_count": 5,
        "minor_employee_count": 1,
        "active": "on",
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "form", "field", "message"),
    [
        ({"phone": "12345"}, {"phone": "12345"}, "phone", PHONE),
        (
            {"employee_count": 1, "minor_employee_count": 3},
            {"employee_count": 1, "minor_employee_count": 3},
            "minor_employee_count",
            MINORS,
        ),
    ],
    ids=["phone", "minors-over-employees"],
)
def test_it_refuses_a_bad_business(client, police, group_a, extra, form, field, message):
    with pytest.raises(ValidationError) as refused:
        business_save(business=_business(group_a, **extra), by=police)
    assert refused.value.message_dict == {field: [message]}
    client.force_login(police)
    response = client.post(reverse("inspections:business_create"), _business_form(group_a, **form))
    assert response.context["form"].errors[field] == [message]
    assert not Business.objects.exists()


def test_it_saves_a_valid_business_with_its_phone_as_ten_digits(client, police, group_a):
    assert business_save(business=_business(group_a, phone="0912345678"), by=police).pk
    client.force_login(police)
    form = _business_form(group_a, name="Xưởng gỗ Hưng Thịnh", phone="+84 987 654 321")
    assert client.post(reverse("inspections:business_create"), form).status_code == 302
    assert Business.objects.get(name="Xưởng gỗ Hưng Thịnh").phone == "0987654321"


def test_it_refuses_an_inspection_dated_tomorrow(client, police):
    inspection = InspectionFactory(status="planned", date=None, planned_on=TODAY)
    message = ["Ngày kiểm tra không được sau ngày hôm nay."]
    with pytest.raises(ValidationError) as refused:
        inspection_record(inspection=inspection, by=police, date=TOMORROW, findings="Không có.")
    assert refused.value.message_dict == {"date": message}
    client.force_login(police)
    response = client.post(
        reverse("inspections:inspection_record", args=[inspection.pk]),
        {"date": TOMORROW.strftime("%d/%m/%Y"), "findings": "Không có."},
    )
    assert response.context["form"].errors["date"] == message
    inspection.refresh_from_db()
    assert inspection.status == "planned"
    inspection_record(inspection=inspection, by=police, date=TODAY, findings="Không có.")
    assert Inspection.objects.get().status == "done"


def test_it_refuses_a_code_outside_article_29(police):
    with pytest.raises(ValidationError) as refused:
        violation_create(inspection=InspectionFactory(), code="made_up", by=police)
    assert refused.value.message_dict == {
        "code": ["Hành vi vi phạm không có trong danh mục Điều 29."]
    }


def test_it_checks_the_article_29_code_on_the_model_itself(db):
    violation = Violation(inspection=InspectionFactory(), code="made_up", detected_on=TODAY)
    with pytest.raises(ValidationError) as refused:
        violation.full_clean()
    assert refused.value.message_dict == {
        "code": ["Hành vi vi phạm không có trong danh mục Điều 29."]
    }


def _handle_form(**extra):
    return {"status": "remediated", "handled_on": TODAY.strftime("%d/%m/%Y"), **extra}


@pytest.mark.parametrize(
    ("kwargs", "form", "errors"),
    [
        (
            {"status": "remediated"},
            {"handled_on": ""},
            {"handled_on": ["Nhập ngày xử lý khi vi phạm đã được xử lý."]},
        ),
        (
            {"status": "remediated", "handled_on": dt.date(2026, 3, 1)},
            {"handled_on": "01/03/2026"},
            {"handled_on": ["Ngày xử lý không được trước ngày phát hiện vi phạm."]},
        ),
        (
            {"status": "remediated", "handled_on": TOMORROW},
            {"handled_on": TOMORROW.strftime("%d/%m/%Y")},
            {"handled_on": ["Ngày xử lý không được sau ngày hôm nay."]},
        ),
        (
            {"status": "penalty_decided", "handled_on": TODAY},
            {"status": "penalty_decided"},
            {
                "decision_number": ["Nhập số quyết định xử phạt."],
                "fine_vnd": ["Nhập số tiền phạt đã quyết định."],
            },
        ),
        (
            {
                "status": "penalty_decided",
                "handled_on": TODAY,
                "decision_number": "01/QĐ-XPHC",
                "fine_vnd": 5_000_000,
            },
            {"status": "penalty_decided", "decision_number": "01/QĐ-XPHC", "fine_vnd": "5000000"},
            {
                "fine_vnd": [
                    "Mức phạt đối với cá nhân cho hành vi này phải từ 1.000.000 đến 2.000.000 "
                    "đồng; đã nhập 5.000.000 đồng."
                ]
            },
        ),
    ],
    ids=["no-date", "before-detected", "future", "penalty-without-decision", "fine-band"],
)
def test_it_refuses_an_impossible_handling(client, police, kwargs, form, errors):
    violation = ViolationFactory(code="no_minor_register", detected_on=dt.date(2026, 3, 10))
    with pytest.raises(ValidationError) as refused:
        violation_handle(violation=violation, by=police, **kwargs)
    assert refused.value.message_dict == errors
    violation = Violation.objects.get()
    client.force_login(police)
    response = client.post(
        reverse("inspections:violation_edit", args=[violation.pk]), _handle_form(**form)
    )
    assert {k: list(v) for k, v in response.context["form"].errors.items()} == errors
    violation.refresh_from_db()
    assert violation.status == "open"


def test_it_records_a_valid_penalty(police):
    violation = ViolationFactory(code="no_minor_register", detected_on=dt.date(2026, 3, 10))
    violation_handle(
        violation=violation,
        by=police,
        status="penalty_decided",
        handled_on=TODAY,
        decision_number="01/QĐ-XPHC",
        fine_vnd=1_500_000,
    )
    assert Violation.objects.get().status == "penalty_decided"


def test_it_refuses_a_commitment_signed_tomorrow(client, ctv_a, group_a):
    household = HouseholdFactory(group=group_a)
    message = ["Ngày ký không được sau ngày hôm nay."]
    with pytest.raises(ValidationError) as refused:
        commitment_sign(by=ctv_a, household=household, signed_on=TOMORROW)
    assert refused.value.message_dict == {"signed_on": message}
    client.force_login(ctv_a)
    response = client.post(
        reverse("inspections:household_commitment"),
        {"household": household.pk, "signed_on": TOMORROW.strftime("%d/%m/%Y")},
    )
    assert response.context["form"].errors["signed_on"] == message
    assert not Commitment.objects.exists()
    commitment_sign(by=ctv_a, household=household, signed_on=TODAY)
    assert Commitment.objects.count() == 1


def test_it_says_in_vietnamese_that_a_commitment_has_one_signer(group_a):
    commitment = Commitment(business=BusinessFactory(), household=HouseholdFactory(group=group_a))
    with pytest.raises(ValidationError) as refused:
        commitment.full_clean()
    assert refused.value.messages == ["Bản cam kết phải của một cơ sở hoặc một hộ gia đình."]
