"""A household's ward kept by the database (issue 19): ward-led lists and searches.

Household.ward (already copied from the group by save() for the per-ward code check) is now
also set by a trigger on every insert and update from the group, and rewritten when a group
moves to another ward, so that no write path (bulk_create, COPY, QuerySet.update, the admin)
leaves it stale. PostgreSQL: a BEFORE row trigger; SQLite: AFTER triggers that update the
row. The ward's trigram index (ward_id, search_name) needs btree_gin (PostgreSQL only).
"""

import django.db.models.functions.text
from django.db import migrations, models

PG_FORWARD = [
    # The backfill's foreign-key checks now, not at commit: CREATE INDEX refuses a table
    # with pending trigger events.
    "SET CONSTRAINTS ALL IMMEDIATE",
    """
    CREATE OR REPLACE FUNCTION households_household_set_ward() RETURNS trigger AS $$
    BEGIN
        SELECT g.ward_id INTO NEW.ward_id
        FROM households_residentialgroup g WHERE g.id = NEW.group_id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER households_household_set_ward
    BEFORE INSERT OR UPDATE OF group_id, ward_id ON households_household
    FOR EACH ROW EXECUTE FUNCTION households_household_set_ward()
    """,
    """
    CREATE OR REPLACE FUNCTION households_group_moves_ward() RETURNS trigger AS $$
    BEGIN
        UPDATE households_household SET ward_id = NEW.ward_id WHERE group_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER households_group_moves_ward
    AFTER UPDATE ON households_residentialgroup
    FOR EACH ROW WHEN (OLD.ward_id IS DISTINCT FROM NEW.ward_id)
    EXECUTE FUNCTION households_group_moves_ward()
    """,
    "UPDATE households_household h SET ward_id = g.ward_id FROM households_residentialgroup g"
    " WHERE g.id = h.group_id AND h.ward_id IS DISTINCT FROM g.ward_id",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX IF NOT EXISTS household_ward_search_trgm ON households_household"
    " USING gin (ward_id, search_name gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS household_ward_search_trgm",
    "DROP TRIGGER IF EXISTS households_group_moves_ward ON households_residentialgroup",
    "DROP FUNCTION IF EXISTS households_group_moves_ward()",
    "DROP TRIGGER IF EXISTS households_household_set_ward ON households_household",
    "DROP FUNCTION IF EXISTS households_household_set_ward()",
]

_GROUP_WARD = "(SELECT g.ward_id FROM households_residentialgroup g WHERE g.id = NEW.group_id)"
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER households_household_ward_ins AFTER INSERT ON households_household
    FOR EACH ROW WHEN NEW.ward_id IS NOT {_GROUP_WARD}
    BEGIN
        UPDATE households_household SET ward_id = {_GROUP_WARD} WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER households_household_ward_upd
    AFTER UPDATE OF group_id, ward_id ON households_household
    FOR EACH ROW WHEN NEW.ward_id IS NOT {_GROUP_WARD}
    BEGIN
        UPDATE households_household SET ward_id = {_GROUP_WARD} WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER households_group_moves_ward
    AFTER UPDATE OF ward_id ON households_residentialgroup
    FOR EACH ROW WHEN OLD.ward_id IS NOT NEW.ward_id
    BEGIN
        UPDATE households_household SET ward_id = NEW.ward_id WHERE group_id = NEW.id;
    END
    """,
    "UPDATE households_household SET ward_id = (SELECT g.ward_id FROM"
    " households_residentialgroup g WHERE g.id = households_household.group_id)",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS households_group_moves_ward",
    "DROP TRIGGER IF EXISTS households_household_ward_upd",
    "DROP TRIGGER IF EXISTS households_household_ward_ins",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("dongnguyen", "0006_ward"),
        ("households", "0009_householdscreening"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="household",
            name="household_search_order_idx",
        ),
        migrations.AddIndex(
            model_name="household",
            index=models.Index(
                models.F("ward"),
                django.db.models.functions.text.Lower("search_name"),
                models.F("code"),
                name="household_ward_search_idx",
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
