"""Dashboard numbers at most 5 minutes stale after a change: writes mark the snapshots stale,
a burst of writes queues one recompute, the dashboard recomputes when a worker is missing."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from children.services import child_set_risk
from dongnguyen.events import announce
from reports import freshness, tasks
from reports.models import KpiSnapshot
from tests.factories import ChildFactory


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_it_marks_the_snapshots_stale_once_a_service_write_commits(
    db, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        child = ChildFactory()
    cache.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        child_set_risk(child=child, by=officer, at_risk=True, risk_factors="Làm mộc")
    assert freshness.stale_since() is None  # not before the commit
    for callback in callbacks:
        callback()
    assert freshness.stale_since() is not None


def test_it_queues_one_delayed_recompute_for_a_burst_of_writes(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(tasks.snapshot_current_periods.app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks.snapshot_current_periods, "apply_async", lambda **kw: sent.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            announce("children.Child")
    assert sent == [{"countdown": freshness.DEBOUNCE, "retry": False}]


def test_it_recomputes_on_the_dashboard_only_once_the_change_has_waited(db, ward):
    now = timezone.now().timestamp()
    cache.set(freshness.STALE_KEY, now - 10, None)
    assert freshness.refresh_if_due() is False
    assert not KpiSnapshot.objects.exists()

    cache.set(freshness.STALE_KEY, now - freshness.DEBOUNCE - 1, None)
    assert freshness.refresh_if_due() is True
    assert KpiSnapshot.objects.exists()
    assert freshness.stale_since() is None  # the recompute cleared the mark


def test_it_shows_a_recent_change_on_the_dashboard_when_due(client, ward, officer):
    cache.set(freshness.STALE_KEY, timezone.now().timestamp() - 3600, None)
    client.force_login(officer)
    assert client.get("/").status_code == 200
    from django.urls import reverse

    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert KpiSnapshot.objects.exists()
    assert freshness.stale_since() is None
