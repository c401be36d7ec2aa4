"""An edit that makes a child look like another child warns, as creating one does."""

import datetime as dt

import pytest
from django.urls import reverse

from children.models import Child
from tests.factories import ChildFactory, HouseholdFactory


@pytest.fixture
def home_a(group_a):
    return HouseholdFactory(group=group_a, code="HGD-01-001")


def _form(child, **changes):
    data = {
        "full_name": child.full_name,
        "sex": child.sex,
        "birth_date": child.birth_date.strftime("%d/%m/%Y"),
        "household": child.household.code,
        "national_id": child.national_id,
        "school_status": "in_school",
        "school_name": "",
    }
    return {**data, **changes}


def test_it_warns_when_an_edit_makes_a_child_match_another_and_saves_after_confirmation(
    client, ctv_a, home_a
):
    other = ChildFactory(
        full_name="Nguyễn Văn An", birth_date=dt.date(2015, 3, 15), household=home_a
    )
    child = ChildFactory(
        full_name="Nguyễn Văn Ân", birth_date=dt.date(2015, 3, 16), household=home_a
    )
    client.force_login(ctv_a)
    url = reverse("children:edit", args=[child.pk])
    response = client.post(url, _form(child, full_name="NGUYEN VAN AN", birth_date="15/03/2015"))
    html = response.content.decode()
    assert response.status_code == 200 and "Có thể trẻ này đã có hồ sơ" in html
    assert reverse("children:detail", args=[other.pk]) in html
    assert 'name="confirm_duplicate"' in html and "vẫn lưu thay đổi" in html
    assert 'value="NGUYEN VAN AN"' in html  # what was typed stays
    child.refresh_from_db()
    assert child.birth_date == dt.date(2015, 3, 16)  # nothing saved yet
    response = client.post(
        url,
        _form(child, full_name="NGUYEN VAN AN", birth_date="15/03/2015", confirm_duplicate="on"),
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.birth_date == dt.date(2015, 3, 15)


@pytest.mark.parametrize("confirm", ["", "on"])
def test_it_refuses_an_edit_to_another_childs_national_id(client, officer, home_a, confirm):
    """Issue 18 point 6: a national ID is one person's: no "it is another child" overrides."""
    ChildFactory(full_name="Trần Thị Mai", national_id="001215000123", household=home_a)
    child = ChildFactory(full_name="Đỗ Văn Nam", household=home_a)
    client.force_login(officer)
    response = client.post(
        reverse("children:edit", args=[child.pk]),
        _form(child, national_id="001215000123", confirm_duplicate=confirm),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["national_id"]
    assert errors[0].startswith("Số định danh cá nhân này đã có trong hồ sơ của một trẻ khác.")
    assert Child.objects.get(pk=child.pk).national_id == ""


def test_it_does_not_nag_when_the_identity_is_unchanged(client, officer, home_a):
    """A pair confirmed as two children at creation is not re-questioned on every edit."""
    ChildFactory(full_name="Nguyễn Văn An", birth_date=dt.date(2015, 3, 15), household=home_a)
    twin = ChildFactory(
        full_name="Nguyễn Văn An", birth_date=dt.date(2015, 3, 15), household=home_a
    )
    client.force_login(officer)
    response = client.post(
        reverse("children:edit", args=[twin.pk]), _form(twin, school_name="Trường Tiểu học Đồng Kỵ")
    )
    assert response.status_code == 302
    assert Child.objects.get(pk=twin.pk).school_name == "Trường Tiểu học Đồng Kỵ"


def test_it_does_not_leak_a_duplicate_of_another_group_on_edit(client, ctv_a, home_a, group_b):
    ChildFactory(
        full_name="Nguyễn Văn An",
        birth_date=dt.date(2015, 3, 15),
        household=HouseholdFactory(group=group_b, address="Số 9 thôn Trang Liệt"),
    )
    child = ChildFactory(
        full_name="Nguyễn Văn Bình", birth_date=dt.date(2015, 3, 15), household=home_a
    )
    client.force_login(ctv_a)
    html = client.post(
        reverse("children:edit", args=[child.pk]), _form(child, full_name="Nguyễn Văn An")
    ).content.decode()
    assert "có hồ sơ trùng ở tổ khác" in html.lower() and "Trang Liệt" not in html
