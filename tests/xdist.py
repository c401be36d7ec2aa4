"""`pytest -n`: names of shared resources made per xdist worker ("gw0", "gw1", …).

The real Celery workers that tests start share one Redis: each test process gets its own
queue (and worker log), so a worker never takes another process's task and runs it against
the wrong test database. Without xdist the names are unchanged."""

import os

XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def per_xdist_worker(name: str) -> str:
    return f"{name}-{XDIST_WORKER}" if XDIST_WORKER else name
