"""Redis down → pages keep working and the user is told whether the job was queued."""

import time

import pytest
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path

from dongnguyen.celery import app
from dongnguyen.jobs import enqueue
from dongnguyen.tasks import ping
from portal import urls as project_urls

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@login_required
def _start_job(request):
    # The pattern views adopt: enqueue, then tell the user which way it went.
    if enqueue(ping, 1):
        messages.success(request, "Đã xếp hàng công việc.")
    else:
        messages.error(request, "Không gửi được công việc, vui lòng thử lại sau.")
    return redirect("home")


urlpatterns = [path("_thu-cong-viec/", _start_job), *project_urls.urlpatterns]


@pytest.fixture
def broker_down(settings):
    old_url, old_eager = app.conf.broker_url, app.conf.task_always_eager
    old_write = app.conf.get("broker_write_url")
    # Celery resolves the write URL once; both must point at the closed port.
    app.conf.broker_url = app.conf.broker_write_url = CLOSED_PORT_BROKER
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield
    app.conf.broker_url = old_url
    app.conf.broker_write_url = old_write
    app.conf.task_always_eager = old_eager


def test_it_enqueues_in_process_without_a_broker():
    assert enqueue(ping, 2) is True


def test_it_returns_false_quickly_when_the_broker_is_down(broker_down, caplog):
    started = time.monotonic()
    assert enqueue(ping, 2) is False
    assert time.monotonic() - started < 5
    assert "không kết nối được hàng đợi" in caplog.text


@pytest.mark.urls("tests.test_jobs")
def test_it_keeps_pages_working_and_tells_the_user_when_redis_is_down(broker_down, client, officer):
    client.force_login(officer)
    started = time.monotonic()
    response = client.get("/_thu-cong-viec/", follow=True)
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert "Không gửi được công việc, vui lòng thử lại sau." in response.content.decode()
    assert client.get("/").status_code == 200


@pytest.mark.celery_worker
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_it_returns_true_when_redis_and_a_worker_are_up(celery_worker_process):
    assert enqueue(ping, 2) is True
