"""Database connection settings that the benchmark showed to matter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_runs_without_jit():
    """JIT compiled the KPI statement for 9.6 s to run it in 0.16 s (bench/README.md)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def _serve(handler, path):
    """One request as gunicorn serves it: request_started, the response, then its close()
    (request_finished), where Django closes a connection older than CONN_MAX_AGE."""
    from django.test.client import RequestFactory

    response = handler(RequestFactory().get(path).environ, lambda status, headers: None)
    assert response.status_code == 200
    response.close()
    connection = connections["default"]
    return connection.connection.get_backend_pid() if connection.connection else None


def _settings_value(database_url: str) -> str:
    """CONN_MAX_AGE and CONN_HEALTH_CHECKS as a server with this DATABASE_URL gets them."""
    env = {k: v for k, v in os.environ.items() if k not in ("DB_CONN_MAX_AGE", "PYTEST_VERSION")}
    env.update(DATABASE_URL=database_url, DEBUG="0", SECRET_KEY="x" * 60, DJANGO_READ_DOT_ENV="0")
    code = (
        "from dongnguyen import settings as s; d = s.DATABASES['default'];"
        " print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_a_postgresql_server_keeps_its_connections_and_sqlite_does_not():
    assert _settings_value("postgres://u@127.0.0.1:5432/x") == "60 True"
    assert _settings_value("sqlite:///x.sqlite3") == "0 True"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_connections_are_kept_between_requests():
    """Opening a connection per request cost 3.6 ms and cold catalog caches on every page
    (bench/README.md): with the server's 60 s the connection serves the next request too, and
    with DB_CONN_MAX_AGE=0 it is closed at the end of each."""
    from django.core.handlers.wsgi import WSGIHandler

    connection = connections["default"]
    handler = WSGIHandler()
    original = connection.settings_dict["CONN_MAX_AGE"]
    assert original == 60  # the tests run with the server's setting
    connection.close()  # the age is read when a connection opens
    try:
        first = _serve(handler, "/healthz")
        assert first is not None
        assert _serve(handler, "/healthz") == first
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = 0
        assert _serve(handler, "/healthz") is None  # closed at the end of the request
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = original
        connection.close()
