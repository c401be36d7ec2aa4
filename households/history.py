"""'Who changed what, when' for detail pages, from django-simple-history records."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import ModelChange
from simple_history.utils import get_m2m_reverse_field_name as m2m_reverse_field_name

_SKIP = {"search_name", "created_at", "updated_at", "version"}
# Lazy: built at import time, shown in whatever language the request uses.
_TYPES = {"+": gettext_lazy("Tạo mới"), "~": gettext_lazy("Sửa"), "-": gettext_lazy("Xóa")}


@dataclass
class HistoryRow:
    at: datetime
    user: object
    kind: str
    what: str
    changes: list = field(default_factory=list)  # (field label, old, new)


def _describe(record, describe) -> str:
    instance = record.instance
    return (describe(instance) if describe else None) or str(instance)


def _related_ids(model, name, value):
    """(related model, [keys]) a change's value refers to, or None."""
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        return None
    if value in (None, "") or getattr(model_field, "choices", None):
        return None
    if model_field.many_to_many:
        key = model_field.m2m_reverse_field_name()
        return model_field.related_model, [v.get(key) if isinstance(v, dict) else v for v in value]
    if model_field.is_relation:
        return model_field.related_model, [value]
    return None


def _related_names(changes) -> dict:
    """{related model: {pk: str}} for every (model, field, old, new) change: one query per
    related model, not one per change."""
    wanted = {}
    for model, name, old, new in changes:
        for value in (old, new):
            found = _related_ids(model, name, value)
            if found:
                wanted.setdefault(found[0], set()).update(found[1])
    return {
        related: {o.pk: str(o) for o in related._base_manager.filter(pk__in=ids)}
        for related, ids in wanted.items()
    }


def _show(model, name, value, names=None):
    if value in (None, ""):
        return "—"
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        return str(value)
    if getattr(model_field, "choices", None):
        return str(dict(model_field.choices).get(value, value))
    if model_field.many_to_many:
        # simple_history gives the through rows ({"child": 1, "specialgroup": "k"}): show
        # the members by name, not by key.
        key = model_field.m2m_reverse_field_name()
        ids = [v.get(key) if isinstance(v, dict) else v for v in value]
        known = (names or {}).get(model_field.related_model)
        if known is None:
            related = model_field.related_model._base_manager.filter(pk__in=ids)
            known = {o.pk: str(o) for o in related}
        return ", ".join(sorted(known.get(i, str(i)) for i in ids)) or "—"
    if model_field.is_relation:
        known = (names or {}).get(model_field.related_model)
        if known is not None:
            return known.get(value, str(value))
        obj = model_field.related_model._base_manager.filter(pk=value).first()
        return str(obj) if obj else str(value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, (date, datetime)):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (int, Decimal, float)):
        return formats.number_format(value, force_grouping=True)  # 6,5 giờ; 2.000.000 đồng
    return str(value)


def _m2m_rows(records) -> tuple[list[str], dict]:
    """The tracked many-to-many members of every record, in one query per field (diff_against
    would read them twice per record): {(field, history id): [through rows]}."""
    if not records:
        return [], {}
    names = [f.name for f in records[0]._history_m2m_fields]
    model = records[0].instance_type
    rows = {}
    for name in names:
        through = getattr(records[0], name).model
        reverse = m2m_reverse_field_name(model._meta.get_field(name))
        fields = [
            f.name
            for f in through._meta.fields
            if f.editable and f.name not in ("id", "m2m_history_id", "history")
        ]
        for record in records:
            rows[(name, record.pk)] = []
        values = (
            through._base_manager.filter(history__in=[r.pk for r in records])
            .order_by(reverse)
            .values("history_id", *fields)
        )
        for row in values:
            rows[(name, row.pop("history_id"))].append(row)
    return names, rows


def history_rows(*histories, limit: int = 100, describe=None) -> list[HistoryRow]:
    """Rows newest first for one or more HistoricalRecords querysets (e.g. a household and its
    caregivers). Each record is diffed against the previous record of the same object.
    `describe(instance)` may name a record without a query (else str(instance))."""
    rows = []
    for qs in histories:
        records = list(qs.select_related("history_user").order_by("history_date", "history_id"))
        m2m_names, m2m = _m2m_rows(records)
        previous = {}
        for record in records:
            model = record.instance_type
            oid = getattr(record, model._meta.pk.attname)
            before = previous.get(oid)
            changes = []
            if before is not None and record.history_type == "~":
                delta = record.diff_against(before, excluded_fields=m2m_names)
                found = [(c.field, c.old, c.new) for c in delta.changes]
                for name in m2m_names:
                    old, new = m2m[(name, before.pk)], m2m[(name, record.pk)]
                    if old != new:
                        found.append((name, old, new))
                found.sort(key=lambda change: change[0])
                for change in (ModelChange(*c) for c in found):
                    if change.field in _SKIP:
                        continue
                    changes.append((model, change.field, change.old, change.new))
            previous[oid] = record
            if record.history_type == "~" and not changes:
                continue
            rows.append(
                HistoryRow(
                    at=record.history_date,
                    user=record.history_user,
                    kind=_TYPES.get(record.history_type, record.history_type),
                    what=f"{model._meta.verbose_name}: {_describe(record, describe)}",
                    changes=changes,
                )
            )
    rows.sort(key=lambda r: r.at, reverse=True)
    rows = rows[:limit]
    # Names of related records (members of a many-to-many, a foreign key) for all the shown
    # changes at once.
    names = _related_names([c for row in rows for c in row.changes])
    for row in rows:
        row.changes = [
            (
                str(model._meta.get_field(name).verbose_name),
                _show(model, name, old, names),
                _show(model, name, new, names),
            )
            for model, name, old, new in row.changes
        ]
    return rows
