"""The report-due reminder is per ward (issue 12): each ward's officers and leaders hear of
their own ward's due reports only; the province user hears how many wards have not finalized
(a count, nothing else)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from dongnguyen.models import Agency, Ward
from dongnguyen.roles import Role
from dongnguyen.services import user_set_role
from notifications.channels import render_text
from notifications.models import Kind, Notification
from notifications.services import run_pass
from reports.models import Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _user(username, role, ward, agency="vhxh"):
    user = UserFactory(username=username, email=f"{username}@example.org")
    user_set_role(
        user=user,
        role=role,
        agency=Agency.objects.get(code=agency) if agency else None,
        ward=ward,
    )
    return user


@pytest.fixture
def wards(staff):
    first = Ward.first()
    van_ha = Ward.objects.create(code="09412", name="Vân Hà", province_name="Bắc Ninh")
    # A third ward whose half-year report falls due later: not yet in the 10-day window.
    late = Ward.objects.create(
        code="09415", name="Tam Sơn", province_name="Bắc Ninh", report_due_semiannual="28/06"
    )
    _user("cb_vanha", Role.CASE_OFFICER, van_ha)
    _user("ld_vanha", Role.LEADERSHIP, van_ha, agency="ubnd")
    _user("cb_tamson", Role.CASE_OFFICER, late)
    _user("tinh", Role.PROVINCE, None, agency=None)
    return first, van_ha, late


def _report(ward, status, kind="semiannual", period="2026-H1"):
    return Report.objects.create(
        ward=ward,
        kind=kind,
        period=period,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        status=status,
    )


def _got():
    out = {}
    for n in Notification.objects.filter(kind=Kind.REPORT_DUE).select_related("recipient"):
        out.setdefault(n.recipient.username, []).append(n)
    return out


def test_each_ward_is_reminded_of_its_own_report_and_the_province_of_the_count(wards):
    first, van_ha, late = wards
    # Vân Hà has finalized its half-year report; the first ward has a draft only.
    draft = _report(first, Report.Status.READY)
    _report(van_ha, Report.Status.FINALIZED)
    run_pass(datetime(2026, 6, 10, 7, 0, tzinfo=TZ))
    assert run_pass(datetime(2026, 6, 10, 7, 0, tzinfo=TZ))["recorded"] == 0
    got = _got()
    assert set(got) == {"vhxh", "lanhdao", "tinh"}
    (mine,) = got["vhxh"]
    assert mine.link.endswith(f"/{draft.pk}/") and mine.code == "BC-2026-H1"
    # The province: 1 of the 2 wards due by then has not finalized; Tam Sơn is not due yet.
    (province,) = got["tinh"]
    assert province.code == "BC-2026-H1 (1/2)" and province.threshold == "province"
    text = render_text(province)
    assert "BC-2026-H1 (1/2)" in text and "chưa ban hành" in text
    assert first.name not in text  # a count, no ward's records


def test_a_ward_due_later_is_reminded_on_its_own_day_and_a_finalized_one_never(wards):
    first, van_ha, late = wards
    _report(first, Report.Status.FINALIZED)
    _report(van_ha, Report.Status.FINALIZED)
    run_pass(datetime(2026, 6, 18, 7, 0, tzinfo=TZ))  # 28 June is 10 days away
    got = _got()
    assert set(got) == {"cb_tamson", "tinh"}
    assert got["tinh"][0].code == "BC-2026-H1 (1/3)"


def test_no_province_reminder_once_every_ward_has_finalized(wards):
    for ward in wards:
        _report(ward, Report.Status.FINALIZED)
    run_pass(datetime(2026, 6, 18, 7, 0, tzinfo=TZ))
    assert _got() == {}


def test_a_report_past_its_due_day_is_reminded_once_more_to_its_ward_and_the_province(wards):
    """After the due day (20/06 for the first ward and Vân Hà, 28/06 for Tam Sơn), a report
    still not finalized: the ward's officers and leaders once more ("overdue"), and the
    province once per period with the count of wards late; a finalized one, nothing."""
    first, van_ha, late = wards
    _report(van_ha, Report.Status.FINALIZED)
    run_pass(datetime(2026, 6, 22, 7, 0, tzinfo=TZ))
    assert run_pass(datetime(2026, 6, 23, 7, 0, tzinfo=TZ))["recorded"] == 0
    overdue = {
        n.recipient.username: n
        for n in Notification.objects.filter(
            threshold__in=("overdue", "province-overdue")
        ).select_related("recipient")
    }
    # Tam Sơn's day (28/06) has not passed: not late, and not in the province's count yet.
    assert set(overdue) == {"vhxh", "lanhdao", "tinh"}
    assert overdue["vhxh"].code == "BC-2026-H1"
    assert overdue["tinh"].code == "BC-2026-H1 (1/2)"
    text = render_text(overdue["tinh"])
    assert "quá hạn" in text and first.name not in text
    assert "quá hạn" in render_text(overdue["vhxh"])


def test_a_report_long_past_due_or_of_last_year_is_counted_in_the_window(wards):
    first, van_ha, late = wards
    for ward in wards:
        _report(ward, Report.Status.FINALIZED)
    # The annual report of 2026 (due 20/12) not finalized anywhere: late in January 2027.
    run_pass(datetime(2027, 1, 5, 7, 0, tzinfo=TZ))
    got = Notification.objects.filter(threshold="province-overdue").get()
    assert got.code == "BC-2026 (3/3)"
    # Forty days after its due day: no longer reminded (the dashboards show it).
    Notification.objects.all().delete()
    run_pass(datetime(2027, 1, 30, 7, 0, tzinfo=TZ))
    assert not Notification.objects.filter(threshold__in=("overdue", "province-overdue"))


def test_an_ad_hoc_report_past_its_own_due_day_is_reminded_to_its_ward_only(wards):
    first, van_ha, late = wards
    for ward in wards:
        _report(ward, Report.Status.FINALIZED)  # the half-year reports are done
    adhoc = Report.objects.create(
        ward=first,
        kind=Report.Kind.ADHOC,
        period="2026-05-01..2026-05-31",
        period_start=date(2026, 5, 1),
        period_end=date(2026, 5, 31),
        due_on=date(2026, 6, 25),
        status=Report.Status.READY,
    )
    run_pass(datetime(2026, 6, 26, 7, 0, tzinfo=TZ))
    late_ones = Notification.objects.filter(kind=Kind.REPORT_DUE, threshold="overdue")
    assert {n.recipient.username for n in late_ones} == {"vhxh", "lanhdao"}
    assert {n.link for n in late_ones} == {reverse("reports:report_detail", args=[adhoc.pk])}
    # The province counts periodic reports only: nothing about an ad-hoc one.
    assert not Notification.objects.filter(threshold="province-overdue").exists()
    adhoc.status = Report.Status.FINALIZED
    adhoc.save()
    Notification.objects.all().delete()
    run_pass(datetime(2026, 6, 27, 7, 0, tzinfo=TZ))
    assert not Notification.objects.filter(threshold="overdue").exists()
