"""One hook for "data changed" (DESIGN.md layout: the core announces, the apps above listen).

Every save, delete and many-to-many change of a model in settings.EVENT_APPS is noted; when the
outermost transaction commits, `records_changed` is sent once with the set of model labels
written. `reports` listens (KPI snapshots become stale), so no write path — a service, an
import, the admin, a later API or offline sync — can forget to say it wrote. Bulk writes that
send no model signals (`bulk_create`, `QuerySet.update`) call `announce()` themselves.
"""

import threading

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver

# Sent after commit, with `labels`: the "app.Model" labels written in the transaction.
records_changed = Signal()

_local = threading.local()


def announce(*labels: str, using: str = "default") -> None:
    """Say that rows of these models were written; sent once when the transaction commits
    (at once outside a transaction; never if it rolls back).

    Every write registers a callback (cheap); the first to run after the commit sends all the
    labels gathered and the others find nothing left, so a transaction of 10,000 saves sends
    one signal. Registering each time, rather than once, keeps the callback alive when an
    earlier savepoint that registered it rolled back."""
    _pending(using).update(labels)
    transaction.on_commit(lambda: _send(using), using=using)


def _pending(using: str) -> set[str]:
    if not hasattr(_local, "pending"):
        _local.pending = {}
    return _local.pending.setdefault(using, set())


def _send(using: str) -> None:
    labels = frozenset(_pending(using))
    _local.pending.pop(using, None)
    if labels:
        records_changed.send(sender=None, labels=labels)


def _watched(sender) -> bool:
    return sender._meta.app_label in getattr(settings, "EVENT_APPS", ())


@receiver(post_save, dispatch_uid="dongnguyen.events.saved")
@receiver(post_delete, dispatch_uid="dongnguyen.events.deleted")
def _record_written(sender, using="default", **kwargs):
    if _watched(sender):
        announce(sender._meta.label, using=using)


@receiver(m2m_changed, dispatch_uid="dongnguyen.events.m2m")
def _set_changed(sender, instance, action, using="default", **kwargs):
    if action.startswith("post_") and _watched(type(instance)):
        announce(type(instance)._meta.label, using=using)
