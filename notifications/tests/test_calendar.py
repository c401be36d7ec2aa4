"""The private iCalendar feed and the month page."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import Case
from notifications.models import CalendarFeed
from notifications.services import feed_issue
from tests.factories import CaseFactory, ChildFactory, InspectionFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_it_serves_a_valid_feed_of_codes_and_times_only_by_its_token(client, officer):
    today = timezone.localdate()
    child = ChildFactory(full_name="Đặng Thị Kín Tên")
    case = CaseFactory(child=child, received_at=timezone.now(), status=Case.Status.RECEIVED)
    InspectionFactory(date=None, planned_on=today, status="planned")
    _feed, token = feed_issue(user=officer)
    response = client.get(reverse("notifications:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "Kín Tên" not in body and "Xưởng gỗ" not in body
    cal = icalendar.Calendar.from_ical(response.content)
    summaries = sorted(str(e["summary"]) for e in cal.walk("VEVENT"))
    code = f"HS-{case.pk:05d}"
    assert f"Hạn đánh giá ban đầu: {code}" in summaries
    assert f"Hạn xây dựng kế hoạch: {code}" in summaries
    assert any(s.startswith("Kiểm tra theo kế hoạch: KT-") for s in summaries)
    assert CalendarFeed.objects.get(user=officer).last_used_at is not None


def test_it_needs_a_live_token(client, officer, finance):
    assert client.get(reverse("notifications:feed", args=["sai-ma"])).status_code == 404
    _feed, old = feed_issue(user=officer)
    _feed, new = feed_issue(user=officer)  # a new address revokes the old one
    assert client.get(reverse("notifications:feed", args=[old])).status_code == 404
    assert client.get(reverse("notifications:feed", args=[new])).status_code == 200
    client.force_login(officer)
    client.post(reverse("notifications:feed_revoke"))
    assert client.get(reverse("notifications:feed", args=[new])).status_code == 404
    # A role with no calendar gets nothing even with a token.
    _feed, token = feed_issue(user=finance)
    assert client.get(reverse("notifications:feed", args=[token])).status_code == 404


def test_the_token_is_shown_once_and_only_its_hash_kept(client, police):
    client.force_login(police)
    client.post(reverse("notifications:feed_issue"))
    page = client.get(reverse("notifications:calendar")).content.decode()
    feed = CalendarFeed.objects.get(user=police)
    start = page.index("/thong-bao/lich/", page.index('id="feed-url"')) + len("/thong-bao/lich/")
    token = page[start : page.index(".ics", start)]
    assert token not in feed.token_hash and len(feed.token_hash) == 64
    assert (
        "/thong-bao/lich/" + token
        not in client.get(reverse("notifications:calendar")).content.decode()
    )
    assert client.get(reverse("notifications:feed", args=[token])).status_code == 200


def test_the_month_page_shows_inspections_and_follow_ups(client, police):
    insp = InspectionFactory(date=date(2026, 3, 10), status="done")
    client.force_login(police)
    page = client.get(reverse("notifications:calendar"), {"thang": "2026-03"}).content.decode()
    assert f"KT-{insp.pk:05d}" in page
    assert reverse("inspections:inspection_detail", args=[insp.pk]) in page
    other = client.get(reverse("notifications:calendar"), {"thang": "2026-04"}).content.decode()
    assert f"KT-{insp.pk:05d}" not in other


def test_deadlines_are_timed_events(officer):
    from notifications.calendar import calendar_items

    case = CaseFactory(received_at=datetime(2026, 3, 10, 9, 0, tzinfo=TZ))
    items = {i.uid: i for i in calendar_items(officer, date(2026, 3, 1), date(2026, 3, 31))}
    assert items[f"assess-{case.pk}"].start == datetime(2026, 3, 10, 21, 0, tzinfo=TZ)
    assert items[f"plan-{case.pk}"].day == date(2026, 3, 17)
