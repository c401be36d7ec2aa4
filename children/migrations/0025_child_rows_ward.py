"""A screening's, a follow-up's and a support's ward kept by the database, like a case's
(0021_lists_ward): the ward of the row's child, set on every insert and update, rewritten when
the child's ward changes. The report's conditions "screened / followed up / supported in the
period" of one ward then read the ward's rows through (ward, date, child) instead of the
province's rows of the period joined to the ward's children (issue 19)."""

# ruff: noqa: S608 (the SQL names this migration's own tables, no input)

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLES = ["children_screening", "children_followup", "children_support"]

PG_FORWARD = [
    "SET CONSTRAINTS ALL IMMEDIATE",  # as in 0021: no pending trigger events at CREATE INDEX
    *(
        f"UPDATE {table} r SET ward_id = c.ward_id FROM children_child c WHERE c.id = r.child_id"
        for table in TABLES
    ),
    """
    CREATE OR REPLACE FUNCTION children_set_ward_from_child() RETURNS trigger AS $$
    BEGIN
        SELECT c.ward_id INTO NEW.ward_id FROM children_child c WHERE c.id = NEW.child_id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    *(
        f"""
        CREATE TRIGGER {table}_set_ward
        BEFORE INSERT OR UPDATE OF child_id, ward_id ON {table}
        FOR EACH ROW EXECUTE FUNCTION children_set_ward_from_child()
        """
        for table in TABLES
    ),
    # A child moving ward takes its cases (0021) and now these rows too.
    """
    CREATE OR REPLACE FUNCTION children_child_moves_ward() RETURNS trigger AS $$
    BEGIN
        UPDATE children_case SET ward_id = NEW.ward_id WHERE child_id = NEW.id;
        UPDATE children_screening SET ward_id = NEW.ward_id WHERE child_id = NEW.id;
        UPDATE children_followup SET ward_id = NEW.ward_id WHERE child_id = NEW.id;
        UPDATE children_support SET ward_id = NEW.ward_id WHERE child_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
]
PG_BACKWARD = [
    """
    CREATE OR REPLACE FUNCTION children_child_moves_ward() RETURNS trigger AS $$
    BEGIN
        UPDATE children_case SET ward_id = NEW.ward_id WHERE child_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    *(f"DROP TRIGGER IF EXISTS {table}_set_ward ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS children_set_ward_from_child()",
]

_CHILD_WARD = "(SELECT c.ward_id FROM children_child c WHERE c.id = NEW.child_id)"
SQLITE_FORWARD = [
    *(
        f"UPDATE {table} SET ward_id = (SELECT c.ward_id FROM children_child c"
        f" WHERE c.id = {table}.child_id)"
        for table in TABLES
    ),
    *(
        f"""
        CREATE TRIGGER {table}_ward_{when}
        AFTER {event} ON {table}
        FOR EACH ROW WHEN NEW.ward_id IS NOT {_CHILD_WARD}
        BEGIN
            UPDATE {table} SET ward_id = {_CHILD_WARD} WHERE id = NEW.id;
        END
        """
        for table in TABLES
        for when, event in (("ins", "INSERT"), ("upd", "UPDATE OF child_id, ward_id"))
    ),
    """
    CREATE TRIGGER children_child_moves_ward_rows
    AFTER UPDATE OF ward_id ON children_child
    FOR EACH ROW WHEN OLD.ward_id IS NOT NEW.ward_id
    BEGIN
        UPDATE children_screening SET ward_id = NEW.ward_id WHERE child_id = NEW.id;
        UPDATE children_followup SET ward_id = NEW.ward_id WHERE child_id = NEW.id;
        UPDATE children_support SET ward_id = NEW.ward_id WHERE child_id = NEW.id;
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS children_child_moves_ward_rows",
    *(f"DROP TRIGGER IF EXISTS {table}_ward_{when}" for table in TABLES for when in ("ins", "upd")),
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0024_child_search_name_duplicate_index"),
        ("dongnguyen", "0007_accesslog_object_ids_trgm"),
        ("funding", "0002_donors_and_donations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="followup",
            name="ward",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="dongnguyen.ward",
                verbose_name="phường, xã",
            ),
        ),
        migrations.AddField(
            model_name="historicalfollowup",
            name="ward",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="dongnguyen.ward",
                verbose_name="phường, xã",
            ),
        ),
        migrations.AddField(
            model_name="historicalscreening",
            name="ward",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="dongnguyen.ward",
                verbose_name="phường, xã",
            ),
        ),
        migrations.AddField(
            model_name="historicalsupport",
            name="ward",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="dongnguyen.ward",
                verbose_name="phường, xã",
            ),
        ),
        migrations.AddField(
            model_name="screening",
            name="ward",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="dongnguyen.ward",
                verbose_name="phường, xã",
            ),
        ),
        migrations.AddField(
            model_name="support",
            name="ward",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="dongnguyen.ward",
                verbose_name="phường, xã",
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(fields=["ward", "date", "child"], name="followup_ward_date_idx"),
        ),
        migrations.AddIndex(
            model_name="screening",
            index=models.Index(fields=["ward", "date", "child"], name="screening_ward_date_idx"),
        ),
        migrations.AddIndex(
            model_name="support",
            index=models.Index(fields=["ward", "date", "child"], name="support_ward_date_idx"),
        ),
    ]
