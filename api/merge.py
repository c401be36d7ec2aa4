"""Field-level merge of an edit made from an older version (DESIGN.md "Offline").

A phone that edited a record offline sends only the fields it changed, with `If-Match` = the
version it started from and `X-Merge: fields`. If the record moved on meanwhile, each sent
field is compared three ways, in the page form's own terms (`Field.has_changed`):
- the server still holds the starting value → the edit applies (a different field was edited
  by someone else: both edits are kept);
- the server already holds the sent value → nothing to do;
- the server holds a third value → a conflict: nothing is written, and the client gets both
  values side by side (409) to choose from.
The starting version comes from the record's history (django-simple-history keeps `version`).
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _

MERGE_HEADER = "X-Merge"
REASON_HEADER = "X-Change-Reason"
OFFLINE_HEADER = "X-Offline-Edited-At"


@dataclass
class Conflict:
    field: str
    label: str
    base: object
    server: object
    mine: object
    base_display: str
    server_display: str
    mine_display: str

    def as_dict(self) -> dict:
        return {
            "field": self.field,
            "label": self.label,
            "base": _plain(self.base),
            "server": _plain(self.server),
            "mine": _plain(self.mine),
            "base_display": self.base_display,
            "server_display": self.server_display,
            "mine_display": self.mine_display,
        }


def _plain(value):
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def display(field: forms.Field, value) -> str:
    """A value as the form's page shows it (choice labels, not codes)."""
    if value in (None, "", []):
        return _("(trống)")
    if isinstance(field, forms.ModelMultipleChoiceField):
        rows = field.queryset.filter(pk__in=[v for v in value if str(v).isdigit()])
        return ", ".join(str(r) for r in rows) or str(value)
    if isinstance(field, forms.ModelChoiceField):
        row = field.queryset.filter(pk=value).first() if str(value).isdigit() else None
        return str(row) if row is not None else str(value)
    if isinstance(field, forms.BooleanField):
        return _("Có") if value in (True, "true", "True", "on", "1", 1) else _("Không")
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(k): str(v) for k, v in choices}
        return labels.get(str(value), str(value))
    return str(value)


def base_instance(obj, version: int):
    """The record as it was at `version`, or None when its history no longer has it."""
    history = getattr(obj, "history", None)
    if history is None:
        return None
    row = history.filter(version=version).order_by("-history_date", "-history_id").first()
    return row.instance if row is not None else None


def form_values(form) -> dict:
    return {name: form[name].value() for name in form.fields}


def three_way(base: dict | None, current_form, sent: dict) -> tuple[dict, list[Conflict]]:
    """The sent fields that still apply, and the conflicts. `sent` and `base` (the values the
    edit started from; None when unknown) are in the form's terms."""
    apply, conflicts = {}, []
    for name, mine in sent.items():
        field = current_form.fields.get(name)
        if field is None or name == "version":
            apply[name] = mine  # unknown to the form: the form itself ignores or refuses it
            continue
        server = current_form[name].value()
        if not field.has_changed(server, mine):
            continue  # the server already holds this value
        known = base is not None and name in base
        was = base[name] if known else None
        server_moved = not known or field.has_changed(was, server)
        if not server_moved:
            apply[name] = mine
            continue
        conflicts.append(
            Conflict(
                field=name,
                label=str(field.label or name),
                base=was,
                server=server,
                mine=mine,
                base_display=display(field, was),
                server_display=display(field, server),
                mine_display=display(field, mine),
            )
        )
    return apply, conflicts
