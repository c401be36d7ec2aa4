"""The home page's and the finance page's figures are the user's own ward's: with several
wards in one deployment, a leader sees their ward's targets not met and the finance office
its ward's supports, never the sum over the province."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from dongnguyen.models import Ward
from reports.models import KpiSnapshot
from reports.periods import current_periods
from tests.factories import ChildFactory, GroupFactory, HouseholdFactory, SupportFactory


def _snap(ward, code, met):
    year = current_periods()[0]
    KpiSnapshot.objects.create(
        ward=ward,
        code=code,
        period_start=year.start,
        period_end=year.end,
        numerator=1,
        denominator=2,
        value=50,
        met=met,
        computed_at=timezone.now(),
    )


def _other_ward():
    return Ward.objects.create(code="09400", name="Phường Tam Sơn", province_name="Bắc Ninh")


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_leaders_home_counts_the_targets_of_their_own_ward(client, leader):
    first, other = Ward.first(), _other_ward()
    _snap(first, "K1", False)
    _snap(first, "K2", True)
    for code in ("K1", "K2", "K3", "K4"):
        _snap(other, code, False)
    client.force_login(leader)
    text = _text(client.get(reverse("home")))
    year = current_periods()[0].code
    assert f"Chỉ tiêu năm {year} chưa đạt (trên 2 chỉ tiêu) 1" in text


def test_the_finance_pages_count_the_supports_of_their_own_ward(client, finance):
    other_child = ChildFactory(
        household=HouseholdFactory(group=GroupFactory(ward=_other_ward(), code="TDP-01"))
    )
    today = timezone.localdate()
    SupportFactory(date=today, amount_vnd=700_000)
    for _ in range(3):
        SupportFactory(child=other_child, date=today, amount_vnd=900_000)
    client.force_login(finance)
    assert "Lượt hỗ trợ trong năm 1" in _text(client.get(reverse("home")))
    page = _text(client.get(reverse("reports:finance"), {"period": str(today.year)}))
    assert "700.000" in page
    assert "2.700.000" not in page and "3.400.000" not in page


def test_the_officers_home_counts_overdue_inspections_and_open_violations_of_their_ward(
    client, officer
):
    # Counted in one query over the ward's inspections joined to their violations: an
    # inspection with several violations is still one overdue inspection, and a violation
    # of an inspection that is not overdue still counts.
    from tests.factories import BusinessFactory, InspectionFactory, ViolationFactory

    today = timezone.localdate()
    past, future = today - dt.timedelta(days=3), today + dt.timedelta(days=3)
    late = InspectionFactory(status="planned", planned_on=past)
    ViolationFactory.create_batch(2, inspection=late)
    ViolationFactory(inspection=late, status="remediated")
    InspectionFactory(status="planned", planned_on=past)
    InspectionFactory(status="planned", planned_on=future)
    ViolationFactory(inspection=InspectionFactory(status="done"))
    other = _other_ward()
    elsewhere = BusinessFactory(ward=other, group=GroupFactory(ward=other, code="TDP-01"))
    ViolationFactory(inspection=InspectionFactory(business=elsewhere, planned_on=past))
    InspectionFactory(business=elsewhere, status="planned", planned_on=past)
    client.force_login(officer)
    items = {str(i.label): i.count for i in client.get(reverse("home")).context["items"]}
    assert items["Cuộc kiểm tra quá ngày dự kiến"] == 2
    assert items["Vi phạm chưa xử lý"] == 3
