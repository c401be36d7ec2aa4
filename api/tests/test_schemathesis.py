"""Schemathesis against the live OpenAPI schema (/api/v1/schema/) of the running app, called
through its WSGI handler with an officer's personal token: every operation, a few generated
requests each; any 5xx or any answer that breaks the schema fails the test. The numbers of
operations and requests are printed (and written to SCHEMATHESIS_REPORT when set)."""

import json
import os

import pytest

from tests.test_access_matrix import make_world

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "3"))


@pytest.fixture
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, as in production;
    inside the test's transaction it must stay open (django.test.Client does the same)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_operation_of_the_live_schema(
    api_for, personas, group_a, group_b, officer, settings, _keep_the_test_connection
):
    import hypothesis
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, Phase
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    from api.models import ApiToken

    settings.API_RATE_PER_HOUR = 10**6  # the throttle is tested elsewhere
    make_world(group_a, group_b, officer)  # records for the generated ids to find
    _token, key = ApiToken.issue(user=officer, name="schemathesis", days=1)
    auth = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", get_wsgi_application(), headers=auth
    )
    operations, requests, failures = 0, 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            nonlocal requests
            requests += 1
            response = case.call(headers=auth)
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance]
            )

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # one failure must not hide the others
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])
    summary = {"operations": operations, "requests": requests, "failures": len(failures)}
    print(f"\nschemathesis: {json.dumps(summary)}")
    if os.environ.get("SCHEMATHESIS_REPORT"):
        with open(os.environ["SCHEMATHESIS_REPORT"], "w") as out:
            json.dump({**summary, "details": failures}, out, ensure_ascii=False, indent=1)
    assert operations >= 60, summary  # the whole API, not an empty schema
    assert not failures, "\n\n".join(failures)
