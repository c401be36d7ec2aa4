"""A short, bounded run of scripts/load.py: gunicorn + PostgreSQL, concurrent users, no errors."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parent.parent


def run_load(settings, *args):
    """scripts/load.py with `args` against the test database, the demo accounts seeded."""
    from django.apps import apps
    from django.db import connection

    from portal import demo

    # An earlier transactional test may have flushed the rows the data migration made
    # (roles, agencies): put them back (it is idempotent).
    seed_roles = importlib.import_module("dongnguyen.migrations.0002_roles_agencies_holidays")
    with connection.schema_editor() as editor:
        seed_roles.forwards(apps, editor)

    # gunicorn runs with production settings, which do not know the suite's fast test hasher.
    settings.PASSWORD_HASHERS = django_settings.PRODUCTION_PASSWORD_HASHERS
    demo.seed(demo.new_context())

    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    url = urlparse(os.environ["DATABASE_URL"])
    env["DATABASE_URL"] = url._replace(path="/" + connection.settings_dict["NAME"]).geturl()
    env.pop("DATABASE_REPLICA_URL", None)  # the subprocess reads the primary only
    return subprocess.run(
        [sys.executable, "scripts/load.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_serves_20_concurrent_users_for_10_seconds_without_errors(settings):
    result = run_load(settings, "--users", "20", "--duration", "10")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Tổng số lỗi: 0" in result.stdout


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_users_pause_between_pages_and_arrive_one_after_another(settings):
    users, duration, think, ramp = 5, 4, 1, 8
    result = run_load(
        settings,
        *("--users", str(users), "--duration", str(duration)),
        *("--think", str(think), "--ramp", str(ramp)),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"nghĩ {think} giây, vào dần {ramp} giây" in result.stdout
    # User i starts at i × ramp / users (0, 1.6, 3.2, 4.8, 6.4 s): only the first three start
    # (and sign in) before the end.
    started = sum(1 for i in range(users) if i * ramp / users < duration)
    assert re.search(rf"^login +{started} ", result.stdout, re.MULTILINE), result.stdout
    # At least half the think time between two pages: at most 2 + duration / (think / 2)
    # requests per user (the login form and the sign-in, then the pages).
    total = int(re.search(r"(\d+) yêu cầu", result.stdout).group(1))
    assert 0 < total <= started * (2 + duration / (think / 2)), result.stdout
