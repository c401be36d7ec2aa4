"""The yearly estimate against what was spent (issue 15 point 2), on hand-built data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from funding import services
from funding.models import BudgetEstimate
from reports import mgmt
from tests.factories import (
    BusinessFactory,
    ChildFactory,
    HouseholdFactory,
    InspectionFactory,
    OutreachSessionFactory,
    SupportFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1  # a whole past year: nothing is in the future


def _estimate(by, activity, source, amount):
    return services.estimate_save(
        estimate=BudgetEstimate(year=YEAR, activity=activity, source=source, amount_vnd=amount),
        by=by,
    )


@pytest.fixture
def spending(finance, group_a):
    _estimate(finance, "awareness", "state_budget", 10_000_000)
    _estimate(finance, "support", "state_budget", 4_000_000)
    _estimate(finance, "support", "social_mobilization", 2_000_000)
    _estimate(finance, "inspection", "state_budget", 3_000_000)
    OutreachSessionFactory(group=group_a, date=dt.date(YEAR, 3, 5), cost_vnd=2_500_000)
    OutreachSessionFactory(group=None, date=dt.date(YEAR, 3, 20), cost_vnd=1_500_000)
    TrainingFactory(date=dt.date(YEAR, 5, 2), cost_vnd=800_000)  # no estimate for training
    child = ChildFactory(household=HouseholdFactory(group=group_a))
    SupportFactory(child=child, date=dt.date(YEAR, 6, 1), amount_vnd=3_000_000)
    SupportFactory(
        child=child,
        date=dt.date(YEAR, 6, 9),
        amount_vnd=2_500_000,
        funding_source="social_mobilization",
    )
    InspectionFactory(
        business=BusinessFactory(group=group_a),
        date=dt.date(YEAR, 7, 1),
        status="done",
        cost_vnd=1_000_000,
    )
    # Another year's session does not count.
    OutreachSessionFactory(group=group_a, date=dt.date(YEAR - 1, 12, 31), cost_vnd=9_000_000)


def test_it_compares_the_estimate_with_what_was_spent_per_line_and_source(spending):
    b = mgmt.budget(YEAR)
    lines = {line["activity"]: line for line in b["lines"]}
    assert (lines["awareness"]["estimate"], lines["awareness"]["spent"]) == (10_000_000, 4_000_000)
    assert lines["awareness"]["pct"] == Decimal("40.0")
    support = {s["source"]: s for s in lines["support"]["sources"]}
    assert (support["state_budget"]["spent"], support["state_budget"]["pct"]) == (
        3_000_000,
        Decimal("75.0"),
    )
    assert support["social_mobilization"]["over"] is True
    assert support["social_mobilization"]["pct"] == Decimal("125.0")
    # Spending with no estimate is over it, with no percentage.
    assert lines["training"]["estimate"] == 0 and lines["training"]["pct"] is None
    assert lines["inspection"]["spent"] == 1_000_000
    assert (b["estimate"], b["spent"]) == (19_000_000, 11_300_000)
    months = {m["month"]: m for m in b["months"]}
    assert months[3]["spent"] == 4_000_000 and months[6]["spent"] == 5_500_000
    assert months[12]["cumulative"] == 11_300_000
    assert b["over_lines"] == [
        "Hỗ trợ, can thiệp trẻ em (Nguồn xã hội hóa)",
        "Tập huấn, nâng cao năng lực (Ngân sách nhà nước)",
    ]


def test_the_finance_office_sees_the_page_with_its_warning_and_chart(client, finance, spending):
    client.force_login(finance)
    page = client.get(reverse("reports:budget"), {"year": YEAR}).content.decode()
    assert "Chi vượt dự toán" in page and "<svg" in page
    assert "10.000.000" in page and "40,0%" in page


def test_the_estimate_has_one_line_per_activity_and_source(finance, officer):
    _estimate(finance, "awareness", "state_budget", 1)
    with pytest.raises(ValidationError):
        _estimate(finance, "awareness", "state_budget", 2)
    with pytest.raises(ValidationError):
        _estimate(officer, "training", "state_budget", 2)  # only the finance office


def test_the_report_funding_section_uses_these_numbers(spending):
    from reports.periods import parse_period

    section = mgmt.report_section(parse_period(f"{YEAR}-H1"))
    funding = section["funding"]
    # Half-year: January to June (the July inspection is left out).
    assert (funding["estimate"], funding["spent"]) == (19_000_000, 10_300_000)


def test_estimate_against_spent_with_a_donation_partly_spent_across_two_supports(
    finance, officer, mass_org, group_a
):
    """Hand-built: a session and a leaflet print run on the awareness line; two supports drawn
    on one donation (partly spent) on the support line's social-mobilization source."""
    from children.services import support_record
    from dongnguyen.models import Agency
    from funding.models import Donation, Donor
    from outreach.models import MaterialDistribution
    from outreach.services import material_record
    from reports.periods import Period

    _estimate(finance, "awareness", "state_budget", 5_000_000)
    _estimate(finance, "support", "social_mobilization", 4_000_000)
    OutreachSessionFactory(group=group_a, date=dt.date(YEAR, 2, 10), cost_vnd=1_000_000)
    material_record(
        distribution=MaterialDistribution(
            kind="leaflet",
            quantity=500,
            group=group_a,
            date=dt.date(YEAR, 2, 20),
            cost_vnd=750_000,
            cost_source="state_budget",
        ),
        by=officer,
    )
    donor = services.donor_save(
        donor=Donor(name="Quỹ Khuyến học", kind="organisation"), by=mass_org
    )
    donation = services.donation_save(
        donation=Donation(
            donor=donor, date=dt.date(YEAR, 3, 1), amount_vnd=5_000_000, purpose="Học bổng"
        ),
        by=mass_org,
    )
    for n, amount in enumerate((2_000_000, 1_200_000)):
        support_record(
            child=ChildFactory(household=HouseholdFactory(group=group_a)),
            by=officer,
            kind="scholarship",
            provider=Agency.objects.get(code="hoiphunu"),
            date=dt.date(YEAR, 4, 1 + n),
            amount_vnd=amount,
            donation=donation,
        )
    b = mgmt.budget(YEAR)
    lines = {line["activity"]: line for line in b["lines"]}
    assert (lines["awareness"]["spent"], lines["awareness"]["pct"]) == (1_750_000, Decimal("35.0"))
    support = {s["source"]: s for s in lines["support"]["sources"]}
    assert support["social_mobilization"]["spent"] == 3_200_000
    assert support["social_mobilization"]["pct"] == Decimal("80.0")
    assert not support["social_mobilization"]["over"]
    assert (b["estimate"], b["spent"], b["pct"]) == (9_000_000, 4_950_000, Decimal("55.0"))
    assert [m["spent"] for m in b["months"][1:4]] == [1_750_000, 0, 3_200_000]
    assert Donation.objects.with_spent().get(pk=donation.pk).remaining == 1_800_000
    mobilized = mgmt.mobilized(Period(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), str(YEAR)))
    assert [(r["donor"], r["cash"], r["used"]) for r in mobilized] == [
        ("Quỹ Khuyến học", 5_000_000, 3_200_000)
    ]
