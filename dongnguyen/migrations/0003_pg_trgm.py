"""Trigram indexes for the diacritics-insensitive name search (PostgreSQL only).

search_name holds the normalized name ("nguyen van an"); search filters it with
`search_name LIKE '%…%'`, which a b-tree cannot serve but a GIN trigram index can. SQLite
(development, tests) needs nothing: this migration does nothing there.
"""

from django.db import migrations

INDEXES = [
    ("children_child", "children_child_search_name_trgm"),
    ("households_household", "households_household_search_name_trgm"),
    ("inspections_business", "inspections_business_search_name_trgm"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_name gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0004_special_groups"),
        ("households", "0001_initial"),
        ("inspections", "0001_initial"),
        ("dongnguyen", "0002_roles_agencies_holidays"),
    ]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]
