"""Row rules of households and caregivers (issue 10 point 1): each refused the same way on
the service path and the form path, with the form's Vietnamese message; a valid row passes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dongnguyen.validators import normalize_vn_phone, validate_vn_phone
from households.models import Caregiver, Household
from households.services import caregiver_save, household_save
from tests.factories import HouseholdFactory

PHONE = "Số điện thoại phải gồm 10 chữ số và bắt đầu bằng số 0 (ví dụ 0912345678)."


def _household(group, **extra):
    return Household(
        code="HGD-01-900", head_name="Đỗ Văn Hòa", address="Số 12", group=group, **extra
    )


def _form(group, **extra):
    return {
        "code": "HGD-01-900",
        "head_name": "Đỗ Văn Hòa",
        "address": "Số 12 đường TL277",
        "group": group.pk,
        "phone": "",
        "poverty_status": "none",
        "notes": "",
        **extra,
    }


@pytest.mark.parametrize("phone", ["12345", "091234567", "09123456789", "0012345678", "0x12"])
def test_it_refuses_a_bad_household_phone_in_the_service(officer, group_a, phone):
    with pytest.raises(ValidationError) as refused:
        household_save(household=_household(group_a, phone=phone), by=officer)
    assert refused.value.message_dict == {"phone": [PHONE]}
    assert not Household.objects.exists()


def test_it_shows_the_phone_rule_on_the_household_form(client, officer, group_a):
    client.force_login(officer)
    response = client.post(reverse("households:create"), _form(group_a, phone="12345"))
    assert response.context["form"].errors["phone"] == [PHONE]
    assert not Household.objects.exists()


def test_it_stores_a_typed_phone_as_ten_digits(client, officer, group_a):
    client.force_login(officer)
    client.post(reverse("households:create"), _form(group_a, phone="+84 912.345.678"))
    assert Household.objects.get().phone == "0912345678"


@pytest.mark.parametrize("phone", ["", "0912345678", "+84 987 654 321"])
def test_it_accepts_an_empty_or_vietnamese_number(officer, group_a, phone):
    household = household_save(
        household=_household(group_a, phone=normalize_vn_phone(phone)), by=officer
    )
    assert household.pk and household.search_name == "do van hoa"


def test_it_uses_libphonenumber_for_the_number_itself():
    # Ten digits starting with 0, but no Vietnamese number begins 0201.
    with pytest.raises(ValidationError):
        validate_vn_phone("0201234567")


def test_it_refuses_a_head_name_with_digits(client, officer, group_a):
    with pytest.raises(ValidationError) as refused:
        household_save(
            household=_household(group_a).__class__(
                code="HGD-01-901", head_name="Hòa 2", address="Số 1", group=group_a
            ),
            by=officer,
        )
    assert refused.value.message_dict == {"head_name": ["Họ tên chủ hộ không hợp lệ."]}
    client.force_login(officer)
    response = client.post(reverse("households:create"), _form(group_a, head_name="Hòa 2"))
    assert response.context["form"].errors["head_name"] == ["Họ tên chủ hộ không hợp lệ."]


def test_it_refuses_a_bad_caregiver_phone_and_name(client, officer, group_a):
    household = HouseholdFactory(group=group_a)
    bad = Caregiver(household=household, name="B", relation="Mẹ", phone="12345")
    with pytest.raises(ValidationError) as refused:
        caregiver_save(caregiver=bad, by=officer)
    assert refused.value.message_dict == {
        "name": ["Họ tên người chăm sóc không hợp lệ."],
        "phone": [PHONE],
    }
    client.force_login(officer)
    url = reverse("households:caregiver_add", args=[household.pk])
    response = client.post(url, {"name": "Lê Thị Mai", "relation": "Mẹ", "phone": "12345"})
    assert response.context["form"].errors["phone"] == [PHONE]
    client.post(url, {"name": "Lê Thị Mai", "relation": "Mẹ", "phone": "0987 654 321"})
    assert household.caregivers.get().phone == "0987654321"
