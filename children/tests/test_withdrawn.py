"""Follow-up and support dates, and closing a case as withdrawn (DOMAIN §4, issue 10 point 5):
the last two follow-ups, both after the case was received, at least 30 days apart, both clean;
closing ends the child's open unlawful work and K1 no longer counts the child."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from children import services
from children.models import Case, FollowUp, Support
from dongnguyen.errors import ServiceError
from dongnguyen.models import Agency
from reports.kpis import compute
from tests.factories import ChildFactory, FollowUpFactory, WorkRecordFactory

TODAY = timezone.localdate()
RECEIVED = TODAY - dt.timedelta(days=200)


def day(n: int) -> dt.date:
    """n days after the day the case was received."""
    return RECEIVED + dt.timedelta(days=n)


@pytest.fixture
def case(officer, leader):
    child = ChildFactory(birth_date=dt.date(TODAY.year - 12, 1, 10))
    case = services.case_open(
        child=child,
        by=officer,
        received_at=timezone.make_aware(dt.datetime.combine(RECEIVED, dt.time(9, 0))),
    )
    case = services.case_assess(case=case, by=officer, version=case.version, risk_level="high")
    vhxh = Agency.objects.get(code="vhxh")
    case = services.case_plan_draft(
        case=case,
        by=officer,
        version=case.version,
        actions=[{"action": "Đưa trẻ trở lại trường", "agency": vhxh, "due_on": day(60)}],
    )
    case = services.case_plan_approve(case=case, by=leader, version=case.version)
    case = services.case_start(case=case, by=officer, version=case.version)
    return services.case_monitor(case=case, by=officer, version=case.version)


def visit(case, officer, on, unlawful=False):
    return services.followup_record(
        child=case.child,
        case=case,
        by=officer,
        date=on,
        working_unlawfully=unlawful,
        in_school=not unlawful,
    )


def close_withdrawn(case, officer):
    case.refresh_from_db()
    return services.case_close(case=case, by=officer, version=case.version, outcome="withdrawn")


# --- dates of follow-ups and supports ---------------------------------------------------------


def test_it_refuses_a_follow_up_dated_before_the_case_was_received(case, officer):
    with pytest.raises(ServiceError, match="trước ngày tiếp nhận hồ sơ") as exc:
        visit(case, officer, RECEIVED - dt.timedelta(days=1))
    assert "date" in exc.value.message_dict
    assert not FollowUp.objects.filter(case=case).exists()
    assert visit(case, officer, RECEIVED).pk  # the day of receipt itself is fine


def test_it_refuses_a_follow_up_in_the_future_on_the_model(case, officer):
    with pytest.raises(ServiceError, match="tương lai"):
        visit(case, officer, TODAY + dt.timedelta(days=1))
    row = FollowUp(child=case.child, case=case, date=TODAY + dt.timedelta(days=1), by=officer)
    with pytest.raises(Exception, match="tương lai"):
        row.full_clean()


def test_it_refuses_a_back_dated_follow_up_from_the_form(client, case, officer):
    client.force_login(officer)
    url = reverse("children:followup_create", args=[case.pk])
    before = (RECEIVED - dt.timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(url, {"date": before, "in_school": "on"})
    assert response.status_code == 200
    assert "trước ngày tiếp nhận hồ sơ" in response.content.decode()
    assert not FollowUp.objects.filter(case=case).exists()
    response = client.post(url, {"date": day(5).strftime("%d/%m/%Y"), "in_school": "on"})
    assert response.status_code == 302
    assert FollowUp.objects.filter(case=case, date=day(5)).exists()


def test_it_refuses_a_support_dated_before_the_case_was_received(client, case, officer):
    kwargs = {
        "child": case.child,
        "case": case,
        "by": officer,
        "kind": "scholarship",
        "provider": Agency.objects.get(code="mttq"),
    }
    with pytest.raises(ServiceError, match="Ngày hỗ trợ không được trước ngày tiếp nhận"):
        services.support_record(date=RECEIVED - dt.timedelta(days=1), **kwargs)
    with pytest.raises(ServiceError, match="Ngày hỗ trợ không được ở tương lai"):
        services.support_record(date=TODAY + dt.timedelta(days=1), **kwargs)
    # A support without a case is only held to "not in the future".
    assert services.support_record(**{**kwargs, "case": None}, date=RECEIVED - dt.timedelta(9))
    client.force_login(officer)
    response = client.post(
        reverse("children:support_create") + f"?case={case.pk}",
        {
            "kind": "scholarship",
            "provider": kwargs["provider"].pk,
            "date": (RECEIVED - dt.timedelta(days=2)).strftime("%d/%m/%Y"),
            "funding_source": "state_budget",
        },
    )
    assert response.status_code == 200
    assert "trước ngày tiếp nhận hồ sơ" in response.content.decode()
    assert not Support.objects.filter(case=case).exists()


# --- the withdrawn rule -----------------------------------------------------------------------


def test_it_does_not_close_on_a_clean_first_and_third_visit(case, officer):
    # 1st and 3rd are 40 days apart and clean, but the last two (2nd, 3rd) are 20 days apart.
    visit(case, officer, day(10))
    visit(case, officer, day(30))
    visit(case, officer, day(50))
    assert services.withdrawn_evidence(case) is None
    with pytest.raises(ServiceError, match="hai lần theo dõi gần nhất"):
        close_withdrawn(case, officer)
    case.refresh_from_db()
    assert case.status == Case.Status.MONITORING


def test_it_does_not_close_when_one_of_the_last_two_found_unlawful_work(case, officer):
    visit(case, officer, day(10))
    visit(case, officer, day(50), unlawful=True)
    with pytest.raises(ServiceError, match="hai lần theo dõi"):
        close_withdrawn(case, officer)


def test_it_counts_no_follow_up_dated_before_the_receipt(case, officer):
    # Rows written around the services (old data) still do not count.
    FollowUpFactory(child=case.child, case=case, date=RECEIVED - dt.timedelta(days=40))
    visit(case, officer, day(1))
    assert services.withdrawn_evidence(case) is None


def test_it_closes_on_two_consecutive_clean_visits_30_days_apart(case, officer):
    visit(case, officer, day(10), unlawful=True)  # an earlier relapse does not matter
    first = visit(case, officer, day(20))
    last = visit(case, officer, day(50))
    assert services.withdrawn_evidence(case) == (first, last)
    closed = close_withdrawn(case, officer)
    assert (closed.status, closed.closure_outcome) == ("closed", "withdrawn")


def test_withdrawal_ends_the_open_unlawful_work_and_k1_drops_the_child(case, officer):
    child = case.child
    unlawful = WorkRecordFactory(child=child, started_on=RECEIVED - dt.timedelta(days=30))
    lawful = WorkRecordFactory(child=child, started_on=RECEIVED, lawful=True)
    ended = WorkRecordFactory(child=child, started_on=day(-90), ended_on=day(-60))
    visit(case, officer, day(20))
    visit(case, officer, day(55))

    after = (day(56), TODAY)
    assert {v.code: v for v in compute(*after)}["K1"].numerator == 1

    opened_at = unlawful.version
    close_withdrawn(case, officer)
    for record in (unlawful, lawful, ended):
        record.refresh_from_db()
    assert unlawful.ended_on == day(55)  # the last clean visit
    assert unlawful.version > opened_at  # an edit form opened before cannot reopen it
    assert lawful.ended_on is None and ended.ended_on == day(-60)  # others untouched

    k1_after = {v.code: v for v in compute(*after)}["K1"]
    assert (k1_after.numerator, k1_after.denominator) == (0, 1)
    # Up to the last clean visit the child was still in child labour.
    k1_before = {v.code: v for v in compute(day(40), day(55))}["K1"]
    assert k1_before.numerator == 1
