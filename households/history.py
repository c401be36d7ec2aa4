"""'Who changed what, when' for detail pages, from django-simple-history records."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


def _show(model, name, value):
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
        names = {o.pk: str(o) for o in model_field.related_model._base_manager.filter(pk__in=ids)}
        return ", ".join(sorted(names.get(i, str(i)) for i in ids)) or "—"
    if model_field.is_relation:
        obj = model_field.related_model._base_manager.filter(pk=value).first()
        return str(obj) if obj else str(value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, (date, datetime)):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (int, Decimal, float)):
        return formats.number_format(value, force_grouping=True)  # 6,5 giờ; 2.000.000 đồng
    return str(value)


def history_rows(*histories, limit: int = 100) -> list[HistoryRow]:
    """Rows newest first for one or more HistoricalRecords querysets (e.g. a household and its
    caregivers). Each record is diffed against the previous record of the same object."""
    rows = []
    for qs in histories:
        records = list(qs.select_related("history_user").order_by("history_date", "history_id"))
        previous = {}
        for record in records:
            model = record.instance_type
            oid = getattr(record, model._meta.pk.attname)
            before = previous.get(oid)
            changes = []
            if before is not None and record.history_type == "~":
                delta = record.diff_against(before)
                for change in delta.changes:
                    if change.field in _SKIP:
                        continue
                    label = str(model._meta.get_field(change.field).verbose_name)
                    changes.append(
                        (
                            label,
                            _show(model, change.field, change.old),
                            _show(model, change.field, change.new),
                        )
                    )
            previous[oid] = record
            if record.history_type == "~" and not changes:
                continue
            rows.append(
                HistoryRow(
                    at=record.history_date,
                    user=record.history_user,
                    kind=_TYPES.get(record.history_type, record.history_type),
                    what=f"{model._meta.verbose_name}: {record.instance}",
                    changes=changes,
                )
            )
    rows.sort(key=lambda r: r.at, reverse=True)
    return rows[:limit]
