"""Test-suite wiring: which external services are here, and what that means for the tests.

Tests that need PostgreSQL, Redis (with a real Celery worker) or Chromium carry a marker.
Where a service is missing they are skipped, and the end of the run says plainly what was
skipped and why. Under CI (CI=true) nothing may be skipped: a missing service fails the run.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.xdist import per_xdist_worker

ROOT = Path(__file__).resolve().parent
pytest_plugins = ["tests.fixtures"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _redis_up(url: str) -> bool:
    if not url.startswith("redis"):
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 1):
            return True
    except OSError:
        return False


def _services() -> dict[str, str | None]:
    """Marker name → None if available, else the reason it is not."""
    db_url = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    reasons: dict[str, str | None] = {}
    reasons["postgres"] = (
        None
        if db_url.startswith(("postgres", "pgsql", "psql"))
        else ("không có PostgreSQL (đặt DATABASE_URL=postgres://...)")
    )
    if not broker:
        redis_reason = "không có Redis (đặt CELERY_BROKER_URL=redis://127.0.0.1:6379/0)"
    elif not _redis_up(broker):
        redis_reason = f"Redis không trả lời tại {broker}"
    else:
        redis_reason = None
    reasons["redis"] = redis_reason
    reasons["celery_worker"] = redis_reason or reasons["postgres"]
    replica = os.environ.get("DATABASE_REPLICA_URL", "")
    reasons["replica"] = (
        None
        if replica.startswith(("postgres", "pgsql", "psql")) and not reasons["postgres"]
        else (
            "không có bản sao PostgreSQL (chạy /work/shared/tools/pg-standby start 5433 và đặt "
            "DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/<tên CSDL>)"
        )
    )
    try:
        import playwright  # noqa: F401

        have_pw = True
    except ImportError:
        have_pw = False
    if not Path(chromium).exists() and not shutil.which("chromium"):
        reasons["browser"] = "không có Chromium (apt-get install -y chromium)"
    elif not have_pw:
        reasons["browser"] = "chưa cài Playwright (pip install playwright)"
    else:
        reasons["browser"] = None
    try:
        import schemathesis  # noqa: F401

        reasons["schemathesis"] = None
    except ImportError:
        reasons["schemathesis"] = "chưa cài schemathesis (make install)"
    return reasons


SERVICES = _services()
_skipped: dict[str, int] = {}


def pytest_configure(config):
    # Before any task is sent (Celery caches its queues): under `pytest -n` every test process
    # sends to, and its real worker reads, a queue of its own ("celery-gw0", …).
    from dongnguyen.celery import app

    app.conf.task_default_queue = per_xdist_worker(app.conf.task_default_queue)


def pytest_collection_modifyitems(config, items):
    missing = []
    for item in items:
        for marker, reason in SERVICES.items():
            if reason and item.get_closest_marker(marker):
                if IN_CI:
                    missing.append(f"{item.nodeid}: {reason}")
                else:
                    item.add_marker(pytest.mark.skip(reason=f"[{marker}] {reason}"))
                    _skipped[marker] = _skipped.get(marker, 0) + 1
                break
    if missing:
        raise pytest.UsageError(
            "CI=true: these tests need a service that is missing (nothing may be skipped):\n  "
            + "\n  ".join(missing[:20])
        )


def pytest_terminal_summary(terminalreporter):
    if not _skipped:
        return
    terminalreporter.section("Các bài kiểm thử đã bỏ qua / skipped")
    for marker, count in _skipped.items():
        terminalreporter.write_line(f"  {count} test(s) [{marker}]: {SERVICES[marker]}")
    terminalreporter.write_line("  Chạy lại với dịch vụ tương ứng để kiểm thử đầy đủ (xem README).")


@pytest.fixture(autouse=True)
def _celery_eager(request, settings):
    """Tasks run in-process unless a test asks for the real worker."""
    from dongnguyen.celery import app

    eager = request.node.get_closest_marker("celery_worker") is None
    old = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    yield
    app.conf.task_always_eager = old


@pytest.fixture(autouse=True)
def _replica_reads(request, settings):
    """Only the tests about the replica read from it: any other test that reads right after
    its own commit would race the replication."""
    settings.REPLICA_READS = request.node.get_closest_marker("replica") is not None


@pytest.fixture(autouse=True)
def _no_pending_kpi_recompute():
    """Every test starts with no change waiting for a KPI recompute. The mark (reports.freshness,
    in the process's cache) outlives the test that wrote: past its 120 s debounce a later test's
    dashboard recomputed the current periods itself, so what it showed depended on how long the
    worker had been running (two quarters expected, four shown)."""
    from reports import freshness

    freshness.clear()
    yield


@pytest.fixture(autouse=True)
def _holidays_read_again():
    """The holidays are cached (dongnguyen.workdays); a test's own holidays are rolled back
    with its transaction, the cache would keep them for the next test."""
    from dongnguyen.workdays import forget_holidays

    forget_holidays()
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _content_types_cached(request, _holidays_read_again):
    """A query-count test counts its page's queries, not the filling of Django's content-type
    cache (per process, emptied by every flush) that the access log reads, nor of the ward
    cache or the holidays: fill them first, so the count does not depend on which test ran
    before in the same worker."""
    if "django_assert_num_queries" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_models(*apps.get_models())
    # Likewise the ward cache (Ward.cached): every page names the user's ward, read once per
    # process; the wards made by the migrations are cached before the count starts.
    from dongnguyen.models import Ward

    for ward in Ward.objects.all():
        Ward.cached(ward.pk)
    # And the holidays (dongnguyen.workdays.all_holidays), read by every deadline page.
    from dongnguyen.workdays import all_holidays

    all_holidays()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real `celery worker` process against Redis, using the test database, on a queue of
    this test process only; the files it writes go to `proc.media_root`."""
    from django.db import connection

    from dongnguyen.celery import app

    env = dict(os.environ)
    name = connection.settings_dict["NAME"]
    db_url = os.environ["DATABASE_URL"]
    parsed = urlparse(db_url)
    env["DATABASE_URL"] = parsed._replace(path="/" + name).geturl()
    env.setdefault("SECRET_KEY", "x" * 60)
    env.pop("PYTEST_VERSION", None)
    env["DEBUG"] = "0"
    # A subprocess reads the primary only: the replica URL names the non-test database.
    env.pop("DATABASE_REPLICA_URL", None)
    env["STATIC_MANIFEST"] = "0"
    media_root = tmp_path_factory.mktemp("worker-media")
    env["MEDIA_ROOT"] = str(media_root)
    queue = app.conf.task_default_queue  # per xdist worker (pytest_configure)
    node = f"test-{os.getpid()}@{socket.gethostname()}"
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    log_name = per_xdist_worker("celery-worker") + ".log"
    log = open(ROOT / "test-artifacts" / log_name, "w")  # noqa: SIM115
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dongnguyen",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "-n",
            node,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"the Celery worker exited at start-up; see test-artifacts/{log_name}"
            )
        # Only this process's worker counts: another test process's may be up on the same Redis.
        replies = app.control.ping(destination=[node], timeout=1)
        if replies:
            break
    else:
        proc.terminate()
        raise RuntimeError("the Celery worker did not answer within 60 s")
    proc.media_root = media_root
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(autouse=True)
def _vietnamese_after_each_test():
    """A page that switched the language (set_language, ?lang) leaves it active in the
    thread; the next test starts in Vietnamese again, as every request without a choice does."""
    yield
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
