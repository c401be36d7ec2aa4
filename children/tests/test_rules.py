"""Row rules of children and work records (issue 10 point 1): the service refuses with the
form's Vietnamese message, the form shows it beside its field, and a valid record passes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from children.models import Child, WorkRecord
from children.services import child_save, child_set_risk, support_record, workrecord_save
from tests.factories import ChildFactory, HouseholdFactory, agency

TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture
def home_a(group_a):
    return HouseholdFactory(group=group_a, code="HGD-01-001")


def _child(household, **extra):
    values = {
        "full_name": "Nguyễn Văn An",
        "sex": "male",
        "birth_date": dt.date(2015, 3, 15),
        "household": household,
        "school_status": "in_school",
        **extra,
    }
    return Child(**values)


def _form(household, **extra):
    return {
        "full_name": "Nguyễn Văn An",
        "sex": "male",
        "birth_date": "15/03/2015",
        "household": household.code,
        "national_id": "",
        "school_status": "in_school",
        "school_name": "",
        **extra,
    }


def _refused(by, **extra) -> dict:
    household = extra.pop("household")
    with pytest.raises(ValidationError) as refused:
        child_save(child=_child(household, **extra), by=by)
    assert not Child.objects.exists()
    return refused.value.message_dict


def _form_errors(client, user, household, **extra) -> dict:
    client.force_login(user)
    response = client.post(reverse("children:create"), _form(household, **extra))
    assert not Child.objects.exists()
    return response.context["form"].errors


OVER_18 = (
    "Trẻ đã đủ {age} tuổi: danh sách chỉ quản lý người dưới 18 tuổi "
    "(trẻ em dưới 16 tuổi và người lao động chưa thành niên 16–17 tuổi)."
)


def test_it_refuses_a_child_born_2005(client, officer, home_a):
    age = Child(birth_date=dt.date(2005, 6, 1)).age_on(TODAY)
    message = OVER_18.format(age=age)
    assert _refused(officer, household=home_a, birth_date=dt.date(2005, 6, 1)) == {
        "birth_date": [message]
    }
    errors = _form_errors(client, officer, home_a, birth_date="01/06/2005", minor_worker="on")
    assert errors["birth_date"] == [message]


def test_it_keeps_a_registered_child_editable_after_turning_18(officer, home_a):
    # Registered at 17 as a minor worker; 18 now: the record is still the ward's history.
    born = TODAY.replace(year=TODAY.year - 19)
    child = ChildFactory(
        household=home_a, birth_date=born, registered_on=born.replace(year=born.year + 17)
    )
    child.notes = "Đã đủ 18 tuổi."
    child_save(child=child, by=officer)


def test_it_refuses_a_birth_date_in_the_future(client, officer, home_a):
    message = ["Ngày sinh không được sau ngày hôm nay."]
    assert _refused(officer, household=home_a, birth_date=TOMORROW) == {"birth_date": message}
    birth = TOMORROW.strftime("%d/%m/%Y")
    assert _form_errors(client, officer, home_a, birth_date=birth)["birth_date"] == message


def test_it_refuses_a_dropout_without_date_and_reason(client, officer, home_a):
    assert _refused(officer, household=home_a, school_status="dropped_out") == {
        "dropout_date": ["Trẻ đã bỏ học: hãy nhập ngày bỏ học."],
        "dropout_reason": ["Trẻ đã bỏ học: hãy chọn lý do bỏ học."],
    }
    errors = _form_errors(client, officer, home_a, school_status="dropped_out")
    assert errors["dropout_reason"] == ["Trẻ đã bỏ học: hãy chọn lý do bỏ học."]
    assert errors["dropout_date"] == ["Trẻ đã bỏ học: hãy nhập ngày bỏ học."]


def test_it_refuses_a_dropout_without_reason(officer, home_a):
    assert _refused(
        officer, household=home_a, school_status="dropped_out", dropout_date=dt.date(2025, 9, 1)
    ) == {"dropout_reason": ["Trẻ đã bỏ học: hãy chọn lý do bỏ học."]}


@pytest.mark.parametrize(
    ("dropped", "message"),
    [
        (dt.date(2014, 1, 1), "Ngày bỏ học không thể trước ngày sinh."),
        (TOMORROW, "Ngày bỏ học không được sau ngày hôm nay."),
    ],
    ids=["before-birth", "future"],
)
def test_it_refuses_an_impossible_dropout_date(client, officer, home_a, dropped, message):
    extra = {"school_status": "dropped_out", "dropout_reason": "economic"}
    assert _refused(officer, household=home_a, dropout_date=dropped, **extra) == {
        "dropout_date": [message]
    }
    errors = _form_errors(
        client, officer, home_a, dropout_date=dropped.strftime("%d/%m/%Y"), **extra
    )
    assert errors["dropout_date"] == [message]


def test_it_clears_the_dropout_of_a_child_back_in_school(officer, home_a):
    child = child_save(
        child=_child(home_a, dropout_date=dt.date(2025, 9, 1), dropout_reason="economic"),
        by=officer,
    )
    child.refresh_from_db()
    assert child.dropout_date is None and child.dropout_reason == ""


@pytest.mark.parametrize(
    ("typed", "n"), [("12345678901", 11), ("1234567890123", 13), ("12345678901a", 12)]
)
def test_it_refuses_a_national_id_not_of_12_digits(client, officer, home_a, typed, n):
    message = [f"Số định danh cá nhân phải gồm đúng 12 chữ số (hiện có {n} ký tự)."]
    assert _refused(officer, household=home_a, national_id=typed) == {"national_id": message}
    assert _form_errors(client, officer, home_a, national_id=typed)["national_id"] == message


def test_it_stores_a_national_id_without_spaces(officer, home_a):
    child = child_save(child=_child(home_a, national_id="0012 1500 1234"), by=officer)
    assert Child.objects.get(pk=child.pk).national_id == "001215001234"


def test_it_refuses_a_name_with_digits(client, officer, home_a):
    message = ["Họ và tên không hợp lệ."]
    assert _refused(officer, household=home_a, full_name="An 2") == {"full_name": message}
    assert _form_errors(client, officer, home_a, full_name="An 2")["full_name"] == message


def test_it_refuses_moving_out_before_registration(client, officer, home_a):
    message = ["Ngày chuyển đi không thể trước ngày vào danh sách."]
    extra = {"registered_on": dt.date(2025, 1, 1), "moved_out_on": dt.date(2024, 12, 31)}
    assert _refused(officer, household=home_a, **extra) == {"moved_out_on": message}
    errors = _form_errors(
        client, officer, home_a, registered_on="01/01/2025", moved_out_on="31/12/2024"
    )
    assert errors["moved_out_on"] == message


def test_it_saves_a_valid_child(officer, home_a):
    child = child_save(child=_child(home_a, national_id="001215001234"), by=officer)
    assert child.pk and child.search_name == "nguyen van an"


def test_it_checks_the_whole_row_when_only_a_flag_changes(client, officer, home_a):
    child = ChildFactory(household=home_a, school_status="dropped_out")  # written around rules
    with pytest.raises(ValidationError):
        child_set_risk(child=child, by=officer, at_risk=True)
    client.force_login(officer)
    response = client.post(reverse("children:risk", args=[child.pk]), {"at_risk": "on"})
    assert "Trẻ đã bỏ học: hãy chọn lý do bỏ học." in response.context["form"].errors["__all__"]
    response = client.post(
        reverse("children:screening_record", args=[child.pk]), {"outcome": "at_risk"}
    )
    assert response.status_code == 400 and "lý do bỏ học" in response.content.decode()
    child.refresh_from_db()
    assert not child.at_risk and not child.screenings.exists()


# -- work records ----------------------------------------------------------------------------


def _record(child, **extra):
    values = {"child": child, "job_code": "other_general", "started_on": dt.date(2026, 2, 1)}
    return WorkRecord(**{**values, **extra})


def _work_form(**extra):
    return {
        "job_code": "other_general",
        "workplace_code": "normal",
        "started_on": "01/02/2026",
        "save": "1",
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "form", "field", "message"),
    [
        (
            {"hours_per_day": Decimal(25)},
            {"hours_per_day": "25"},
            "hours_per_day",
            "Số giờ/ngày phải từ 0 đến 24.",
        ),
        (
            {"hours_per_day": Decimal(-1)},
            {"hours_per_day": "-1"},
            "hours_per_day",
            "Số giờ/ngày phải từ 0 đến 24.",
        ),
        (
            {"hours_per_week": Decimal(170)},
            {"hours_per_week": "170"},
            "hours_per_week",
            "Số giờ/tuần phải từ 0 đến 168.",
        ),
        (
            {"hours_per_day": Decimal(8), "hours_per_week": Decimal(6)},
            {"hours_per_day": "8", "hours_per_week": "6"},
            "hours_per_week",
            "Số giờ/tuần không thể ít hơn số giờ/ngày.",
        ),
        (
            {"started_on": TOMORROW},
            {"started_on": TOMORROW.strftime("%d/%m/%Y")},
            "started_on",
            "Ngày bắt đầu không được sau ngày hôm nay.",
        ),
        (
            {"started_on": dt.date(2011, 1, 1)},
            {"started_on": "01/01/2011"},
            "started_on",
            "Ngày bắt đầu không thể trước ngày sinh của trẻ.",
        ),
        (
            {"ended_on": dt.date(2026, 1, 1)},
            {"ended_on": "01/01/2026"},
            "ended_on",
            "Ngày kết thúc không thể trước ngày bắt đầu.",
        ),
    ],
    ids=[
        "day-over-24",
        "day-negative",
        "week-over-168",
        "week-under-day",
        "future",
        "before-birth",
        "end-before-start",
    ],
)
def test_it_refuses_an_impossible_work_record(client, officer, home_a, extra, form, field, message):
    child = ChildFactory(household=home_a, birth_date=dt.date(2012, 5, 1))
    with pytest.raises(ValidationError) as refused:
        workrecord_save(record=_record(child, **extra), by=officer)
    assert refused.value.message_dict == {field: [message]}
    client.force_login(officer)
    response = client.post(reverse("children:workrecord_add", args=[child.pk]), _work_form(**form))
    assert response.context["form"].errors[field] == [message]
    assert not WorkRecord.objects.exists()


def test_it_saves_a_valid_work_record(officer, home_a):
    child = ChildFactory(household=home_a, birth_date=dt.date(2012, 5, 1))
    workrecord_save(
        record=_record(child, hours_per_day=Decimal(4), hours_per_week=Decimal(20)), by=officer
    )
    assert WorkRecord.objects.get().lawful is not None


# -- supports: the amount (their dates belong to the follow-up and support rules) --------------


def test_it_refuses_a_negative_support_amount_on_the_model(officer, home_a):
    child = ChildFactory(household=home_a)
    from children.models import Support

    support = Support(child=child, kind="scholarship", provider=agency("mttq"), amount_vnd=-1)
    with pytest.raises(ValidationError) as refused:
        support.full_clean(exclude=["recorded_by"])
    assert refused.value.message_dict == {"amount_vnd": ["Giá trị không được âm."]}
    support_record(
        child=child,
        by=officer,
        kind="scholarship",
        provider=agency("mttq"),
        date=TODAY,
        amount_vnd=500_000,
    )


# -- intake reports ----------------------------------------------------------------------------


def test_it_refuses_an_intake_received_in_the_future(client, officer):
    from children.models import IntakeReport
    from children.services import intake_create

    later = timezone.now() + dt.timedelta(hours=2)
    message = ["Thời điểm tiếp nhận không được ở tương lai."]
    with pytest.raises(ValidationError) as refused:
        intake_create(
            by=officer, channel="phone", description="Trẻ làm ở xưởng.", received_at=later
        )
    assert refused.value.message_dict == {"received_at": message}
    client.force_login(officer)
    response = client.post(
        reverse("children:intake_create"),
        {
            "channel": "phone",
            "description": "Trẻ làm ở xưởng.",
            "received_at": timezone.localtime(later).strftime("%d/%m/%Y %H:%M"),
        },
    )
    assert response.context["form"].errors["received_at"] == message
    assert not IntakeReport.objects.exists()
    # A clock a minute ahead is not a report from the future.
    soon = timezone.now() + dt.timedelta(minutes=1)
    intake_create(by=officer, channel="phone", description="Trẻ làm ở xưởng.", received_at=soon)
    assert IntakeReport.objects.count() == 1


NID_TAKEN = [
    "Số định danh cá nhân này đã có trong hồ sơ của một trẻ khác. Hãy kiểm tra lại số; nếu "
    "đúng là cùng một trẻ, hãy dùng hồ sơ đã có thay vì thêm mới."
]


@pytest.fixture
def child_elsewhere(db):
    """A child of another ward holding a national ID (IDs are unique in the whole country)."""
    from dongnguyen.models import Ward
    from tests.factories import GroupFactory

    ward = Ward.objects.create(code="09400", name="Phường Tam Sơn", province_name="Bắc Ninh")
    home = HouseholdFactory(group=GroupFactory(code="TS-01", name="Tam Sơn 1", ward=ward))
    return ChildFactory(full_name="Lưu Thị Bí Mật", household=home, national_id="001215009999")


def test_it_refuses_a_national_id_already_on_a_child_of_another_ward(
    client, officer, home_a, child_elsewhere
):
    with pytest.raises(ValidationError) as refused:
        child_save(child=_child(home_a, national_id="0012 1500 9999"), by=officer)
    assert refused.value.message_dict == {"national_id": NID_TAKEN}
    assert Child.objects.filter(household=home_a).count() == 0
    client.force_login(officer)
    response = client.post(
        reverse("children:create"),
        _form(home_a, national_id="001215009999", confirm_duplicate="on", notes="Gặp ở chợ"),
    )
    assert response.context["form"].errors["national_id"] == NID_TAKEN
    html = response.content.decode()
    # Nothing of the other child is shown; what was typed stays in the form.
    assert "Bí Mật" not in html and "Tam Sơn" not in html and "Gặp ở chợ" in html
    assert Child.objects.filter(household=home_a).count() == 0


def test_it_refuses_changing_a_national_id_to_one_already_used(officer, home_a, child_elsewhere):
    child = child_save(child=_child(home_a, national_id="001215001234"), by=officer)
    child.national_id = child_elsewhere.national_id
    with pytest.raises(ValidationError) as refused:
        child_save(child=child, by=officer)
    assert refused.value.message_dict == {"national_id": NID_TAKEN}
    assert Child.objects.get(pk=child.pk).national_id == "001215001234"


def test_it_keeps_editing_a_record_whose_own_number_is_unchanged(officer, home_a, child_elsewhere):
    """Records that shared a number before the rule stay editable until they are merged."""
    twin = ChildFactory(household=home_a, national_id=child_elsewhere.national_id)
    twin = Child.objects.get(pk=twin.pk)
    child_set_risk(child=twin, by=officer, at_risk=True, risk_factors="Bố mẹ đi làm xa")
    assert Child.objects.get(pk=twin.pk).at_risk
    child_save(child=Child.objects.get(pk=child_elsewhere.pk), by=officer)
