"""A short, bounded run of scripts/load.py: gunicorn + PostgreSQL, concurrent users, no errors."""

import importlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_serves_20_concurrent_users_for_10_seconds_without_errors(settings):
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
    result = subprocess.run(
        [sys.executable, "scripts/load.py", "--users", "20", "--duration", "10"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Tổng số lỗi: 0" in result.stdout
