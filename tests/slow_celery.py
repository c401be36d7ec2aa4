"""The project's Celery app for the worker-killed fault test (tests/test_faults.py).

A report task stops at its start (after the worker took it from Redis, before any work) and
waits, so the test can SIGKILL the worker in the middle of it. Nothing here is imported by the
project itself."""

import os
import time
from pathlib import Path

from celery.signals import task_prerun

from dongnguyen.celery import app

__all__ = ["app"]

MARKER = os.environ.get("FAULT_TEST_MARKER", "")


@task_prerun.connect
def _hold_report(sender=None, task_id=None, **kwargs):
    if MARKER and sender is not None and sender.name == "reports.tasks.generate_report":
        Path(MARKER).write_text(task_id or "")
        time.sleep(120)
