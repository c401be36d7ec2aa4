"""A small hand-built ward for the KPI tests. Every expected numerator and denominator in
test_kpis.py is worked out from the records made here (period 2026-H1, as_of 01/07/2026 12:00)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from children.models import Case, SpecialGroup
from dongnguyen.models import Holiday
from inspections.models import Commitment
from reports.models import Report
from tests.factories import (
    BusinessFactory,
    ChildFactory,
    FollowUpFactory,
    GroupFactory,
    HouseholdFactory,
    InspectionFactory,
    IntakeFactory,
    OutreachSessionFactory,
    ScreeningFactory,
    SupportFactory,
    TrainingFactory,
    UserFactory,
    ViolationFactory,
    WorkRecordFactory,
)

D = dt.date


def at(y, m, d, h=0, mi=0):
    return timezone.make_aware(dt.datetime(y, m, d, h, mi))


AS_OF = at(2026, 7, 1, 12)


@pytest.fixture
def ward(db, officer, ctv_a, leader):
    g1 = GroupFactory(code="TDP-01", name="Thanh Bình")
    g2 = GroupFactory(code="TDP-02", name="Thanh Nhàn")
    g3 = GroupFactory(code="TDP-03", name="Nghè", active=False)
    hh_poor = HouseholdFactory(group=g1, poverty_status="poor")
    hh_a = HouseholdFactory(group=g1)
    hh_x = HouseholdFactory(group=g1)
    hh_c3 = HouseholdFactory(group=g1)
    hh_g2 = HouseholdFactory(group=g2)

    # c1: 12, at risk, in labour, screened, scholarship in P, poor household.
    c1 = ChildFactory(household=hh_poor, birth_date=D(2014, 5, 17), at_risk=True)
    WorkRecordFactory(child=c1, started_on=D(2026, 2, 1), lawful=False)
    ScreeningFactory(child=c1, date=D(2026, 3, 1))
    SupportFactory(child=c1, kind="scholarship", date=D(2026, 3, 5), amount_vnd=2_000_000)
    # c2: 10, at risk, dropped out for economic reasons in P, poor household, no support.
    c2 = ChildFactory(
        household=hh_poor,
        birth_date=D(2016, 1, 1),
        at_risk=True,
        school_status="dropped_out",
        dropout_date=D(2026, 2, 10),
        dropout_reason="economic",
    )
    # c3: 16 on 30/06/2026 (15 on 31/12/2025): out of the register now, in labour since
    # 09/2025, dropped out for economic reasons in the previous half.
    c3 = ChildFactory(
        household=hh_c3,
        birth_date=D(2010, 6, 30),
        school_status="dropped_out",
        dropout_date=D(2025, 11, 1),
        dropout_reason="economic",
    )
    WorkRecordFactory(child=c3, started_on=D(2025, 9, 1), lawful=False)
    # c4: 15 (16 on 01/07/2026), special group h, followed up, in vocational training.
    c4 = ChildFactory(household=hh_a, birth_date=D(2010, 7, 1), school_status="vocational")
    c4.special_groups.add(SpecialGroup.objects.get(code="h"))
    FollowUpFactory(child=c4, date=D(2026, 5, 1))
    # c5: 6, on the register but not on the managed list.
    c5 = ChildFactory(household=hh_a, birth_date=D(2020, 1, 1))
    # c6 moved out on the last day of 2025; c7 entered the register after P.
    ChildFactory(household=hh_x, at_risk=True, moved_out_on=D(2025, 12, 31))
    ChildFactory(household=hh_x, at_risk=True, registered_on=D(2026, 7, 1))
    # g2: c8 works lawfully now, unlawfully until 31/12/2025; c9 works unlawfully since 2025
    # and was only supported before P.
    c8 = ChildFactory(household=hh_g2, birth_date=D(2015, 3, 3), at_risk=True)
    WorkRecordFactory(child=c8, started_on=D(2026, 1, 5), lawful=True)
    WorkRecordFactory(child=c8, started_on=D(2025, 8, 1), ended_on=D(2025, 12, 31), lawful=False)
    c9 = ChildFactory(household=hh_g2, birth_date=D(2012, 3, 3))
    WorkRecordFactory(child=c9, started_on=D(2025, 6, 1), lawful=False)
    SupportFactory(child=c9, kind="health_check", date=D(2025, 12, 1))

    # K2 intake reports.
    Holiday.objects.get_or_create(date=D(2026, 3, 12), defaults={"name": "Ngày nghỉ thử"})
    i1 = IntakeFactory(child=c1, received_at=at(2026, 3, 2, 9))
    Case.objects.create(
        child=c1,
        intake=i1,
        received_at=i1.received_at,
        assessed_at=at(2026, 3, 2, 15),
        plan_drafted_at=at(2026, 3, 9, 16),
    )
    i2 = IntakeFactory(child=c9, received_at=at(2026, 3, 2, 9))
    Case.objects.create(
        child=c9,
        intake=i2,
        received_at=i2.received_at,
        assessed_at=at(2026, 3, 2, 22),
        plan_drafted_at=at(2026, 3, 3, 9),
    )
    b1 = BusinessFactory(group=g1)
    b2 = BusinessFactory(group=g1)
    b3 = BusinessFactory(group=g2)
    b4 = BusinessFactory(group=g2)
    BusinessFactory(group=g2, active=False)
    IntakeFactory(business=b3, received_at=at(2026, 3, 3, 10))  # i3: no case
    i4 = IntakeFactory(received_at=at(2026, 3, 4, 8))
    Case.objects.create(
        child=c5,
        intake=i4,
        received_at=i4.received_at,
        assessed_at=at(2026, 3, 4, 10),
        status="closed",
        closure_outcome="unfounded",
        closed_at=at(2026, 3, 4, 10),
    )
    i5 = IntakeFactory(child=c1, received_at=at(2026, 6, 29, 9))  # pending at as_of
    Case.objects.create(
        child=c1, intake=i5, received_at=i5.received_at, assessed_at=at(2026, 6, 29, 10)
    )
    IntakeFactory(child=c4, received_at=at(2026, 6, 30, 20))  # i6: 16 h, no assessment
    i7 = IntakeFactory(child=c8, received_at=at(2026, 3, 9, 10))  # holiday on 12/03
    Case.objects.create(
        child=c8,
        intake=i7,
        received_at=i7.received_at,
        assessed_at=at(2026, 3, 9, 11),
        plan_drafted_at=at(2026, 3, 17, 17),
    )

    # K7, K8, K9: outreach.
    s1 = OutreachSessionFactory(group=g1, date=D(2026, 3, 1), attendee_count=40)
    s1.households_reached.add(hh_g2)
    s1.businesses_reached.add(b1)
    OutreachSessionFactory(group=g1, date=D(2026, 4, 1), channel="loudspeaker")
    ward_wide = OutreachSessionFactory(group=None, date=D(2026, 5, 1), channel="conference")
    ward_wide.households_reached.add(hh_poor)
    OutreachSessionFactory(group=g2, date=D(2025, 12, 1)).households_reached.add(hh_a)
    OutreachSessionFactory(group=g3, date=D(2026, 3, 1))
    i_b2 = InspectionFactory(business=b2, date=D(2026, 3, 10), legal_dissemination=True)
    Commitment.objects.create(business=b3, signed_on=D(2026, 4, 2))
    i_b4 = InspectionFactory(business=b4, date=D(2026, 3, 10))
    i_b1 = InspectionFactory(business=b1, date=D(2026, 3, 10))

    # K10: violations.
    ViolationFactory(
        inspection=i_b4,
        status="penalty_decided",
        handled_on=D(2026, 4, 1),
        fine_vnd=20_000_000,
        child=c9,
    )
    ViolationFactory(inspection=i_b1, status="remediated", handled_on=D(2026, 7, 5))
    ViolationFactory(inspection=i_b1, detected_on=D(2025, 12, 20), status="open")
    ViolationFactory(inspection=i_b2, status="open")

    # K12: leader, officer, ctv_a have profiles and are active; one inactive staff member.
    from dongnguyen.models import Agency
    from dongnguyen.services import user_set_role

    gone = UserFactory(username="nghiviec", is_active=False)
    user_set_role(user=gone, role="case_officer", agency=Agency.objects.get(code="vhxh"))
    UserFactory(username="khongvaitro")  # no profile: not staff
    training = TrainingFactory(date=D(2026, 4, 1))
    training.participants.add(officer, ctv_a, gone)
    TrainingFactory(date=D(2025, 11, 1)).participants.add(leader)

    # K13: the H1 report finalized on 18/06 (due 20/06); an ad-hoc one due 30/04 not done.
    Report.objects.create(
        kind="semiannual",
        period="2026-H1",
        period_start=D(2026, 1, 1),
        period_end=D(2026, 6, 30),
        status="finalized",
        due_on=D(2026, 6, 20),
        finalized_at=at(2026, 6, 18, 10),
        number="15/BC-UBND",
    )
    Report.objects.create(
        kind="adhoc",
        period="2026-04-01..2026-04-20",
        period_start=D(2026, 4, 1),
        period_end=D(2026, 4, 20),
        due_on=D(2026, 4, 30),
    )
    return SimpleNamespace(
        g1=g1, g2=g2, g3=g3, c1=c1, c2=c2, c3=c3, c4=c4, c5=c5, c8=c8, c9=c9, b4=b4
    )
