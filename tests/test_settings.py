"""Settings come from the environment; a bad value stops start-up with a clear message."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_django(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "PYTEST_CURRENT_TEST")
    }
    for key in (
        "DEBUG",
        "SECRET_KEY",
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(key, None)
    env["DJANGO_READ_DOT_ENV"] = "0"
    # A subprocess reads the primary only: the replica URL names the non-test database.
    env.pop("DATABASE_REPLICA_URL", None)
    env.update(env_overrides)
    cmd = [sys.executable, "manage.py", *(args or ("check",))]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql2://x/y"}, "is not a supported database URL"),
        ({"DEBUG": "1", "CELERY_BROKER_URL": "localhost:6379"}, "is not a broker URL"),
        (
            {"DEBUG": "1", "AXES_FAILURE_LIMIT": "five"},
            "AXES_FAILURE_LIMIT='five' is not a whole number",
        ),
        (
            {"DEBUG": "1", "TRUSTED_PROXY_IPS": "172.18.0.2,proxy.local"},
            "TRUSTED_PROXY_IPS: 'proxy.local' is not an IP address or network",
        ),
        ({"DEBUG": "0"}, "SECRET_KEY is not set"),
        ({"DEBUG": "0", "SECRET_KEY": "short"}, "at least 50 characters"),
    ],
)
def test_it_stops_start_up_with_a_clear_message_on_a_bad_value(env, message):
    result = run_django(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_it_starts_with_defaults_for_a_development_run():
    result = run_django({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_passes_the_deployment_checklist_in_production_mode():
    result = run_django(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "dongnguyen.example.vn",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_speaks_vietnamese_in_the_ward_time_zone(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert ("en", "English") in [(c, str(n)) for c, n in settings.LANGUAGES]
