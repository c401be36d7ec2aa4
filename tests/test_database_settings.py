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
