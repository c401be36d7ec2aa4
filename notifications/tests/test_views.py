"""The bell, the list, mark read, preferences."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from children.models import Case
from notifications.models import Kind, Notification, Preference

pytestmark = pytest.mark.django_db


def note(user, code="HS-00001", **kw):
    return Notification.objects.create(
        recipient=user,
        kind=kw.pop("kind", Kind.ASSESS_DUE),
        content_type=ContentType.objects.get_for_model(Case),
        object_id=kw.pop("object_id", "1"),
        threshold=kw.pop("threshold", "8h"),
        code=code,
        link=kw.pop("link", "/tre-em/ho-so/1/"),
        **kw,
    )


def login(client, user):
    client.force_login(user)


def test_it_shows_the_unread_count_in_the_bell(client, officer, leader):
    note(officer)
    note(officer, threshold="12h")
    note(leader)
    login(client, officer)
    page = client.get(reverse("home")).content.decode()
    assert 'id="notification-bell"' in page and reverse("notifications:bell") in page
    count = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-unread="2"' in count


def test_it_lists_only_my_notifications_and_opening_one_marks_it_read(client, officer, leader):
    mine = note(officer, code="HS-00007", link="/tre-em/ho-so/7/")
    other = note(leader, code="HS-00009")
    login(client, officer)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "HS-00007" in page and "HS-00009" not in page
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/tre-em/ho-so/7/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_it_marks_all_read(client, officer, leader):
    note(officer)
    note(officer, threshold="12h")
    theirs = note(leader)
    login(client, officer)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_saves_preferences(client, officer):
    login(client, officer)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="assess_due-email"' in page and "checked" in page
    client.post(
        reverse("notifications:preferences"),
        {"assess_due-sms": "on", "assess_due-email": "on", "assess_due-digest": "on"},
    )
    pref = Preference.objects.get(user=officer, kind=Kind.ASSESS_DUE)
    assert (pref.email, pref.sms, pref.zalo, pref.digest) == (True, True, False, True)
    # Every kind unticked except those: email off for the others.
    assert Preference.objects.get(user=officer, kind=Kind.PLAN_DUE).channels() == []


def test_the_admin_shows_deliveries_and_sends_failed_ones_again(client, officer, django_user_model):
    from notifications.models import Delivery

    n = note(officer)
    d = Delivery.objects.create(
        notification=n,
        channel="email",
        key=f"{n.key}:email",
        status="gave_up",
        attempts=5,
        error="SMTPServerDisconnected: down",
    )
    admin = django_user_model.objects.create_superuser("quantri", "q@example.invalid", "x")
    client.force_login(admin)
    page = client.get(reverse("admin:notifications_delivery_changelist")).content.decode()
    assert d.key in page
    client.post(
        reverse("admin:notifications_delivery_changelist"),
        {"action": "retry", "_selected_action": [d.pk]},
    )
    d.refresh_from_db()
    assert (d.status, d.attempts) == ("pending", 0)
