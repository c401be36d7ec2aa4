"""A child's and a case's ward kept by the database (issue 19): ward-led lists and searches.

Child.ward is the ward of the child's household and Case.ward the ward of the case's child.
Database triggers keep them (PostgreSQL: BEFORE row triggers; SQLite: AFTER triggers that
update the row): set on every insert and update, rewritten when a household changes group or
ward (households 0010), when a child changes household (a transfer) and when a child's ward
changes (its cases follow). Every write path (save, bulk_create, COPY, QuerySet.update, the
admin) gets the same value; Python never sets these columns.

PostgreSQL also gets the ward's trigram index (ward_id, search_name) through btree_gin.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models

# PostgreSQL: the propagating AFTER triggers are not "UPDATE OF ward_id": a column a BEFORE
# trigger changed is not in the statement's SET list, so such a trigger would not fire.
PG_FORWARD = [
    # The backfill's foreign-key checks now, not at commit: CREATE INDEX refuses a table
    # with pending trigger events.
    "SET CONSTRAINTS ALL IMMEDIATE",
    # A child: the ward of its household.
    """
    CREATE OR REPLACE FUNCTION children_child_set_ward() RETURNS trigger AS $$
    BEGIN
        SELECT h.ward_id INTO NEW.ward_id
        FROM households_household h WHERE h.id = NEW.household_id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER children_child_set_ward
    BEFORE INSERT OR UPDATE OF household_id, ward_id ON children_child
    FOR EACH ROW EXECUTE FUNCTION children_child_set_ward()
    """,
    # A household moving ward (its group moved, or it changed group) takes its children.
    """
    CREATE OR REPLACE FUNCTION children_household_moves_ward() RETURNS trigger AS $$
    BEGIN
        UPDATE children_child SET ward_id = NEW.ward_id WHERE household_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER children_household_moves_ward
    AFTER UPDATE ON households_household
    FOR EACH ROW WHEN (OLD.ward_id IS DISTINCT FROM NEW.ward_id)
    EXECUTE FUNCTION children_household_moves_ward()
    """,
    # A case: the ward of its child; a child moving ward takes its cases.
    """
    CREATE OR REPLACE FUNCTION children_case_set_ward() RETURNS trigger AS $$
    BEGIN
        SELECT c.ward_id INTO NEW.ward_id FROM children_child c WHERE c.id = NEW.child_id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER children_case_set_ward
    BEFORE INSERT OR UPDATE OF child_id, ward_id ON children_case
    FOR EACH ROW EXECUTE FUNCTION children_case_set_ward()
    """,
    """
    CREATE OR REPLACE FUNCTION children_child_moves_ward() RETURNS trigger AS $$
    BEGIN
        UPDATE children_case SET ward_id = NEW.ward_id WHERE child_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER children_child_moves_ward
    AFTER UPDATE ON children_child
    FOR EACH ROW WHEN (OLD.ward_id IS DISTINCT FROM NEW.ward_id)
    EXECUTE FUNCTION children_child_moves_ward()
    """,
    "UPDATE children_child c SET ward_id = h.ward_id FROM households_household h"
    " WHERE h.id = c.household_id",
    "UPDATE children_case k SET ward_id = c.ward_id FROM children_child c"
    " WHERE c.id = k.child_id",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX IF NOT EXISTS child_ward_search_trgm ON children_child"
    " USING gin (ward_id, search_name gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS child_ward_search_trgm",
    "DROP TRIGGER IF EXISTS children_child_moves_ward ON children_child",
    "DROP FUNCTION IF EXISTS children_child_moves_ward()",
    "DROP TRIGGER IF EXISTS children_case_set_ward ON children_case",
    "DROP FUNCTION IF EXISTS children_case_set_ward()",
    "DROP TRIGGER IF EXISTS children_household_moves_ward ON households_household",
    "DROP FUNCTION IF EXISTS children_household_moves_ward()",
    "DROP TRIGGER IF EXISTS children_child_set_ward ON children_child",
    "DROP FUNCTION IF EXISTS children_child_set_ward()",
]

_HOUSEHOLD_WARD = "(SELECT h.ward_id FROM households_household h WHERE h.id = NEW.household_id)"
_CHILD_WARD = "(SELECT c.ward_id FROM children_child c WHERE c.id = NEW.child_id)"
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER children_child_ward_ins AFTER INSERT ON children_child
    FOR EACH ROW WHEN NEW.ward_id IS NOT {_HOUSEHOLD_WARD}
    BEGIN
        UPDATE children_child SET ward_id = {_HOUSEHOLD_WARD} WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER children_child_ward_upd
    AFTER UPDATE OF household_id, ward_id ON children_child
    FOR EACH ROW WHEN NEW.ward_id IS NOT {_HOUSEHOLD_WARD}
    BEGIN
        UPDATE children_child SET ward_id = {_HOUSEHOLD_WARD} WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER children_household_moves_ward
    AFTER UPDATE OF ward_id ON households_household
    FOR EACH ROW WHEN OLD.ward_id IS NOT NEW.ward_id
    BEGIN
        UPDATE children_child SET ward_id = NEW.ward_id WHERE household_id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER children_case_ward_ins AFTER INSERT ON children_case
    FOR EACH ROW WHEN NEW.ward_id IS NOT {_CHILD_WARD}
    BEGIN
        UPDATE children_case SET ward_id = {_CHILD_WARD} WHERE id = NEW.id;
    END
    """,
    f"""
    CREATE TRIGGER children_case_ward_upd
    AFTER UPDATE OF child_id, ward_id ON children_case
    FOR EACH ROW WHEN NEW.ward_id IS NOT {_CHILD_WARD}
    BEGIN
        UPDATE children_case SET ward_id = {_CHILD_WARD} WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER children_child_moves_ward
    AFTER UPDATE OF ward_id ON children_child
    FOR EACH ROW WHEN OLD.ward_id IS NOT NEW.ward_id
    BEGIN
        UPDATE children_case SET ward_id = NEW.ward_id WHERE child_id = NEW.id;
    END
    """,
    "UPDATE children_child SET ward_id = (SELECT h.ward_id FROM households_household h"
    " WHERE h.id = children_child.household_id)",
    "UPDATE children_case SET ward_id = (SELECT c.ward_id FROM children_child c"
    " WHERE c.id = children_case.child_id)",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS children_child_moves_ward",
    "DROP TRIGGER IF EXISTS children_case_ward_upd",
    "DROP TRIGGER IF EXISTS children_case_ward_ins",
    "DROP TRIGGER IF EXISTS children_household_moves_ward",
    "DROP TRIGGER IF EXISTS children_child_ward_upd",
    "DROP TRIGGER IF EXISTS children_child_ward_ins",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def _ward_field():
    return models.ForeignKey(
        db_index=False,
        editable=False,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="dongnguyen.ward",
        verbose_name="phường, xã",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0020_homedrill_unlawful_work_index"),
        ("dongnguyen", "0006_ward"),
        ("households", "0010_lists_ward_triggers"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="child",
            name="child_search_order_idx",
        ),
        migrations.AddField(model_name="case", name="ward", field=_ward_field()),
        migrations.AddField(model_name="child", name="ward", field=_ward_field()),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["ward", "received_at"], name="case_ward_received_idx"),
        ),
        migrations.AddIndex(
            model_name="child",
            index=models.Index(
                fields=["ward", "search_name", "birth_date"], name="child_ward_name_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="child",
            index=models.Index(
                models.F("ward"),
                django.db.models.functions.text.Lower("search_name"),
                models.F("birth_date"),
                models.F("id"),
                name="child_ward_search_order_idx",
            ),
        ),
    ]
