"""Retrying an import whose worker died ("running" for ever, nothing saved) or that failed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dongnguyen.errors import ServiceError
from households.models import Household
from imports import services
from imports.models import ImportJob
from imports.services import import_job_create, import_job_run

from .helpers import HOUSEHOLD_HEADERS, household_rows, xlsx_bytes


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def _stuck_job(officer, minutes_ago):
    """A confirmed import whose worker was killed mid-run: its transaction rolled back."""
    job = import_job_create(
        kind="households",
        name="ho.xlsx",
        data=xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(3)),
        user=officer,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status="running",
        confirmed_by=officer,
        count_new=3,
        total_rows=3,
        run_started_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )
    job.refresh_from_db()
    return job


def test_it_offers_a_retry_for_a_job_stuck_running_and_imports_on_retry(
    officer_client, officer, group_a, django_capture_on_commit_callbacks, settings
):
    settings.IMPORT_STALE_MINUTES = 30
    job = _stuck_job(officer, minutes_ago=45)
    page = officer_client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert reverse("imports:retry", args=[job.pk]) in page and "Thử lại" in page
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("imports:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.count_new == 3
    assert Household.objects.count() == 3


def test_it_does_not_offer_a_retry_while_a_job_may_still_be_running(
    officer_client, officer, group_a, settings
):
    settings.IMPORT_STALE_MINUTES = 30
    job = _stuck_job(officer, minutes_ago=5)
    page = officer_client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert reverse("imports:retry", args=[job.pk]) not in page
    response = officer_client.post(reverse("imports:retry", args=[job.pk]), follow=True)
    assert "chưa thể thử lại" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "running" and Household.objects.count() == 0


def test_it_retries_a_failed_import_once_the_registers_allow_it(
    officer_client, officer, group_a, django_capture_on_commit_callbacks
):
    job = _stuck_job(officer, minutes_ago=0)
    ImportJob.objects.filter(pk=job.pk).update(status="failed", message="Lỗi khi ghi dữ liệu")
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("imports:retry", args=[job.pk]), follow=True)
    assert "Đã xếp lại lần nhập" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "done" and job.message == "" and Household.objects.count() == 3


def test_it_refuses_a_retry_of_a_finished_import(officer, group_a):
    job = _stuck_job(officer, minutes_ago=60)
    ImportJob.objects.filter(pk=job.pk).update(status="done")
    with pytest.raises(ServiceError, match="chưa thể thử lại"):
        services.import_job_retry(job=job, by=officer)


def test_it_saves_nothing_from_a_run_whose_job_was_queued_again(officer, group_a, monkeypatch):
    """A slow worker thought dead: when it reaches the write, its lease is gone."""
    job = _stuck_job(officer, minutes_ago=60)
    ImportJob.objects.filter(pk=job.pk).update(status="queued")
    real_plan = services._plan

    def plan_then_retry(job_, **kwargs):
        importer = real_plan(job_, **kwargs)
        # Meanwhile the officer retried: a new lease.
        ImportJob.objects.filter(pk=job_.pk).update(
            status="queued", run_started_at=timezone.now() + dt.timedelta(seconds=1)
        )
        return importer

    monkeypatch.setattr(services, "_plan", plan_then_retry)
    job = import_job_run(job=job)
    assert Household.objects.count() == 0
    assert job.status == "queued"  # left for the retried run


def _stuck_check(officer, minutes_ago):
    """An upload whose check died (a worker killed by a huge file): "checking" for ever."""
    job = import_job_create(
        kind="households",
        name="ho.xlsx",
        data=xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(3)),
        user=officer,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    job.refresh_from_db()
    return job


def test_it_offers_a_retry_for_a_job_stuck_checking_and_checks_it_again(
    officer_client, officer, group_a, django_capture_on_commit_callbacks, settings
):
    settings.IMPORT_STALE_MINUTES = 30
    job = _stuck_check(officer, minutes_ago=45)
    assert job.status == "checking"
    page = officer_client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert reverse("imports:retry", args=[job.pk]) in page and "Kiểm tra lại toàn bộ" in page
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("imports:retry", args=[job.pk]))
    job.refresh_from_db()
    # Checked, not imported: it was never confirmed, so the officer confirms the preview.
    assert job.status == "previewed" and job.count_new == 3 and job.can_confirm
    assert job.confirmed_by is None and Household.objects.count() == 0


def test_it_does_not_offer_a_retry_while_a_check_may_still_be_running(
    officer_client, officer, settings
):
    settings.IMPORT_STALE_MINUTES = 30
    job = _stuck_check(officer, minutes_ago=5)
    assert not job.can_retry()
    with pytest.raises(ServiceError, match="chưa thể thử lại"):
        services.import_job_retry(job=job, by=officer)


def test_it_retries_a_stale_queued_job(officer, group_a, settings):
    settings.IMPORT_STALE_MINUTES = 30
    job = _stuck_job(officer, minutes_ago=45)
    ImportJob.objects.filter(pk=job.pk).update(status="queued")
    job.refresh_from_db()
    assert job.can_retry()
    job = _stuck_job(officer, minutes_ago=5)
    ImportJob.objects.filter(pk=job.pk).update(status="queued")
    job.refresh_from_db()
    assert not job.can_retry()


def test_it_checks_again_a_failed_check_instead_of_importing_it(
    officer, group_a, django_capture_on_commit_callbacks
):
    """A check the broker refused is "failed" but was never confirmed: no import behind the
    officer's back."""
    job = _stuck_check(officer, minutes_ago=0)
    ImportJob.objects.filter(pk=job.pk).update(
        status="failed", message=str(services.QUEUE_DOWN_CHECK)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_retry(job=job, by=officer)
    job.refresh_from_db()
    assert job.status == "previewed" and job.message == "" and Household.objects.count() == 0


def test_it_drops_the_result_of_a_check_whose_job_was_retried_meanwhile(
    officer, group_a, monkeypatch
):
    job = _stuck_check(officer, minutes_ago=60)
    real_plan = services._plan

    def plan_then_retry(job_, **kwargs):
        importer = real_plan(job_, **kwargs)
        ImportJob.objects.filter(pk=job_.pk).update(run_started_at=timezone.now())
        return importer

    monkeypatch.setattr(services, "_plan", plan_then_retry)
    job = services.import_job_check(job=job)
    assert job.status == "checking"  # left for the retried check


def test_it_marks_a_check_that_crashes_as_failed_and_retryable(officer, group_a, monkeypatch):
    job = _stuck_check(officer, minutes_ago=0)

    def boom(job_, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "_plan", boom)
    job = services.import_job_check(job=job)
    job.refresh_from_db()
    assert job.status == "failed" and "Lỗi khi kiểm tra tệp" in job.message and job.can_retry()
