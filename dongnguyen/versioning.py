"""Optimistic locking, one mechanism for every record two people can edit (DESIGN.md "Rules in
one place": concurrency).

A record carries a `version`. An editor's form shows the version it was opened at; the save
claims that version with a conditional UPDATE inside the caller's transaction, so of two
editors who opened the same version exactly one write lands — on SQLite and on PostgreSQL,
where the second UPDATE waits for the first transaction and then finds the version moved.
Every other write that changes the record (a screening adding a special group, a merge, an
import, an inspection) moves the version too, so a form opened before it cannot overwrite it.
"""

from django.db import models
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from .errors import StaleVersionError


class Versioned(models.Model):
    """Abstract base: the `version` column. Not editable: forms carry it through
    `VersionedFormMixin` (a hidden field), never as a typed value."""

    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    class Meta:
        abstract = True


def claim_version(instance, expected_version: int, **extra) -> None:
    """Move the row from `expected_version` to the next one (and set `extra` columns in the
    same UPDATE), or raise StaleVersionError if someone else moved it first. The instance's
    `version` follows; nothing else is written."""
    model = type(instance)
    updated = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **extra
    )
    if not updated:
        raise StaleVersionError()
    instance.version = expected_version + 1
    for name, value in extra.items():
        setattr(instance, name, value)


def save_versioned(instance, expected_version: int | None = None, *, update_fields=None, **extra):
    """Save `instance` if its row is still at `expected_version` (default: `instance.version`,
    the version the editor's form carried; see VersionedFormMixin). A new row starts at 1.

    The claim comes first, then an ordinary `save()`, so history, `auto_now` and the change
    announcement work as for any save. Call inside the service's transaction."""
    if instance._state.adding:
        instance.save()
        return instance
    if expected_version is None:
        expected_version = instance.version
    claim_version(instance, expected_version, **extra)
    if update_fields is not None:
        update_fields = [*update_fields, *extra, "version"]
    instance.save(update_fields=update_fields)
    return instance


def bump_version(target) -> None:
    """Move the version of a record (or of every row of a QuerySet) that a write other than
    its edit form changed, so a form opened before that write is refused rather than
    overwriting it."""
    if isinstance(target, QuerySet):
        target.update(version=F("version") + 1)
        return
    model = type(target)
    model._base_manager.filter(pk=target.pk).update(version=F("version") + 1)
    target.version = model._base_manager.values_list("version", flat=True).get(pk=target.pk)


class VersionedAdminMixin:
    """For a ModelAdmin of a Versioned model: a change saved in the admin moves the version
    like any other write (claimed on the version the admin's request loaded), so an edit form
    opened before it is refused rather than overwriting it."""

    def save_model(self, request, obj, form, change):
        if change:
            claim_version(obj, obj.version)
        super().save_model(request, obj, form, change)
