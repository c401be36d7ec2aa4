"""The import's bulk inserts. On PostgreSQL the rows go in with one COPY per table instead of
Django's `bulk_create`, which builds every value through the field's `get_db_prep_save` and an
INSERT of thousands of placeholders: for 12,000 children with their history rows that took a
third of the import's time (bench/README.md). The rows are the same: the same columns, the same
`pre_save` (auto_now dates), ids taken from the table's own sequence before the COPY so that the
history rows and special groups can point at them; the database's triggers (the child's ward)
fire for COPY as for INSERT. Elsewhere (SQLite) Django's `bulk_create`."""

import datetime as dt
import io
import itertools
import re

from django.db import connection
from django.db.models import AutoField
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    get_change_reason_from_object,
    get_history_manager_for_model,
)


def _copyable() -> bool:
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return not is_psycopg3  # psycopg2's copy_expert


_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def _escaped(value: str) -> str:
    return value.translate(_ESCAPE) if _SPECIAL.search(value) else value


def _iso(value: dt.date) -> str:
    return value.isoformat()  # an aware datetime keeps its offset


# By exact type first: half a million values for 12,000 children.
_FORMATS = {
    str: _escaped,
    int: str,
    bool: lambda v: "t" if v else "f",
    type(None): lambda v: "\\N",
    dt.date: _iso,
    dt.datetime: _iso,
}


def _text(value) -> str:
    """One value in COPY's text format (the types the imported models' fields hold)."""
    format_ = _FORMATS.get(type(value))
    if format_ is not None:
        return format_(value)
    for kind in (bool, str, int, dt.date):  # subclasses, e.g. a TextChoices member
        if isinstance(value, kind):
            return _FORMATS[kind](kind(value) if kind is not dt.date else value)
    raise TypeError(f"COPY of a {type(value).__name__} value is not supported")


def _copy(model, fields, rows, batch_size: int) -> None:
    """COPY rows (sequences of values in the order of `fields`) into the model's table,
    `batch_size` rows a statement (the text of a batch is held in memory)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, batch_size)):
            buf = io.StringIO()
            for values in batch:
                buf.write("\t".join([_text(v) for v in values]))
                buf.write("\n")
            buf.seek(0)
            cursor.copy_expert(sql, buf)


def _reserve_ids(model, n: int) -> list[int]:
    opts = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, n],
        )
        return [r[0] for r in cursor.fetchall()]


def bulk_insert(model, objs: list, *, batch_size: int, ids: bool = True) -> None:
    """Insert new objects (in the caller's transaction) and give them their ids; `ids=False`:
    the caller needs no ids (on PostgreSQL the objects then keep none)."""
    if not objs:
        return
    if not _copyable():
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    fields = model._meta.concrete_fields
    if ids:
        for obj, pk in zip(objs, _reserve_ids(model, len(objs)), strict=True):
            obj.pk = pk
    else:
        fields = [f for f in fields if not isinstance(f, AutoField)]
    # pre_save as bulk_create: an auto_now date is set on the object and written.
    _copy(model, fields, ([f.pre_save(obj, True) for f in fields] for obj in objs), batch_size)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def bulk_insert_with_history(model, objs: list, *, batch_size: int, default_user) -> None:
    """simple_history's `bulk_create_with_history` (a "+" history row per object, by
    `default_user`, dated when it is written), with the rows written by `bulk_insert`."""
    if not objs:
        return
    if not _copyable():
        bulk_create_with_history(objs, model, batch_size=batch_size, default_user=default_user)
        return
    bulk_insert(model, objs, batch_size=batch_size)
    history = get_history_manager_for_model(model).model
    fields = [f for f in history._meta.concrete_fields if not isinstance(f, AutoField)]
    tracked = {f.attname for f in history.tracked_fields}
    extra = {"history_type", "history_date", "history_user_id", "history_change_reason"}
    unknown = {f.attname for f in fields} - tracked - extra
    if unknown:  # a field simple_history fills that this copy does not know
        raise TypeError(f"history fields not copied: {sorted(unknown)}")

    def rows():
        for obj in objs:
            user = getattr(
                obj, "_history_user", default_user or history.get_default_history_user(obj)
            )
            values = {
                "history_type": "+",
                "history_date": getattr(obj, "_history_date", timezone.now()),
                "history_user_id": user.pk if user is not None else None,
                "history_change_reason": get_change_reason_from_object(obj) or None,
            }
            yield [
                values[f.attname] if f.attname in extra else getattr(obj, f.attname) for f in fields
            ]

    _copy(history, fields, rows(), batch_size)
