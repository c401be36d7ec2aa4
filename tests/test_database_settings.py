"""Database connection settings that the benchmark showed to matter."""

import pytest
from django.db import connections


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

    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
    response = handler(environ, lambda status, headers: None)
    assert response.status_code == 200
    response.close()
    connection = connections["default"]
    return connection.connection.get_backend_pid() if connection.connection else None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_connections_are_kept_between_requests(settings):
    """Opening a connection per request cost 3.6 ms and cold catalog caches on every page
    (bench/README.md): the server keeps its connection for the next request, and gives it up
    when told to (DB_CONN_MAX_AGE=0)."""
    from django.core.handlers.wsgi import WSGIHandler

    connection = connections["default"]
    assert connection.settings_dict["CONN_MAX_AGE"] == 60
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    handler = WSGIHandler()
    first = _serve(handler, "/healthz")
    assert first is not None
    assert _serve(handler, "/healthz") == first

    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 0
    try:
        assert _serve(handler, "/healthz") is None  # closed at the end of the request
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 60
        connection.close()
