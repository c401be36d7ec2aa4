"""The Decree 56 case workflow: transitions, deadlines and closure rules."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied

from children import services
from children.models import Case, CaseEvent, Support, deadline_cutoffs
from dongnguyen.errors import ServiceError, StaleVersionError
from dongnguyen.models import Agency, Holiday
from tests.factories import CaseFactory, ChildFactory, FollowUpFactory, IntakeFactory

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, h=9, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=TZ)


def agency(code):
    return Agency.objects.get(code=code)


def assessed_case(officer, **kw):
    case = CaseFactory(**kw)
    return services.case_assess(
        case=case,
        by=officer,
        version=case.version,
        risk_level="high",
        items=[{"item": "Làm việc tại xưởng phun sơn", "level": "high"}],
    )


def approved_case(officer, leader, **kw):
    case = assessed_case(officer, **kw)
    case = services.case_plan_draft(
        case=case,
        by=officer,
        version=case.version,
        actions=[
            {
                "action": "Đưa trẻ trở lại trường",
                "agency": agency("vhxh"),
                "due_on": dt.date(2026, 9, 5),
            }
        ],
    )
    return services.case_plan_approve(case=case, by=leader, version=case.version)


def test_it_walks_a_case_through_every_step_and_records_who_and_when(officer, leader):
    intake = IntakeFactory()
    child = ChildFactory()
    case = services.intake_open_case(intake=intake, by=officer, child=child)
    intake.refresh_from_db()
    assert intake.status == "case_opened" and intake.child == child
    case = services.case_assess(
        case=case,
        by=officer,
        version=case.version,
        risk_level="medium",
        items=[
            {"item": "Bỏ học", "level": "high"},
            {"item": "Gia đình hộ nghèo", "level": "medium"},
            {"item": "Sức khỏe", "level": "low"},
        ],
    )
    assert case.status == "assessed" and case.assessed_at and case.assessment_items.count() == 3
    case = services.case_plan_draft(
        case=case,
        by=officer,
        version=case.version,
        actions=[
            {
                "action": "Vận động trở lại trường",
                "agency": agency("truonghoc"),
                "due_on": dt.date(2026, 9, 1),
            }
        ],
    )
    assert case.status == "plan_drafted" and case.plan_drafted_at and case.actions.count() == 1
    case = services.case_plan_approve(case=case, by=leader, version=case.version)
    case = services.case_start(case=case, by=officer, version=case.version)
    case = services.case_monitor(case=case, by=officer, version=case.version)
    case = services.case_close(case=case, by=officer, version=case.version, outcome="moved_away")
    assert case.status == "closed" and case.closed_at
    steps = list(CaseEvent.objects.filter(case=case).values_list("from_status", "to_status", "by"))
    assert [(f, t) for f, t, _ in steps] == [
        ("", "received"),
        ("received", "assessed"),
        ("assessed", "plan_drafted"),
        ("plan_drafted", "plan_approved"),
        ("plan_approved", "in_progress"),
        ("in_progress", "monitoring"),
        ("monitoring", "closed"),
    ]
    assert steps[3][2] == leader.pk and steps[4][2] == officer.pk
    assert case.version == 7


def test_it_lets_only_leadership_approve_a_plan(officer, leader, health):
    case = assessed_case(officer)
    case = services.case_plan_draft(
        case=case,
        by=officer,
        version=case.version,
        actions=[
            {"action": "Khám sức khỏe", "agency": agency("yte"), "due_on": dt.date(2026, 9, 1)}
        ],
    )
    for user in (officer, health):
        with pytest.raises(PermissionDenied):
            services.case_plan_approve(case=case, by=user, version=case.version)
    services.case_plan_approve(case=case, by=leader, version=case.version)


def test_it_refuses_a_stale_version_and_overwrites_nothing(officer):
    case = CaseFactory()
    seen = case.version
    services.case_assess(case=case, by=officer, version=seen, risk_level="low")
    other_view = Case.objects.get(pk=case.pk)
    with pytest.raises(StaleVersionError, match="Hồ sơ đã được người khác cập nhật"):
        services.case_close(case=other_view, by=officer, version=seen, outcome="unfounded")
    case.refresh_from_db()
    assert case.status == "assessed" and case.closure_outcome == ""


def test_it_closes_as_unfounded_only_from_assessed(officer, leader):
    case = CaseFactory()
    with pytest.raises(ServiceError, match="không có cơ sở"):
        services.case_close(case=case, by=officer, version=case.version, outcome="unfounded")
    case = approved_case(officer, leader)
    with pytest.raises(ServiceError, match="ngay sau đánh giá ban đầu"):
        services.case_close(case=case, by=officer, version=case.version, outcome="unfounded")
    case = assessed_case(officer)
    case = services.case_close(case=case, by=officer, version=case.version, outcome="unfounded")
    assert case.closure_outcome == "unfounded"


def _monitored(officer, leader):
    # Received before the follow-ups of the tests below: only those count towards withdrawn.
    case = approved_case(officer, leader, received_at=at(2025, 12, 1))
    case = services.case_start(case=case, by=officer, version=case.version)
    return services.case_monitor(case=case, by=officer, version=case.version)


def test_it_closes_as_withdrawn_after_two_clean_follow_ups_30_days_apart(officer, leader):
    case = _monitored(officer, leader)
    FollowUpFactory(child=case.child, case=case, date=dt.date(2026, 3, 1), working_unlawfully=False)
    FollowUpFactory(
        child=case.child, case=case, date=dt.date(2026, 3, 31), working_unlawfully=False
    )
    case = services.case_close(case=case, by=officer, version=case.version, outcome="withdrawn")
    assert case.closure_outcome == "withdrawn"


@pytest.mark.parametrize(
    "visits",
    [
        [],
        [(dt.date(2026, 3, 1), False)],
        [(dt.date(2026, 3, 1), False), (dt.date(2026, 3, 30), False)],  # 29 days apart
        [(dt.date(2026, 3, 1), False), (dt.date(2026, 4, 15), True)],  # still working
        # a relapse between two clean visits: they are not consecutive
        [(dt.date(2026, 1, 1), False), (dt.date(2026, 2, 1), True), (dt.date(2026, 2, 20), False)],
    ],
)
def test_it_refuses_withdrawn_without_the_follow_ups(officer, leader, visits):
    case = _monitored(officer, leader)
    for day, unlawful in visits:
        FollowUpFactory(child=case.child, case=case, date=day, working_unlawfully=unlawful)
    # Follow-ups of the same child outside this case do not count.
    FollowUpFactory(child=case.child, date=dt.date(2025, 1, 1), working_unlawfully=False)
    with pytest.raises(ServiceError, match="hai lần theo dõi"):
        services.case_close(case=case, by=officer, version=case.version, outcome="withdrawn")
    case.refresh_from_db()
    assert case.status == "monitoring"


def test_it_reopens_a_closed_case_at_the_step_it_closed_from(officer):
    case = assessed_case(officer)
    case = services.case_close(case=case, by=officer, version=case.version, outcome="unfounded")
    with pytest.raises(ServiceError, match="lý do"):
        services.case_reopen(case=case, by=officer, version=case.version, note=" ")
    case = services.case_reopen(
        case=case, by=officer, version=case.version, note="Có thông tin mới"
    )
    assert case.status == "assessed" and case.closure_outcome == "" and case.closed_at is None


def test_it_refuses_a_transition_out_of_order(officer):
    case = CaseFactory()
    with pytest.raises(ServiceError, match="không thể chuyển"):
        services.case_start(case=case, by=officer, version=case.version)


@pytest.mark.parametrize(
    "role", ["collaborator", "finance", "police", "health", "mass_org", "leadership"]
)
def test_it_lets_only_the_officer_assess(personas, role):
    case = CaseFactory()
    with pytest.raises(PermissionDenied):
        services.case_assess(case=case, by=personas[role], version=case.version, risk_level="low")


# --- Deadlines ---------------------------------------------------------------------------


def test_it_marks_assessment_overdue_after_12_hours(db, freezer=None):
    now = at(2026, 5, 12, 20, 0)
    late = CaseFactory(received_at=now - dt.timedelta(hours=12, minutes=1))
    soon = CaseFactory(received_at=now - dt.timedelta(hours=11))
    fresh = CaseFactory(received_at=now - dt.timedelta(hours=1))
    states = dict(
        Case.objects.with_deadline_state(deadline_cutoffs(now)).values_list("pk", "deadline_state")
    )
    assert states == {late.pk: "overdue", soon.pk: "soon", fresh.pk: ""}


def _assessed_at(received):
    return CaseFactory(received_at=received, status="assessed", assessed_at=received)


def test_it_gives_5_working_days_for_the_plan_skipping_weekend_and_holiday(db):
    # Received Thursday 30/04/2026 (itself a holiday), 01/05 holiday, weekend 02–03/05:
    # day 1 = Mon 04/05 … day 5 = Fri 08/05; with a holiday on Wed 06/05 → Mon 11/05.
    Holiday.objects.get_or_create(
        date=dt.date(2026, 4, 30), defaults={"name": "Ngày Giải phóng miền Nam"}
    )
    Holiday.objects.get_or_create(date=dt.date(2026, 5, 1), defaults={"name": "Quốc tế Lao động"})
    Holiday.objects.get_or_create(date=dt.date(2026, 5, 6), defaults={"name": "Nghỉ bù"})
    case = _assessed_at(at(2026, 4, 30, 10))
    state = lambda now: (  # noqa: E731
        Case.objects.with_deadline_state(deadline_cutoffs(now)).get(pk=case.pk).deadline_state
    )
    assert state(at(2026, 5, 7, 23, 59)) == ""
    assert state(at(2026, 5, 8, 9)) == "soon"  # deadline on the next working day
    assert state(at(2026, 5, 11, 23, 59)) == "soon"  # deadline day itself
    assert state(at(2026, 5, 12, 0, 1)) == "overdue"
    from dongnguyen.workdays import plan_deadline

    assert plan_deadline(case.received_at).date() == dt.date(2026, 5, 11)


def test_a_holiday_entered_or_removed_moves_the_plan_deadline_at_once(db):
    """The holidays are read from a cache: a holiday saved or deleted (admin, reference data)
    drops it, so the next deadline already counts it."""
    from dongnguyen.workdays import plan_deadline

    received = at(2026, 6, 8, 10)  # Monday: day 5 = Monday 15/06
    assert plan_deadline(received).date() == dt.date(2026, 6, 15)
    day_off = Holiday.objects.create(date=dt.date(2026, 6, 10), name="Nghỉ bù")
    assert plan_deadline(received).date() == dt.date(2026, 6, 16)
    day_off.date = dt.date(2026, 6, 17)  # moved past the deadline
    day_off.save()
    assert plan_deadline(received).date() == dt.date(2026, 6, 15)
    Holiday.objects.create(date=dt.date(2026, 6, 9), name="Nghỉ lễ")
    assert plan_deadline(received).date() == dt.date(2026, 6, 16)
    Holiday.objects.filter(date=dt.date(2026, 6, 9)).delete()
    assert plan_deadline(received).date() == dt.date(2026, 6, 15)


def test_it_does_not_flag_a_drafted_plan(db):
    case = CaseFactory(received_at=at(2026, 1, 5), status="plan_drafted")
    assert not Case.objects.overdue(deadline_cutoffs(at(2026, 3, 1))).filter(pk=case.pk).exists()


def test_it_gives_the_same_deadline_state_in_sql_in_the_filter_and_in_python(db):
    # Every status, received on each side of every cutoff: the annotation, the filter and
    # the state of a fetched case read one rule (Case.deadline_state_at, in_deadline_state).
    now = at(2026, 5, 12, 20, 0)
    cutoffs = deadline_cutoffs(now)
    moments = [
        t + d
        for t in (
            cutoffs.assess_overdue,
            cutoffs.assess_soon,
            cutoffs.plan_overdue,
            cutoffs.plan_soon,
        )
        for d in (-dt.timedelta(minutes=1), dt.timedelta(0), dt.timedelta(minutes=1))
    ]
    for status in Case.Status.values:
        for received in moments:
            CaseFactory(status=status, received_at=received)
    annotated = dict(Case.objects.with_deadline_state(cutoffs).values_list("pk", "deadline_state"))
    assert {"overdue", "soon", ""} <= set(annotated.values())
    assert {c.pk: c.deadline_state_at(cutoffs) for c in Case.objects.all()} == annotated
    for states in [("overdue",), ("soon",), ("overdue", "soon")]:
        filtered = set(Case.objects.in_deadline_state(cutoffs, states).values_list("pk", flat=True))
        assert filtered == {pk for pk, state in annotated.items() if state in states}, states


# --- Referrals, supports, follow-ups --------------------------------------------------------


def test_it_lets_health_and_mass_orgs_record_only_their_kinds_for_referred_children(
    officer, health, mass_org
):
    child = ChildFactory()
    with pytest.raises(PermissionDenied):
        services.support_record(
            child=child,
            by=mass_org,
            kind="scholarship",
            provider=agency("hoiphunu"),
            date=dt.date(2026, 3, 1),
        )
    services.referral_create(child=child, agency=agency("hoiphunu"), by=officer, needs="Học bổng")
    support = services.support_record(
        child=child,
        by=mass_org,
        kind="scholarship",
        provider=agency("hoiphunu"),
        date=dt.date(2026, 3, 1),
        amount_vnd=2_000_000,
        funding_source="social_mobilization",
    )
    assert Support.objects.get(pk=support.pk).amount_vnd == 2_000_000
    with pytest.raises(PermissionDenied):
        services.support_record(
            child=child,
            by=mass_org,
            kind="health_check",
            provider=agency("hoiphunu"),
            date=dt.date(2026, 3, 1),
        )
    with pytest.raises(PermissionDenied):
        services.support_record(
            child=child,
            by=mass_org,
            kind="livelihood",
            provider=agency("yte"),
            date=dt.date(2026, 3, 1),
        )
    services.referral_create(child=child, agency=agency("yte"), by=officer)
    services.support_record(
        child=child,
        by=health,
        kind="psychological",
        provider=agency("yte"),
        date=dt.date(2026, 3, 2),
    )
    with pytest.raises(PermissionDenied):
        services.support_record(
            child=child,
            by=health,
            kind="scholarship",
            provider=agency("yte"),
            date=dt.date(2026, 3, 2),
        )


def test_it_refuses_a_second_open_referral_to_the_same_agency(officer):
    child = ChildFactory()
    services.referral_create(child=child, agency=agency("yte"), by=officer)
    with pytest.raises(ServiceError, match="chưa xong"):
        services.referral_create(child=child, agency=agency("yte"), by=officer)


def test_it_lets_the_referred_agency_close_its_referral_only(officer, health, mass_org):
    child = ChildFactory()
    referral = services.referral_create(child=child, agency=agency("yte"), by=officer)
    with pytest.raises(PermissionDenied):
        services.referral_close(referral=referral, by=mass_org)
    services.referral_close(referral=referral, by=health)
    referral.refresh_from_db()
    assert referral.closed and referral.closed_by == health


def test_it_refuses_a_follow_up_in_the_future_or_on_a_closed_case(officer):
    case = assessed_case(officer)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(ServiceError, match="tương lai"):
        services.followup_record(
            child=case.child,
            case=case,
            by=officer,
            date=tomorrow,
            working_unlawfully=False,
            in_school=True,
        )
    case = services.case_close(case=case, by=officer, version=case.version, outcome="unfounded")
    with pytest.raises(ServiceError, match="đã kết thúc"):
        services.followup_record(
            child=case.child,
            case=case,
            by=officer,
            date=dt.date(2026, 1, 1),
            working_unlawfully=False,
            in_school=True,
        )


# --- Intake ---------------------------------------------------------------------------------


def test_it_files_a_collaborators_tip_under_their_own_group_only(ctv_a, group_a, group_b):
    tip = services.intake_create(
        by=ctv_a, channel="hotline_111", description="Trẻ làm ở xưởng", group=group_a
    )
    assert tip.channel == "collaborator" and tip.anonymous
    with pytest.raises(PermissionDenied):
        services.intake_create(by=ctv_a, channel="collaborator", description="x", group=group_b)


def test_it_triages_duplicates_and_unfounded_reports(officer):
    first, second, third = IntakeFactory(), IntakeFactory(), IntakeFactory()
    with pytest.raises(ServiceError):
        services.intake_dismiss(intake=second, by=officer, status="duplicate")
    services.intake_dismiss(intake=second, by=officer, status="duplicate", duplicate_of=first)
    with pytest.raises(ServiceError, match="lý do"):
        services.intake_dismiss(intake=third, by=officer, status="unfounded")
    services.intake_dismiss(
        intake=third, by=officer, status="unfounded", note="Đã xác minh, không có"
    )
    with pytest.raises(ServiceError, match="đã được xử lý"):
        services.intake_open_case(intake=third, by=officer, child=ChildFactory())
