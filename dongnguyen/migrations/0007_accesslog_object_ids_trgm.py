"""A trigram index on the access log's `object_ids` (PostgreSQL only).

A child's page lists who looked at the child: `AccessLog.objects.about(child, …)` filters
`object_ids LIKE '%,17,%'` (the lists and searches that showed the child), which a b-tree cannot
serve. With 500,000 log rows (a year of a province's lists) the child page took 446 ms, 76 ms
with this index (measured, bench/README.md). SQLite needs nothing.
"""

from django.db import migrations

NAME = "dongnguyen_accesslog_object_ids_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON dongnguyen_accesslog "
        "USING gin (object_ids gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("dongnguyen", "0006_ward")]

    operations = [migrations.RunPython(create, drop)]
