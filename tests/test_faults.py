"""Faults: a worker killed mid-report, Redis down, two officers saving the same record."""

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from households.models import Household
from imports.models import ImportJob
from imports.tests.helpers import HOUSEHOLD_HEADERS, csv_bytes, household_rows, upload
from reports.models import Report

from .factories import CaseFactory, ChildFactory, HouseholdFactory
from .test_fuzz_forms import fill, page_forms
from .test_jobs import CLOSED_PORT_BROKER
from .xdist import per_xdist_worker


@pytest.fixture
def broker_down(settings):
    """Redis "down": eager off, the broker on a closed port. Afterwards the app's connection
    pools are dropped too, so later tests (real workers) do not inherit the closed port."""
    from dongnguyen.celery import app

    old_url, old_eager = app.conf.broker_url, app.conf.task_always_eager
    old_write = app.conf.get("broker_write_url")
    app.conf.broker_url = app.conf.broker_write_url = CLOSED_PORT_BROKER
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield
    app.conf.broker_url, app.conf.broker_write_url = old_url, old_write
    app.conf.task_always_eager = old_eager
    # Not closed: other references may still hold them; just no longer handed out.
    app._pool = None
    app.amqp._producer_pool = None


ROOT = Path(__file__).resolve().parent.parent


def _messages(response) -> str:
    return response.content.decode()


# --- Redis down ------------------------------------------------------------------------------


# Transactional: the job is handed to Redis when the service's transaction commits, before the
# view reads the outcome, as in production (a captured on_commit would run after the view).
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("broker_down")
def test_it_tells_the_officer_when_a_report_cannot_be_queued(client, officer):
    client.force_login(officer)
    started = time.monotonic()
    response = client.post(
        reverse("reports:report_create"), {"kind": "semiannual", "period": "2026-H1"}
    )
    assert response.status_code == 302
    assert time.monotonic() - started < 10
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Chưa gửi được yêu cầu xử lý" in _messages(page)
    assert page.content.decode().count("Chưa gửi được yêu cầu xử lý") >= 2  # message + status
    # One report row, left failed with the reason and a retry button; no PDF half-made.
    report = Report.objects.get(kind="semiannual", period="2026-H1")
    assert report.status == Report.Status.FAILED
    assert "hàng đợi" in report.error
    assert not report.pdf
    assert "Thử lại" in page.content.decode()


@pytest.mark.usefixtures("broker_down")
def test_it_keeps_a_report_retryable_until_the_queue_is_back(
    client, officer, django_capture_on_commit_callbacks
):
    from dongnguyen.celery import app

    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:report_create"), {"kind": "semiannual", "period": "2026-H1"})
    report = Report.objects.get(kind="semiannual", period="2026-H1")
    app.conf.task_always_eager = True  # the queue is back (in-process here)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_regenerate", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.pdf
    assert Report.objects.filter(kind="semiannual", period="2026-H1").count() == 1


@pytest.mark.usefixtures("broker_down")
def test_it_tells_the_officer_when_a_recompute_cannot_be_queued(client, officer):
    client.force_login(officer)
    response = client.post(reverse("reports:recompute") + "?period=2026-Q1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chưa gửi được yêu cầu tính lại" in body
    assert "hx-get" not in body  # no endless polling for a job that was never queued


@pytest.mark.django_db(transaction=True)
def test_it_leaves_an_import_confirmable_when_it_cannot_be_queued(
    client, officer, group_a, request
):
    client.force_login(officer)
    data = csv_bytes(HOUSEHOLD_HEADERS, household_rows(3))
    response = client.post(
        reverse("imports:upload"), {"kind": "households", "file": upload("ho.csv", data)}
    )
    job = ImportJob.objects.get()
    assert job.can_confirm, job.message or job.errors
    request.getfixturevalue("broker_down")
    response = client.post(reverse("imports:confirm", args=[job.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Chưa gửi được yêu cầu nhập" in _messages(page)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and job.can_confirm
    assert not Household.objects.filter(code__startswith="HGD-000").exists()


@pytest.mark.django_db(transaction=True)
def test_it_marks_a_big_import_failed_when_its_check_cannot_be_queued(
    client, officer, group_a, monkeypatch, request
):
    import imports.views

    monkeypatch.setattr(imports.views, "SYNC_CHECK_BYTES", 10)  # any file is checked by a worker
    request.getfixturevalue("broker_down")
    client.force_login(officer)
    data = csv_bytes(HOUSEHOLD_HEADERS, household_rows(3))
    response = client.post(
        reverse("imports:upload"), {"kind": "households", "file": upload("ho.csv", data)}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Chưa gửi được yêu cầu kiểm tra tệp" in _messages(page)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not job.can_confirm
    assert not Household.objects.filter(code__startswith="HGD-000").exists()


# --- Two officers on the same record ---------------------------------------------------------


def _open_form(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    (form,) = [f for f in page_forms(response.content.decode(), url) if f["url"] == url]
    return form


def _as_post(data: dict) -> dict:
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


def test_it_tells_the_second_officer_that_the_case_changed(officer, leader, client):
    from django.test import Client

    case = CaseFactory()
    url = reverse("children:case_assess", args=[case.pk])
    second = Client()
    form_1 = _open_form(client, officer, url)
    form_2 = _open_form(second, officer, url)

    data_1 = _as_post(fill(form_1, "Nhận định của cán bộ thứ nhất"))
    data_1["risk_level"] = "high"
    assert client.post(url, data_1).status_code == 302

    data_2 = _as_post(fill(form_2, "Nhận định của cán bộ thứ hai"))
    data_2["risk_level"] = "low"
    response = second.post(url, data_2)
    assert response.status_code == 200
    assert "đã được người khác cập nhật" in response.content.decode()
    case.refresh_from_db()
    assert case.risk_level == "high"


@pytest.mark.parametrize(
    ("kind", "field", "first", "second"),
    [
        ("household", "head_name", "Nguyễn Văn Thứ Nhất", "Trần Văn Thứ Hai"),
        ("child", "full_name", "Nguyễn Thị Một", "Nguyễn Thị Hai"),
    ],
)
def test_it_does_not_let_a_second_edit_overwrite_the_first(
    kind, field, first, second, officer, group_a
):
    from django.test import Client

    household = HouseholdFactory(group=group_a)
    if kind == "household":
        obj, url = household, reverse("households:edit", args=[household.pk])
    else:
        obj = ChildFactory(household=household, birth_date=date(2015, 3, 1))
        url = reverse("children:edit", args=[obj.pk])
    a, b = Client(), Client()
    form_a, form_b = _open_form(a, officer, url), _open_form(b, officer, url)
    assert any(f["name"] == "version" for f in form_a["fields"])

    def body(form, value):
        data = _as_post(fill(form, ""))
        values = {f["name"]: f.get("value", "") for f in form["fields"] if f["tag"] == "input"}
        values.update({f["name"]: f["value"] for f in form["fields"] if f["tag"] == "textarea"})
        data.update({k: v for k, v in values.items() if k not in data or not data[k]})
        data[field] = value
        return data

    response = a.post(url, body(form_a, first))
    assert response.status_code == 302, response.context["form"].errors
    response = b.post(url, body(form_b, second))
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    assert "CHƯA được lưu" in response.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == first
    # What the second officer typed is still in the form; saving again is now deliberate.
    assert second in response.content.decode()
    again = response.context["form"].data
    response = b.post(url, {k: again.getlist(k) for k in again})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == second


# --- The worker killed in the middle of a report ---------------------------------------------

# Its own queue: a session worker of other tests (or of another xdist worker) cannot take it.
FAULT_QUEUE = per_xdist_worker("fault-test")


def _worker(app_module, env, log_path, name):
    log = open(log_path, "w")  # noqa: SIM115  (closed with the process by the caller)
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            app_module,
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            FAULT_QUEUE,
            "-n",
            f"{name}-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"worker {name} exited at start-up; see {log_path}")
        if " ready." in Path(log_path).read_text(errors="replace"):
            return proc, log
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"worker {name} not ready within 60 s; see {log_path}")


def _stop(proc, log):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    log.close()


@pytest.mark.celery_worker
@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_redelivers_a_report_whose_worker_was_killed(officer, tmp_path):
    from django.db import connection

    from reports import services
    from reports.tasks import generate_report

    env = dict(os.environ)
    env["DATABASE_URL"] = (
        urlparse(os.environ["DATABASE_URL"])._replace(path="/" + connection.settings_dict["NAME"])
    ).geturl()
    env.setdefault("SECRET_KEY", "x" * 60)
    env.pop("PYTEST_VERSION", None)
    env.update({"DEBUG": "0", "STATIC_MANIFEST": "0", "CELERY_VISIBILITY_TIMEOUT": "5"})
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    # A subprocess reads the primary only: the replica URL names the non-test database.
    env.pop("DATABASE_REPLICA_URL", None)
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    marker = tmp_path / "taken"

    report = services.report_request(kind="semiannual", period="2026-H1", by=officer, enqueue=False)
    slow, slow_log = _worker(
        "tests.slow_celery",
        {**env, "FAULT_TEST_MARKER": str(marker)},
        artifacts / (per_xdist_worker("fault-worker-killed") + ".log"),
        "killed",
    )
    try:
        # A connection of its own: an earlier test may have left the app's pool pointing at
        # the closed port it used to play "Redis down".
        with generate_report.app.connection_for_write() as conn:
            generate_report.apply_async(args=[report.pk], queue=FAULT_QUEUE, connection=conn)
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), "the worker never started the report task"
        taken = time.monotonic()
        os.kill(slow.pid, signal.SIGKILL)  # mid-task: the message is taken but not acked
        slow.wait(timeout=10)
    finally:
        _stop(slow, slow_log)
    # Redis gives the message back once the visibility timeout (5 s here) has passed; a worker
    # looks for such messages when it starts, then only every ~100 s (kombu's throttle), so
    # the new worker starts after the timeout, as a restarted worker would in production.
    time.sleep(max(0.0, 6.5 - (time.monotonic() - taken)))
    report.refresh_from_db()
    assert report.status == Report.Status.GENERATING and not report.pdf

    fresh_log_path = artifacts / (per_xdist_worker("fault-worker-fresh") + ".log")
    fresh, fresh_log = _worker("dongnguyen", env, fresh_log_path, "fresh")
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.status != Report.Status.GENERATING:
                break
            time.sleep(0.5)
    finally:
        _stop(fresh, fresh_log)
    assert report.status == Report.Status.READY, report.error
    assert Report.objects.filter(kind="semiannual", period="2026-H1").count() == 1
    pdf = Path(env["MEDIA_ROOT"]) / report.pdf.name
    assert pdf.read_bytes().startswith(b"%PDF")
    assert fresh_log_path.read_text().count("succeeded") == 1
