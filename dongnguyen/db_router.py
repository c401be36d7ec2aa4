"""Reads that tolerate a few seconds' lag go to a PostgreSQL streaming replica (DESIGN.md
"Province and wards", "Scale path").

With `DATABASE_REPLICA_URL` set, settings add a "replica" database alias and this router. Only
code wrapped in `read_from_replica()` reads there: dashboards, KPI computation, report building
and exports. Everything else, every write, and every read inside a transaction on the primary
(read-after-write) uses "default". Without the setting, `read_from_replica()` changes nothing.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES and getattr(settings, "REPLICA_READS", True)


def read_alias() -> str:
    """The alias a lag-tolerant read uses right now."""
    if (
        _replica_reads.get()
        and replica_configured()
        # Inside a transaction on the primary the caller may read its own writes.
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return REPLICA
    return DEFAULT_DB_ALIAS


@contextmanager
def read_from_replica():
    """Reads in this block may come from the replica (a few seconds behind the primary)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Writes always to the primary; reads to the replica only inside read_from_replica()."""

    def db_for_read(self, model, **hints):
        # Not None: an object read from the replica must not pull its relations from there
        # once the block is over (Django would otherwise follow the instance's database).
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema


def replica_view(view):
    """A view whose reads may all come from the replica (exports: a few seconds' lag is fine;
    the access-log row it writes goes to the primary)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with read_from_replica():
            return view(request, *args, **kwargs)

    return wrapped
