"""A child's place on the managed list kept by the database (issue 19): on_managed_list is
at_risk OR "has a special-group row", set on every insert and update of the child and
rewritten when a special-group row of the child is added, changed or removed. Every write path
(save, the form's groups, bulk_create, COPY, the admin, an import) gets the same value; Python
never sets it. The home page's and the screening list's count then read the ward's managed
children from one partial index instead of the ward's children three times."""

# ruff: noqa: S608 (the SQL names this migration's own tables, no input)

from django.db import migrations, models

# The rule, written once for each database: the child row `c` is on the managed list.
_MANAGED = (
    "({c}.at_risk OR EXISTS (SELECT 1 FROM children_child_special_groups s"
    " WHERE s.child_id = {c}.id))"
)

PG_FORWARD = [
    "SET CONSTRAINTS ALL IMMEDIATE",  # as in 0021: no pending trigger events at CREATE INDEX
    f"""
    CREATE OR REPLACE FUNCTION children_child_set_managed() RETURNS trigger AS $$
    BEGIN
        NEW.on_managed_list := {_MANAGED.format(c="NEW")};
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER children_child_set_managed
    BEFORE INSERT OR UPDATE OF at_risk, on_managed_list ON children_child
    FOR EACH ROW EXECUTE FUNCTION children_child_set_managed()
    """,
    # A special-group row added, moved or removed: its child's flag again (the UPDATE names
    # on_managed_list, so the trigger above computes it).
    f"""
    CREATE OR REPLACE FUNCTION children_special_group_sets_managed() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            UPDATE children_child c SET on_managed_list = {_MANAGED.format(c="c")}
            WHERE c.id = OLD.child_id AND c.on_managed_list IS DISTINCT FROM {_MANAGED.format(c="c")};
        END IF;
        IF TG_OP <> 'DELETE' THEN
            UPDATE children_child c SET on_managed_list = {_MANAGED.format(c="c")}
            WHERE c.id = NEW.child_id AND c.on_managed_list IS DISTINCT FROM {_MANAGED.format(c="c")};
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER children_special_group_sets_managed
    AFTER INSERT OR UPDATE OR DELETE ON children_child_special_groups
    FOR EACH ROW EXECUTE FUNCTION children_special_group_sets_managed()
    """,
    # The children already on the list (the column's default is false).
    f"UPDATE children_child c SET on_managed_list = true WHERE {_MANAGED.format(c='c')}",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS children_special_group_sets_managed ON children_child_special_groups",
    "DROP FUNCTION IF EXISTS children_special_group_sets_managed()",
    "DROP TRIGGER IF EXISTS children_child_set_managed ON children_child",
    "DROP FUNCTION IF EXISTS children_child_set_managed()",
]

_SET_CHILD = (
    "UPDATE children_child SET on_managed_list = {rule} WHERE id = {id}"
    " AND on_managed_list IS NOT {rule}"
)
SQLITE_FORWARD = [
    # A child inserted or updated: the same AFTER trigger for each event.
    *(
        f"""
        CREATE TRIGGER children_child_managed_{name} AFTER {event} ON children_child
        FOR EACH ROW WHEN NEW.on_managed_list IS NOT {_MANAGED.format(c="NEW")}
        BEGIN
            UPDATE children_child SET on_managed_list = {_MANAGED.format(c="NEW")}
            WHERE id = NEW.id;
        END
        """
        for name, event in (("ins", "INSERT"), ("upd", "UPDATE OF at_risk, on_managed_list"))
    ),
    f"""
    CREATE TRIGGER children_special_group_managed_ins
    AFTER INSERT ON children_child_special_groups
    FOR EACH ROW BEGIN
        {_SET_CHILD.format(rule=_MANAGED.format(c="children_child"), id="NEW.child_id")};
    END
    """,
    f"""
    CREATE TRIGGER children_special_group_managed_upd
    AFTER UPDATE OF child_id ON children_child_special_groups
    FOR EACH ROW BEGIN
        {_SET_CHILD.format(rule=_MANAGED.format(c="children_child"), id="OLD.child_id")};
        {_SET_CHILD.format(rule=_MANAGED.format(c="children_child"), id="NEW.child_id")};
    END
    """,
    f"""
    CREATE TRIGGER children_special_group_managed_del
    AFTER DELETE ON children_child_special_groups
    FOR EACH ROW BEGIN
        {_SET_CHILD.format(rule=_MANAGED.format(c="children_child"), id="OLD.child_id")};
    END
    """,
    f"UPDATE children_child SET on_managed_list = 1 WHERE {_MANAGED.format(c='children_child')}",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS children_special_group_managed_del",
    "DROP TRIGGER IF EXISTS children_special_group_managed_upd",
    "DROP TRIGGER IF EXISTS children_special_group_managed_ins",
    "DROP TRIGGER IF EXISTS children_child_managed_upd",
    "DROP TRIGGER IF EXISTS children_child_managed_ins",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def add_columns(apps, schema_editor):
    """SQLite would rebuild children_child for a NOT NULL column (copy, drop, rename), which
    the ward triggers on households (children 0021) refuse while the table is away: there,
    ADD COLUMN with its default; PostgreSQL adds it as Django does."""
    for name in ("Child", "HistoricalChild"):
        model = apps.get_model("children", name)  # the state before the field
        field = _field()
        field.set_attributes_from_name("on_managed_list")
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)}"
                " ADD COLUMN on_managed_list bool NOT NULL DEFAULT 0"
            )
        else:
            schema_editor.add_field(model, field)


def remove_columns(apps, schema_editor):
    for table in ("children_child", "children_historicalchild"):
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(table)} DROP COLUMN on_managed_list"
        )


def _field():
    return models.BooleanField(
        default=False, editable=False, verbose_name="trong danh sách quản lý"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0026_search_order_with_name"),
        ("dongnguyen", "0007_accesslog_object_ids_trgm"),
        ("households", "0010_lists_ward_triggers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="child", name="on_managed_list", field=_field()),
                migrations.AddField(
                    model_name="historicalchild", name="on_managed_list", field=_field()
                ),
            ],
            database_operations=[migrations.RunPython(add_columns, remove_columns)],
        ),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
        migrations.AddIndex(
            model_name="child",
            index=models.Index(
                condition=models.Q(("on_managed_list", True)),
                fields=["ward", "birth_date"],
                include=("moved_out_on", "id"),
                name="child_ward_managed_idx",
            ),
        ),
    ]
