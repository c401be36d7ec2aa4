import pytest

from dongnguyen.tasks import ping


def test_it_runs_tasks_in_process_without_a_broker(settings):
    result = ping.delay(21)
    assert result.get(timeout=5)["pong"] == 42


@pytest.mark.celery_worker
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_it_runs_tasks_on_a_real_worker_through_redis(celery_worker_process):
    import os

    result = ping.delay(21)
    payload = result.get(timeout=30)
    assert payload["pong"] == 42
    assert payload["pid"] != os.getpid()  # it really ran in the worker process
