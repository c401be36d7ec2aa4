"""Pages of the business register, inspections and violations: access per role, forms and
query counts."""

import datetime as dt
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import Case, Child
from dongnguyen.models import AccessLog
from inspections.models import Business, Commitment, Inspection, Violation
from tests.factories import (
    BusinessFactory,
    HouseholdFactory,
    InspectionFactory,
    ViolationFactory,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("leadership", 200),
        ("case_officer", 200),
        ("police", 200),
        ("health", 200),
        ("collaborator", 200),
        ("finance", 403),
        ("mass_org", 403),
    ],
)
def test_it_gives_each_role_its_access_to_the_business_list(client, personas, role, status):
    client.force_login(personas[role])
    assert client.get(reverse("inspections:business_list")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("leadership", 200),
        ("case_officer", 200),
        ("police", 200),
        ("health", 200),
        ("collaborator", 403),
        ("finance", 403),
        ("mass_org", 403),
    ],
)
def test_it_gives_each_role_its_access_to_inspections(client, personas, role, status):
    client.force_login(personas[role])
    assert client.get(reverse("inspections:inspection_list")).status_code == status
    assert client.get(reverse("inspections:violation_list")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("police", 200), ("case_officer", 200), ("leadership", 403), ("health", 403)],
)
def test_it_lets_only_police_and_officers_edit(client, personas, role, status):
    client.force_login(personas[role])
    assert client.get(reverse("inspections:business_create")).status_code == status
    assert client.get(reverse("inspections:inspection_plan")).status_code == status


def test_it_shows_a_collaborator_only_their_groups_businesses(client, ctv_a, group_a, group_b):
    mine = BusinessFactory(group=group_a, name="Xưởng Thanh Bình")
    theirs = BusinessFactory(group=group_b, name="Xưởng Trang Liệt")
    client.force_login(ctv_a)
    page = client.get(reverse("inspections:business_list")).content.decode()
    assert mine.name in page and theirs.name not in page
    assert client.get(reverse("inspections:business_detail", args=[mine.pk])).status_code == 200
    response = client.get(reverse("inspections:business_detail", args=[theirs.pk]))
    assert response.status_code == 404


def test_it_gives_finance_no_business(finance):
    BusinessFactory()
    assert not Business.objects.for_user(finance).exists()


def test_it_searches_businesses_without_diacritics(client, police):
    BusinessFactory(name="Xưởng sơn PU Đồng Kỵ")
    BusinessFactory(name="Quán karaoke Hoàng Gia")
    client.force_login(police)
    page = client.get(reverse("inspections:business_list"), {"q": "son pu dong ky"})
    assert "Xưởng sơn PU Đồng Kỵ" in page.content.decode()
    assert "Hoàng Gia" not in page.content.decode()


def test_it_filters_businesses_by_sector_and_risk(client, police):
    BusinessFactory(name="Xưởng xẻ A", sector="sawmill", high_risk=True)
    BusinessFactory(name="Quán ăn B", sector="food")
    client.force_login(police)
    page = client.get(
        reverse("inspections:business_list"), {"sector": "sawmill", "high_risk": "true"}
    ).content.decode()
    assert "Xưởng xẻ A" in page and "Quán ăn B" not in page


def test_it_shows_each_businesss_row_with_its_link_sector_and_state(client, police, group_a):
    risky = BusinessFactory(
        group=group_a, name="Xưởng A", sector="lacquer", high_risk=True, minor_employee_count=2
    )
    BusinessFactory(group=group_a, name="Quán B", sector="food", active=False)
    client.force_login(police)
    page = client.get(reverse("inspections:business_list")).content.decode()
    url = reverse("inspections:business_detail", args=[risky.pk])
    assert (
        f'<a href="{url}">Xưởng A</a> <span class="badge text-bg-danger">Nguy cơ cao</span>' in page
    )
    assert "<td>TDP-01 Thanh Bình</td><td>Sơn, phun sơn PU</td>" in page
    assert '<span class="text-danger">Không có</span>' in page
    assert '<span class="text-muted">Đã ngừng</span>' in page


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_businesses_in_constant_queries(client, police, django_assert_num_queries, rows):
    BusinessFactory.create_batch(rows)
    client.force_login(police)
    # session, user, profile (role), groups for the filter's select, count, page of businesses
    # with their group, menu/attention items are not on this page
    with django_assert_num_queries(6):
        assert client.get(reverse("inspections:business_list")).status_code == 200


def test_it_creates_and_edits_a_business_with_history(client, police, group_a):
    client.force_login(police)
    data = {
        "name": "Xưởng chạm khắc Đại Đình",
        "owner_name": "Nguyễn Văn Khải",
        "address": "Đường 277",
        "group": group_a.pk,
        "sector": "woodwork",
        "employee_count": 5,
        "minor_employee_count": 1,
        "active": "on",
    }
    response = client.post(reverse("inspections:business_create"), data)
    business = Business.objects.get()
    assert response.status_code == 302
    client.post(
        reverse("inspections:business_edit", args=[business.pk]), {**data, "phone": "0912 345 678"}
    )
    assert business.history.count() == 2
    assert business.history.first().history_user == police
    page = client.get(reverse("inspections:business_detail", args=[business.pk]))
    assert "Lịch sử thay đổi" in page.content.decode()


def test_it_refuses_more_minors_than_employees(client, police, group_a):
    client.force_login(police)
    response = client.post(
        reverse("inspections:business_create"),
        {
            "name": "Xưởng X",
            "owner_name": "A",
            "address": "B",
            "group": group_a.pk,
            "sector": "woodwork",
            "employee_count": 1,
            "minor_employee_count": 3,
        },
    )
    assert response.status_code == 200
    assert "không được lớn hơn tổng số lao động" in response.content.decode()
    assert not Business.objects.exists()


def test_it_plans_inspections_from_the_form(client, police, health):
    a, b = BusinessFactory(), BusinessFactory()
    client.force_login(police)
    response = client.post(
        reverse("inspections:inspection_plan"),
        {
            "kind": "periodic",
            "planned_on": TODAY.strftime("%d/%m/%Y"),
            "interdisciplinary": "on",
            "team_members": [police.pk, health.pk],
            "team": "Đại diện Hội Phụ nữ",
            "businesses": [a.pk, b.pk],
        },
    )
    assert response.status_code == 302
    assert Inspection.objects.filter(status="planned").count() == 2


def test_it_shows_planned_overdue_and_done_inspections(client, police):
    InspectionFactory(
        business__name="Xưởng quá hạn",
        status="planned",
        date=None,
        planned_on=TODAY - dt.timedelta(3),
    )
    InspectionFactory(
        business__name="Xưởng sắp tới",
        status="planned",
        date=None,
        planned_on=TODAY + dt.timedelta(3),
    )
    client.force_login(police)
    overdue = client.get(reverse("inspections:inspection_list"), {"overdue": "1"}).content.decode()
    assert "Xưởng quá hạn" in overdue and "Xưởng sắp tới" not in overdue
    planned = client.get(reverse("inspections:inspection_list"), {"view": "planned"})
    assert "Xưởng sắp tới" in planned.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_inspections_in_constant_queries(client, police, django_assert_num_queries, rows):
    for _ in range(rows):
        ViolationFactory()
    client.force_login(police)
    # session, user, profile, the three counters, count, page (business+group, annotations)
    with django_assert_num_queries(6):
        assert client.get(reverse("inspections:inspection_list")).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_violations_in_constant_queries(client, police, django_assert_num_queries, rows):
    ViolationFactory.create_batch(rows)
    client.force_login(police)
    # session, user, profile, count, page (inspection, business, group, child joined)
    with django_assert_num_queries(5):
        assert (
            client.get(reverse("inspections:violation_list"), {"status": "open"}).status_code == 200
        )


def test_it_records_a_minor_found_and_opens_a_case(client, police):
    inspection = InspectionFactory(date=TODAY)
    household = HouseholdFactory(group=inspection.business.group)
    client.force_login(police)
    url = reverse("inspections:minor_add", args=[inspection.pk])
    assert client.get(url).status_code == 200
    birth = TODAY.replace(year=TODAY.year - 13)
    response = client.post(
        url,
        {
            "full_name": "Nguyễn Văn Nam",
            "sex": "male",
            "birth_date": birth.strftime("%d/%m/%Y"),
            "household": household.pk,
            "job_code": "other_general",
            "workplace_code": "normal",
            "hours_per_day": "8",
            "record_violations": "on",
        },
    )
    assert response.status_code == 302
    child = Child.objects.get(full_name="Nguyễn Văn Nam")
    assert Case.objects.filter(child=child).exists()
    detail = client.get(reverse("inspections:inspection_detail", args=[inspection.pk]))
    assert "Nguyễn Văn Nam" in detail.content.decode()
    assert AccessLog.objects.filter(action="view", user=police).exists()
    # police now see this child: it is linked to them through a business work record
    assert Child.objects.for_user(police).filter(pk=child.pk).exists()


def test_it_keeps_the_minor_form_when_child_data_is_missing(client, police):
    inspection = InspectionFactory(date=TODAY)
    client.force_login(police)
    response = client.post(
        reverse("inspections:minor_add", args=[inspection.pk]),
        {"full_name": "Trần Văn Ba", "job_code": "other_general", "workplace_code": "normal"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Trần Văn Ba" in page and "Chọn hộ gia đình hoặc nhập tên chủ hộ mới" in page
    assert not Child.objects.exists()


def test_it_searches_children_for_the_minor_form(client, officer):
    from tests.factories import ChildFactory

    inspection = InspectionFactory(date=TODAY)
    ChildFactory(full_name="Phạm Thị Ngọc")
    client.force_login(officer)
    page = client.get(
        reverse("inspections:child_search", args=[inspection.pk]), {"q": "pham thi ngoc"}
    )
    assert "Phạm Thị Ngọc" in page.content.decode()


def test_it_shows_the_fine_range_error_in_vietnamese(client, police):
    violation = ViolationFactory(code="no_minor_register")
    client.force_login(police)
    response = client.post(
        reverse("inspections:violation_edit", args=[violation.pk]),
        {
            "status": "penalty_decided",
            "handled_on": TODAY.strftime("%d/%m/%Y"),
            "decision_number": "01/QĐ-XPHC",
            "fine_vnd": "5000000",
        },
    )
    assert response.status_code == 200
    assert "phải từ 1.000.000 đến 2.000.000 đồng" in response.content.decode()
    violation.refresh_from_db()
    assert violation.status == "open"


def test_it_records_a_violation_from_the_form(client, police):
    inspection = InspectionFactory(date=TODAY)
    client.force_login(police)
    response = client.post(
        reverse("inspections:violation_add", args=[inspection.pk]),
        {"code": "no_minor_register", "detected_on": TODAY.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    assert Violation.objects.get().code == "no_minor_register"


def test_it_lets_a_collaborator_record_a_household_commitment_of_their_group_only(
    client, ctv_a, group_a, group_b
):
    mine, theirs = HouseholdFactory(group=group_a), HouseholdFactory(group=group_b)
    client.force_login(ctv_a)
    url = reverse("inspections:household_commitment")
    day = TODAY.strftime("%d/%m/%Y")
    assert client.post(url, {"household": theirs.pk, "signed_on": day}).status_code == 200
    assert client.post(url, {"household": mine.pk, "signed_on": day}).status_code == 302
    assert list(Commitment.objects.values_list("household", flat=True)) == [mine.pk]


def test_it_prints_a_commitment_pdf_with_vietnamese_text(client, police, tmp_path):
    business = BusinessFactory(name="Xưởng phun sơn PU Đồng Kỵ", owner_name="Nguyễn Văn Đức")
    commitment = Commitment.objects.create(
        business=business, signed_on=dt.date(2026, 5, 4), signer_name="Nguyễn Văn Đức"
    )
    client.force_login(police)
    response = client.get(reverse("inspections:commitment_pdf", args=[commitment.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    assert "BẢN CAM KẾT" in text
    assert "không sử dụng lao động trẻ em trái quy định của pháp luật" in text
    assert "Xưởng phun sơn PU Đồng Kỵ" in text and "Nguyễn Văn Đức" in text
    assert AccessLog.objects.filter(action="print").exists()


def test_it_hides_household_commitments_from_other_groups(client, ctv_a, group_b):
    commitment = Commitment.objects.create(household=HouseholdFactory(group=group_b))
    client.force_login(ctv_a)
    response = client.get(reverse("inspections:commitment_pdf", args=[commitment.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_it_lists_commitments_in_constant_queries(client, officer, django_assert_num_queries, rows):
    for _ in range(rows):
        Commitment.objects.create(business=BusinessFactory())
        Commitment.objects.create(household=HouseholdFactory())
    client.force_login(officer)
    # session, user, profile, count, page (business, household and their groups joined)
    with django_assert_num_queries(5):
        assert client.get(reverse("inspections:commitment_list")).status_code == 200


def test_a_filter_value_the_form_rejects_is_said_and_the_page_still_opens(client, police):
    BusinessFactory(name="Xưởng xẻ A", sector="sawmill")
    client.force_login(police)
    response = client.get(reverse("inspections:business_list"), {"sector": "khong-co"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bộ lọc không hợp lệ; hãy chọn lại." in page
    ok = client.get(reverse("inspections:business_list"), {"sector": "sawmill"}).content.decode()
    assert "Bộ lọc không hợp lệ" not in ok and "Xưởng xẻ A" in ok
