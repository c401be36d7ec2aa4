import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from children.filters import years_before
from children.models import Child
from children.services import child_find_duplicates
from tests.factories import ChildFactory, HouseholdFactory, WorkRecordFactory


@pytest.fixture
def home_a(group_a):
    return HouseholdFactory(group=group_a, code="HGD-01-001")


def _form(household, **extra):
    return {
        "full_name": "Nguyễn Văn An",
        "sex": "male",
        "birth_date": "15/03/2015",
        "household": household.code,
        "national_id": "",
        "school_status": "in_school",
        "school_name": "Trường Tiểu học Đồng Kỵ",
        **extra,
    }


def _errors(response):
    return response.context["form"].errors


def test_it_creates_a_child_with_special_groups(client, ctv_a, home_a):
    client.force_login(ctv_a)
    response = client.post(
        reverse("children:create"), _form(home_a, special_groups=["d"], at_risk="on")
    )
    child = Child.objects.get()
    assert response.url == reverse("children:detail", args=[child.pk])
    assert child.search_name == "nguyen van an" and child.at_risk
    assert list(child.special_groups.values_list("code", flat=True)) == ["d"]
    assert child.registered_on == timezone.localdate()


def test_it_refuses_a_household_outside_the_collaborators_groups(client, ctv_a, group_b):
    other = HouseholdFactory(group=group_b, code="HGD-08-001")
    client.force_login(ctv_a)
    response = client.post(reverse("children:create"), _form(other))
    assert "Không tìm thấy hộ" in _errors(response)["household"][0]
    assert not Child.objects.exists()


def test_it_refuses_a_birth_date_in_the_future(client, officer, home_a):
    client.force_login(officer)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("children:create"), _form(home_a, birth_date=tomorrow.strftime("%d/%m/%Y"))
    )
    assert "sau ngày hôm nay" in _errors(response)["birth_date"][0]


def test_it_refuses_adults(client, officer, home_a):
    client.force_login(officer)
    born = years_before(timezone.localdate(), 18)
    response = client.post(
        reverse("children:create"),
        _form(home_a, birth_date=born.strftime("%d/%m/%Y"), minor_worker="on"),
    )
    assert "dưới 18 tuổi" in _errors(response)["birth_date"][0]


def test_it_takes_16_and_17_year_olds_only_as_minor_workers(client, officer, home_a):
    client.force_login(officer)
    born = (years_before(timezone.localdate(), 16)).strftime("%d/%m/%Y")
    response = client.post(reverse("children:create"), _form(home_a, birth_date=born))
    message = _errors(response)["birth_date"][0]
    assert "người lao động chưa thành niên" in message and "Luật Trẻ em" in message
    response = client.post(
        reverse("children:create"), _form(home_a, birth_date=born, minor_worker="on")
    )
    child = Child.objects.get()
    assert response.url == reverse("children:workrecord_add", args=[child.pk])


def test_it_keeps_editing_a_minor_worker_with_a_work_record(client, officer, home_a):
    child = ChildFactory(
        household=home_a,
        full_name="Phạm Văn Long",
        birth_date=years_before(timezone.localdate(), 17),
    )
    WorkRecordFactory(child=child)
    client.force_login(officer)
    data = _form(
        home_a, full_name=child.full_name, birth_date=child.birth_date.strftime("%d/%m/%Y")
    )
    response = client.post(reverse("children:edit", args=[child.pk]), data)
    assert response.status_code == 302, response.context["form"].errors


@pytest.mark.parametrize("value", ["12345678901", "1234567890123", "00101234567a"])
def test_it_wants_a_national_id_of_exactly_12_digits(client, officer, home_a, value):
    client.force_login(officer)
    response = client.post(reverse("children:create"), _form(home_a, national_id=value))
    assert "đúng 12 chữ số" in _errors(response)["national_id"][0]


def test_it_wants_a_dropout_date_and_reason(client, officer, home_a):
    client.force_login(officer)
    response = client.post(reverse("children:create"), _form(home_a, school_status="dropped_out"))
    errors = _errors(response)
    assert "ngày bỏ học" in errors["dropout_date"][0]
    assert "lý do" in errors["dropout_reason"][0]
    assert "Nguyễn Văn An" in response.content.decode()  # what was typed stays
    response = client.post(
        reverse("children:create"),
        _form(
            home_a,
            school_status="dropped_out",
            dropout_date="01/09/2025",
            dropout_reason="economic",
        ),
    )
    assert response.status_code == 302
    assert Child.objects.get().dropout_reason == "economic"


def test_it_edits_a_child_and_records_history(client, officer, home_a):
    child = ChildFactory(household=home_a, full_name="Lê Thị Hoa", school_name="")
    client.force_login(officer)
    data = _form(
        home_a, full_name="Lê Thị Hoa", birth_date="17/05/2014", school_name="Trường THCS Đồng Kỵ"
    )
    response = client.post(reverse("children:edit", args=[child.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    html = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "Trường THCS Đồng Kỵ" in html and "Lịch sử thay đổi" in html
    history = client.get(reverse("children:history", args=[child.pk])).content.decode()
    assert "Trường THCS Đồng Kỵ" in history and "Trường:" in history


# -- duplicates --------------------------------------------------------------------------------


def test_it_finds_duplicates_by_normalized_name_and_birth_date_or_national_id(home_a, group_b):
    same = ChildFactory(
        full_name="Nguyễn Văn An", birth_date=dt.date(2015, 3, 15), household=home_a
    )
    by_id = ChildFactory(full_name="Khác Hẳn", national_id="001215000123", household=home_a)
    ChildFactory(full_name="Nguyễn Văn An", birth_date=dt.date(2015, 3, 16), household=home_a)
    found = child_find_duplicates(
        full_name="NGUYEN  van an", birth_date=dt.date(2015, 3, 15), national_id="001215000123"
    )
    assert set(found) == {same, by_id}
    assert not child_find_duplicates(
        full_name="Nguyễn Văn An", birth_date=dt.date(2015, 3, 15), exclude_pk=same.pk
    ).exists()


def test_it_warns_of_duplicates_and_creates_only_after_confirmation(client, ctv_a, home_a):
    existing = ChildFactory(
        full_name="Nguyễn Văn An", birth_date=dt.date(2015, 3, 15), household=home_a
    )
    client.force_login(ctv_a)
    response = client.post(reverse("children:create"), _form(home_a, full_name="nguyen van an"))
    html = response.content.decode()
    assert response.status_code == 200 and Child.objects.count() == 1
    assert "Có thể trẻ này đã có hồ sơ" in html
    assert reverse("children:detail", args=[existing.pk]) in html
    assert 'name="confirm_duplicate"' in html
    response = client.post(
        reverse("children:create"), _form(home_a, full_name="nguyen van an", confirm_duplicate="on")
    )
    assert response.status_code == 302 and Child.objects.count() == 2


def test_it_does_not_leak_duplicates_of_another_group(client, ctv_a, home_a, group_b):
    ChildFactory(
        full_name="Nguyễn Văn An",
        birth_date=dt.date(2015, 3, 15),
        household=HouseholdFactory(group=group_b, address="Số 9 thôn Trang Liệt"),
    )
    client.force_login(ctv_a)
    html = client.post(reverse("children:create"), _form(home_a)).content.decode()
    assert "có hồ sơ trùng ở tổ khác" in html.lower()
    assert "Trang Liệt" not in html and "15/03/2015" not in html.split("<form")[0]
