"""The notification centre in the app: list, open (marks read), preferences, month calendar
and the private iCalendar feed (by secret token, no login)."""

import calendar as pycalendar
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongnguyen.permissions import may, permission_required

from . import services
from .calendar import calendar_items, ical_feed
from .channels import render_text
from .models import CalendarFeed, Channel, Kind, Notification, Preference


@login_required
def notification_list(request):
    qs = Notification.objects.for_user(request.user)
    if request.GET.get("chua-doc"):
        qs = qs.unread()
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for n in page:
        n.text = render_text(n)
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_only": bool(request.GET.get("chua-doc")),
            "can_calendar": may(request.user, "calendar.view"),
            "breadcrumbs": [(_("Thông báo"), None)],
        },
    )


@login_required
def bell(request):
    """The unread count in the header, fetched by htmx after the page loads (and every two
    minutes), so no page pays a query for it."""
    unread = Notification.objects.for_user(request.user).unread().count()
    return render(request, "notifications/_bell_count.html", {"unread": unread})


@login_required
def notification_open(request, pk):
    """Mark read and go to the record (the record's own view checks scope again)."""
    n = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(user=request.user, notification=n)
    return redirect(n.link)


@require_POST
@login_required
def notification_read_all(request):
    services.mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
def preferences(request):
    current = {p.kind: p for p in Preference.objects.filter(user=request.user)}
    if request.method == "POST":
        rows = {
            kind: {
                field: f"{kind}-{field}" in request.POST for field in (*Channel.values, "digest")
            }
            for kind in Kind.values
        }
        services.preferences_save(user=request.user, rows=rows)
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("notifications:preferences")
    rows = []
    for kind, label in Kind.choices:
        p = current.get(kind) or Preference(kind=kind)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "fields": [
                    (f"{kind}-{c}", getattr(p, c), label_c) for c, label_c in Channel.choices
                ]
                + [(f"{kind}-digest", p.digest, _("Gộp vào bản tin 7 giờ"))],
            }
        )
    return render(
        request,
        "notifications/preferences.html",
        {
            "rows": rows,
            "channels": Channel.choices,
            "breadcrumbs": [
                (_("Thông báo"), reverse("notifications:list")),
                (_("Cách nhận thông báo"), None),
            ],
        },
    )


def _month(value: str | None) -> date:
    today = timezone.localdate()
    if not value:
        return today.replace(day=1)
    try:
        year, month = (int(x) for x in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@permission_required("calendar.view")
def month_calendar(request):
    first = _month(request.GET.get("thang"))
    days_in_month = pycalendar.monthrange(first.year, first.month)[1]
    last = first.replace(day=days_in_month)
    by_day: dict[date, list] = {}
    for item in calendar_items(request.user, first, last):
        by_day.setdefault(item.day, []).append(item)
    weeks = [
        [{"day": d, "in_month": d.month == first.month, "items": by_day.get(d, [])} for d in week]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    prev_month = (first.replace(day=1) - date.resolution).replace(day=1)
    next_month = last + date.resolution
    feed = CalendarFeed.objects.active().filter(user=request.user).first()
    return render(
        request,
        "notifications/calendar.html",
        {
            "first": first,
            "weeks": weeks,
            "prev": f"{prev_month:%Y-%m}",
            "next": f"{next_month:%Y-%m}",
            "today": timezone.localdate(),
            "feed": feed,
            "new_feed_url": request.session.pop("notifications_new_feed_url", None),
            "breadcrumbs": [(_("Lịch công việc"), None)],
        },
    )


@require_POST
@permission_required("calendar.view")
def feed_issue(request):
    _feed, token = services.feed_issue(user=request.user)
    # Shown once on the next page; only the hash is kept.
    request.session["notifications_new_feed_url"] = request.build_absolute_uri(
        reverse("notifications:feed", args=[token])
    )
    messages.success(
        request, _("Đã tạo địa chỉ lịch mới; địa chỉ cũ (nếu có) không dùng được nữa.")
    )
    return redirect("notifications:calendar")


@require_POST
@permission_required("calendar.view")
def feed_revoke(request):
    services.feed_revoke(user=request.user)
    messages.success(request, _("Đã thu hồi địa chỉ lịch."))
    return redirect("notifications:calendar")


def feed(request, token):
    user = services.feed_user(token)
    if user is None or not may(user, "calendar.view"):
        raise Http404
    response = HttpResponse(ical_feed(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
