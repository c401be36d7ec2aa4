"""The four kinds of import as django-import-export Resources.

Each row goes through the Resource: the cells through widgets (parsing.py: dates, yes/no,
labels, codes of groups and households), then the model's own `full_clean()`
(`clean_model_instances`), so an import refuses what the forms and services refuse, with the
same Vietnamese messages. What the registers hold (groups, households, existing records, special
groups, sessions) is fetched in `before_import` in chunks, so the number of queries does not
grow with the rows, and the rows are collected for bulk writes (`use_bulk`).

The import runs in two steps, as the web page does: `plan()` classifies every row (new, update,
unchanged, error) and saves nothing; `apply()` writes the collected rows with
django-simple-history's bulk helpers. services.py calls `apply()` in its own transaction, after
checking the run's lease (imports/README.md says why this is not import-export's transaction).
"""

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from simple_history.utils import bulk_update_with_history

from children.models import Child, DropoutReason, SchoolStatus, Sex, SpecialGroup
from children.models.register import NATIONAL_ID_TAKEN
from dongnguyen.models import Ward
from dongnguyen.text import normalize_name
from dongnguyen.versioning import bump_version
from households.models import Household, PovertyStatus, ResidentialGroup
from inspections.models import Business, Sector
from outreach.models import OutreachSession

from .bulk import bulk_insert, bulk_insert_with_history
from .columns import (
    ATTENDANCE_COLUMNS,
    BUSINESS_COLUMNS,
    CHILD_COLUMNS,
    HOUSEHOLD_COLUMNS,
    Column,
)
from .parsing import (
    RowError,
    choice_lookup,
    parse_bool,
    parse_choice,
    parse_date,
    parse_int,
    parse_name,
    parse_national_id,
    parse_phone,
    parse_text,
)
from .readers import FileProblem, Sheet, cell_text

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
# Keeps every IN (...) list under SQLite's and PostgreSQL's parameter limits.
LOOKUP_CHUNK = 900
WRITE_BATCH = 1000

POVERTY = choice_lookup(
    PovertyStatus.choices,
    {"Nghèo": "poor", "Cận nghèo": "near_poor", "Khó khăn": "hardship", "Bình thường": "none"},
)
SEX = choice_lookup(Sex.choices, {"Trai": "male", "Gái": "female"})
SCHOOL = choice_lookup(SchoolStatus.choices, {"Đi học": "in_school", "Bỏ học": "dropped_out"})
DROPOUT = choice_lookup(DropoutReason.choices, {"Kinh tế": "economic", "Khác": "other"})
SECTOR = choice_lookup(Sector.choices)
# The labels a refused cell lists (lazy: shown in the language of the page). Read once here:
# an enum's `labels` builds its list again on every call, for every cell of a file.
LABELS = {e: e.labels for e in (PovertyStatus, Sector, Sex, SchoolStatus, DropoutReason)}


def chunked(items: Iterable, size: int = LOOKUP_CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def bump_versions(model, pks) -> None:
    """An import changed these rows: an edit form opened before must not overwrite them."""
    if any(f.name == "version" for f in model._meta.concrete_fields):
        for chunk in chunked(sorted(set(pks))):
            bump_version(model._base_manager.filter(pk__in=chunk))


def _fmt(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


@dataclass
class RowResult:
    row: int
    status: str
    label: str
    message: str = ""

    def as_list(self):
        return [self.row, self.status, self.label, self.message]


class CellWidget(widgets.Widget):
    """One cell through a parser of parsing.py. Its RowError (a reason in Vietnamese that names
    the column) becomes the ValueError import-export reports as the field's error."""

    def __init__(self, parse: Callable, **kwargs):
        super().__init__(**kwargs)
        self.parse = parse

    def clean(self, value, row=None, **kwargs):
        try:
            return self.parse(value)
        except RowError as exc:
            raise ValueError(str(exc)) from None


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key by the code the templates use (TDP-01, HGD-01-001), looked up in a table the
    Resource fills once per file instead of one query per row."""

    def __init__(self, model, header, missing, *, required=True, upper=False):
        super().__init__(model, field="code")
        self.header, self.missing, self.required, self.upper = header, missing, required, upper
        self.table: dict = {}

    def key(self, value) -> str:
        text = cell_text(value)
        return text.upper() if self.upper else text

    def clean(self, value, row=None, **kwargs):
        code = self.key(value)
        if not code:
            if self.required:
                raise ValueError(_("thiếu %(col)s") % {"col": self.header})
            return None
        try:
            return self.table[code]
        except KeyError:
            raise ValueError(self.missing % {"code": cell_text(value)}) from None


def _messages(error: ValidationError, order: list[str]) -> list[str]:
    """A row's errors, field by field in column order, then those about the row as a whole."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    by_field = error.message_dict
    keys = [k for k in order if k in by_field]
    keys += [k for k in by_field if k not in keys and k != NON_FIELD_ERRORS]
    keys += [NON_FIELD_ERRORS] if NON_FIELD_ERRORS in by_field else []
    return [m for k in keys for m in by_field[k]]


class Table:
    """The rows of a file as dicts by column key, in file order (the rows the hooks read)."""

    def __init__(self, headers: list[str], rows: list[dict]):
        self.headers, self.dict = headers, rows

    def __len__(self) -> int:
        return len(self.dict)

    def __getitem__(self, key: str) -> list:
        return [row[key] for row in self.dict]

    def append_col(self, values: list, header: str) -> None:
        self.headers.append(header)
        for row, value in zip(self.dict, values, strict=True):
            row[header] = value


class ImportResource(resources.ModelResource):
    """What every kind shares: columns matched by header, lookups fetched up front, rows
    judged by widgets + `full_clean()`, results as the preview shows them."""

    kind: str = ""
    columns: list[Column] = []
    # Foreign keys resolved by a CodeWidget from the Resource's own tables: full_clean()
    # need not look them up again, one query per row.
    resolved_fks: tuple[str, ...] = ()
    # Names that bulk writes (which skip save()) must keep in step.
    name_field = ""

    class Meta:
        clean_model_instances = True
        use_bulk = True
        batch_size = WRITE_BATCH
        skip_diff = True  # the preview lists changed columns by name, not an HTML diff
        skip_unchanged = True
        report_skipped = True
        import_id_fields = ()

    def __init__(self, progress: Callable[[float], None] | None = None, ward=None, **kwargs):
        super().__init__(**kwargs)
        # The importer's ward: rows land there; codes are looked up there only.
        self.ward = ward or Ward.first()
        # Built per import: the widgets' messages name the columns in the current language.
        attributes = self.attributes()
        self.fields = {
            key: fields.Field(attributes.get(key, key), key, widget)
            for key, widget in self.cell_widgets().items()
        }
        self._import_fields = None  # built from these fields on first use
        self.progress = progress
        self.results: list[RowResult] = []
        self.changed_fields: set[str] = set()
        self._notes: dict[int, str] = {}
        self._labels: dict[int, str] = {}
        self._numbers: list[int] = []
        self._row_number = 0
        self._before: dict = {}
        # Cells a before_import already parsed, by row: {column key: value}.
        self._parsed: dict[int, dict] = {}

    def cell_widgets(self) -> dict[str, widgets.Widget]:
        raise NotImplementedError

    def get_import_fields(self):
        # Asked for several times per row; the fields are fixed once the Resource is built.
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return list(self._import_fields)

    def attributes(self) -> dict[str, str | None]:
        """Columns whose model attribute is not their key (None: handled by the Resource)."""
        return {}

    # Reading the file

    def header(self, key: str) -> str:
        # Translated once per file: called for every cell, and gettext is not free.
        try:
            return self._headers[key]
        except AttributeError:
            self._headers = {}
        except KeyError:
            pass
        self._headers[key] = text = str(next(c.header for c in self.columns if c.key == key))
        return text

    def check_columns(self, present: set[str]) -> None:
        missing = [str(c.header) for c in self.columns if c.required and c.key not in present]
        if missing:
            raise FileProblem(
                _("Tệp thiếu cột: %(cols)s. Hãy dùng tệp mẫu của loại dữ liệu này.")
                % {"cols": ", ".join(f"“{m}”" for m in missing)}
            )

    def dataset(self, sheet: Sheet) -> "Table":
        """The sheet with its headers matched to column keys (case and diacritics ignored,
        aliases allowed, unknown columns dropped)."""
        by_header = {}
        for col in self.columns:
            for name in (col.header, *col.aliases):
                by_header[normalize_name(str(name))] = col
        index: dict[str, int] = {}
        for i, head in enumerate(sheet.headers):
            col = by_header.get(normalize_name(head))
            if col is not None and col.key not in index:
                index[col.key] = i
        self.check_columns(set(index))
        keys, columns = list(index), list(index.values())
        data = Table(keys, [])
        for number, cells in sheet.rows:
            data.dict.append(dict(zip(keys, [cells[i] for i in columns], strict=True)))
            self._numbers.append(number)
        return data

    # The two steps

    def plan(self, sheet: Sheet) -> list[RowResult]:
        data = self.dataset(sheet)
        self._step = max(1, len(data) // 20)
        self._total = len(data)
        # The check saves nothing: save_instance only collects (use_bulk) and apply() writes
        # (with the lease check of services.py), so the check needs no transaction of its own
        # and the progress it reports is visible while it runs.
        self.before_import(data)
        headers = data.headers
        # The fields a row sets, once per file (import-export asks for them on every cell).
        self._row_fields = [
            (f.attribute, f.column_name, f.widget.clean)
            for f in self.get_import_fields()
            if f.attribute
            and f.column_name in headers
            and not isinstance(f.widget, widgets.ManyToManyWidget)
        ]
        order = [c.key for c in self.columns]
        for i, (number, row) in enumerate(zip(self._numbers, data.dict, strict=True), start=1):
            self.results.append(self._import_row(number, i, row, order))
        return self.results

    def _import_row(self, number: int, i: int, row: dict, order: list[str]) -> RowResult:
        """One row through the hooks of import-export's `import_row`, in its order, for this
        Resource's options (bulk writes, no diff, no deletes): its per-row machinery (an
        OrderedDict, a result object, the instance's repr, kwargs rebuilt per call) cost a
        quarter of a big import. A ValidationError is the row's error, field by field; any
        other exception is the row's error too, as import-export reports it."""
        try:
            self.before_import_row(row, row_number=i)
            instance = self.get_instance(None, row)
            new = instance is None
            if new:
                instance = self.init_instance(row)
            self.after_init_instance(instance, new, row, row_number=i)
            errors = {}
            try:
                self.import_instance(instance, row, row_number=i)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            if self.skip_row(instance, None, row, errors):
                status = UNCHANGED
            else:
                self.validate_instance(instance, errors)
                self.save_instance(instance, new, row, row_number=i)
                status = NEW if new else UPDATE
        except ValidationError as exc:
            message = "; ".join(_messages(exc, order))
            return RowResult(number, ERROR, self._labels.get(i, ""), message)
        except Exception as exc:
            return RowResult(number, ERROR, self._labels.get(i, ""), str(exc))
        return RowResult(number, status, self._labels.get(i, ""), self._notes.get(i, ""))

    def apply(self, user) -> None:
        model = self._meta.model
        bulk_insert_with_history(
            model, self.create_instances, batch_size=WRITE_BATCH, default_user=user
        )
        if self.update_instances:
            fields_ = [*self.changed_fields]
            if "group" in fields_ and hasattr(model, "ward"):
                fields_.append("ward")
            if self.name_field:
                fields_.append("search_name")
            if hasattr(model, "updated_at"):
                now = timezone.now()
                for obj in self.update_instances:
                    obj.updated_at = now
                fields_.append("updated_at")
            bulk_update_with_history(
                self.update_instances, model, fields_, batch_size=500, default_user=user
            )
            bump_versions(model, (o.pk for o in self.update_instances))

    # import-export's hooks (save_instance only collects: use_bulk; apply() writes)

    def before_import_row(self, row, **kwargs):
        self._row_number = i = kwargs["row_number"]
        self._labels[i] = self.label(row)
        if self.progress and self._total > 2000 and i % self._step == 0:
            self.progress(i / self._total)

    def label(self, row) -> str:
        return cell_text(row.get("code"))

    def after_init_instance(self, instance, new, row, **kwargs):
        self._before = (
            {}
            if new
            else {
                self._attr(f): getattr(instance, self._attr(f))
                for f in self.get_import_fields()
                if f.attribute
            }
        )

    def _attr(self, field) -> str:
        """The instance attribute a field sets: a foreign key is compared by its id."""
        name = field.attribute
        return f"{name}_id" if name in self.resolved_fks else name

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        parsed = self._parsed.get(self._row_number, {})
        for attribute, column, clean in self._row_fields:
            try:
                value = parsed[column] if column in parsed else clean(row[column], row=row)
            except ValueError as exc:
                errors[attribute] = [ValidationError(str(exc), code="invalid")]
            else:
                setattr(instance, attribute, value)
        self.import_extra(instance, row, errors)
        problems = self.row_problems(instance, row, errors)
        if problems:
            errors.setdefault(NON_FIELD_ERRORS, []).extend(problems)
        if errors:
            raise ValidationError(errors)

    def import_extra(self, instance, row, errors) -> None:
        """Cells that are not one model field (errors: add to them by column key)."""

    def row_problems(self, instance, row, errors) -> list[str]:
        """Checks about the file and the registers together (duplicates), not one record."""
        return []

    def changes(self, instance, row) -> list[str]:
        """The headers of the columns that change an existing record. A column absent from
        the file changes nothing (its field keeps its value)."""
        labels = []
        for f in self.get_import_fields():
            if not f.attribute or f.column_name not in row:
                continue
            name = self._attr(f)
            if getattr(instance, name) != self._before[name]:
                self.changed_fields.add(name)
                labels.append(self.header(f.column_name))
        return labels

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None:
            return False
        labels = self.changes(instance, row)
        if not labels:
            return True
        self._notes[self._row_number] = _("thay đổi: %(f)s") % {"f": ", ".join(labels)}
        return False

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """full_clean(), minus what the Resource already knows: the foreign keys its widgets
        found in its tables, and uniqueness (matched by code; duplicates in the file are
        row_problems). The database still enforces both when apply() writes."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, *self.resolved_fks],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if hasattr(instance, "ward_id"):
            group = getattr(instance, "group", None) if hasattr(instance, "group_id") else None
            instance.ward_id = group.ward_id if group is not None else self.ward.pk
        if self.name_field:
            instance.search_name = normalize_name(getattr(instance, self.name_field))


def _cell(parse):
    return CellWidget(parse)


def _groups_table(ward) -> dict[str, ResidentialGroup]:
    return {g.code.upper(): g for g in ResidentialGroup.objects.filter(ward=ward)}


GROUP_MISSING = "không có tổ dân phố mã “%(code)s” trong phường"


class CodedResource(ImportResource):
    """Households and businesses: one row per code; an existing code is updated in place."""

    resolved_fks = ("group",)

    def before_import(self, dataset, **kwargs):
        self.fields["group"].widget.table = _groups_table(self.ward)
        codes = {cell_text(c) for c in dataset["code"]} - {""}
        self.existing = {}
        model = self._meta.model
        for chunk in chunked(codes):
            self.existing.update(
                (o.code, o) for o in model.objects.filter(code__in=chunk, ward=self.ward)
            )
        self.seen: dict[str, int] = {}

    def get_instance(self, instance_loader, row):
        return self.existing.get(cell_text(row.get("code")))

    def row_problems(self, instance, row, errors):
        code = instance.code or cell_text(row.get("code"))
        if not code:
            return []
        number = self._numbers[self._row_number - 1]
        if code in self.seen:
            return [_("mã “%(code)s” trùng với dòng %(n)s") % {"code": code, "n": self.seen[code]}]
        self.seen[code] = number
        return []


def _text(header, *, required=False, max_length=255):
    return _cell(lambda v: parse_text(v, header, required=required, max_length=max_length))


def _bool(header, default=False):
    return _cell(lambda v: parse_bool(v, header, default=default))


class HouseholdResource(CodedResource):
    kind = "households"
    columns = HOUSEHOLD_COLUMNS
    name_field = "head_name"

    class Meta(ImportResource.Meta):
        model = Household
        fields = ("code", "head_name", "address", "group", "phone", "poverty_status")

    def cell_widgets(self):
        h = self.header
        return {
            "code": _text(h("code"), required=True, max_length=30),
            "head_name": _cell(lambda v: parse_name(v, h("head_name"))),
            "address": _text(h("address"), required=True),
            "group": CodeWidget(ResidentialGroup, h("group"), _(GROUP_MISSING), upper=True),
            "phone": _cell(lambda v: parse_phone(v, h("phone"))),
            "poverty_status": _cell(
                lambda v: parse_choice(
                    v, h("poverty_status"), POVERTY, LABELS[PovertyStatus], "none"
                )
            ),
        }


class BusinessResource(CodedResource):
    kind = "businesses"
    columns = BUSINESS_COLUMNS
    name_field = "name"

    class Meta(ImportResource.Meta):
        model = Business
        fields = tuple(c.key for c in BUSINESS_COLUMNS)

    def cell_widgets(self):
        h = self.header
        return {
            "code": _text(h("code"), required=True, max_length=30),
            "name": _text(h("name"), required=True, max_length=200),
            "owner_name": _text(h("owner_name"), required=True, max_length=120),
            "address": _text(h("address"), required=True),
            "group": CodeWidget(ResidentialGroup, h("group"), _(GROUP_MISSING), upper=True),
            "sector": _cell(lambda v: parse_choice(v, h("sector"), SECTOR, LABELS[Sector])),
            "high_risk": _bool(h("high_risk")),
            "employee_count": _cell(lambda v: parse_int(v, h("employee_count"))),
            "minor_employee_count": _cell(lambda v: parse_int(v, h("minor_employee_count"))),
            "has_minor_register": _bool(h("has_minor_register")),
            "active": _bool(h("active"), default=True),
            "phone": _cell(lambda v: parse_phone(v, h("phone"))),
        }


class ChildResource(ImportResource):
    kind = "children"
    columns = CHILD_COLUMNS
    resolved_fks = ("household",)
    name_field = "full_name"

    class Meta(ImportResource.Meta):
        model = Child
        fields = tuple(c.key for c in CHILD_COLUMNS)

    def attributes(self):
        return {"special_groups": None}

    def cell_widgets(self):
        h = self.header
        household = CodeWidget(
            Household, h("household"), _("không có hộ mã “%(code)s” (nhập hộ gia đình trước)")
        )

        def date(key, **kw):
            # The file's day (before_import): one clock read per file, not per cell.
            return _cell(lambda v: parse_date(v, h(key), today=getattr(self, "today", None), **kw))

        return {
            "full_name": _cell(lambda v: parse_name(v, h("full_name"))),
            "sex": _cell(lambda v: parse_choice(v, h("sex"), SEX, LABELS[Sex])),
            "birth_date": date("birth_date", required=True),
            "household": household,
            "national_id": _cell(parse_national_id),
            "school_status": _cell(
                lambda v: parse_choice(
                    v, h("school_status"), SCHOOL, LABELS[SchoolStatus], "in_school"
                )
            ),
            "school_name": _text(h("school_name"), max_length=200),
            "at_risk": _bool(h("at_risk")),
            "special_groups": _cell(self._parse_groups),
            "risk_factors": _text(h("risk_factors"), max_length=2000),
            "dropout_date": date("dropout_date"),
            "dropout_reason": _cell(
                lambda v: parse_choice(v, h("dropout_reason"), DROPOUT, LABELS[DropoutReason], "")
            ),
            "registered_on": date("registered_on", not_future=True),
            "moved_out_on": date("moved_out_on", not_future=True),
        }

    def _parse_groups(self, value) -> set:
        text = cell_text(value).replace(";", ",").replace(" ", ",")
        codes = {p.strip().lower().rstrip(")") for p in text.split(",") if p.strip()}
        unknown = sorted(c for c in codes if c not in self.special)
        if unknown:
            raise RowError(
                _(
                    "mã hoàn cảnh đặc biệt không có: %(codes)s (dùng a, b, c, d, đ, e, g, h, i, k, l, m, n, o)"
                )
                % {"codes": ", ".join(unknown)}
            )
        return {self.special[c] for c in codes}

    def _key_cells(self, i: int, row):
        """(normalised name, birth date, household) of a row, or None where a cell is bad:
        how a row finds the child it updates. The cells parsed are kept for the row's import."""
        parsed = self._parsed[i] = {}
        for key in ("full_name", "birth_date", "household", "national_id"):
            if key in row:
                with contextlib.suppress(ValueError):  # the row's import reports it
                    parsed[key] = self.fields[key].widget.clean(row[key], row=row)
        name = parsed.get("full_name")
        return normalize_name(name or ""), parsed.get("birth_date"), parsed.get("household")

    def before_import(self, dataset, **kwargs):
        self.today = timezone.localdate()
        self.special = {c.lower(): c for c in SpecialGroup.objects.values_list("code", flat=True)}
        codes = {cell_text(c) for c in dataset["household"]} - {""}
        table = self.fields["household"].widget.table
        for chunk in chunked(codes):
            table.update(
                (h.code, h) for h in Household.objects.filter(code__in=chunk, ward=self.ward)
            )
        self.keys = {}
        pairs, nids = set(), set()
        for i, row in enumerate(dataset.dict, start=1):
            self.keys[i] = key = self._key_cells(i, row)
            if key[1]:
                pairs.add(key[:2])
            if nid := self._parsed[i].get("national_id"):
                nids.add(nid)
        # The ward's children a row may be (same name and birth date) or clash with (same
        # national ID). By name and birth date together (the index on both): by birth date
        # alone, PostgreSQL read every ward's children born on those days, the whole
        # province's register at 99 wards, to keep this ward's.
        found: dict[int, Child] = {}
        ward_children = Child.objects.filter(household__ward=self.ward).select_related("household")
        for chunk in chunked(sorted(pairs)):
            wanted = set(chunk)
            names, births = {n for n, _b in chunk}, {b for _n, b in chunk}
            for c in ward_children.filter(search_name__in=names, birth_date__in=births):
                if (c.search_name, c.birth_date) in wanted:
                    found[c.pk] = c
        # A national ID belongs to one child in the whole country (Child.validate_unique): the
        # IDs of the file are looked up in every ward. Another ward's child is only noted as
        # "this ID is taken", never described (their record is outside the importer's scope).
        self.nid_elsewhere: set[str] = set()
        for chunk in chunked(sorted(nids)):
            for c in Child.objects.filter(national_id__in=chunk):
                if c.ward_id == self.ward.pk:  # the child's ward column (kept by a trigger)
                    found[c.pk] = c
                else:
                    self.nid_elsewhere.add(c.national_id)
        self.by_key, self.by_name_birth, self.by_nid = {}, {}, {}
        for c in found.values():
            self.by_key[(c.search_name, c.birth_date, c.household_id)] = c
            self.by_name_birth.setdefault((c.search_name, c.birth_date), []).append(c)
            if c.national_id:
                self.by_nid[c.national_id] = c
        self.groups_of: dict[int, set] = {}
        through = Child.special_groups.through
        for chunk in chunked(found):
            for child_id, code in through.objects.filter(child_id__in=chunk).values_list(
                "child_id", "specialgroup_id"
            ):
                self.groups_of.setdefault(child_id, set()).add(code)
        self.seen_key, self.seen_nid = {}, {}
        self.new_groups, self.regroup = [], {}
        self._groups = None

    def init_instance(self, row=None):
        # The file's day (before_import) as the default registration date: the model's
        # default reads the clock and the time zone for every row.
        return Child(registered_on=self.today)

    def label(self, row):
        name, birth = cell_text(row.get("full_name")), self.keys[self._row_number][1]
        return f"{name} ({_fmt(birth)})" if birth else name

    def get_instance(self, instance_loader, row):
        name, birth, household = self.keys[self._row_number]
        return self.by_key.get((name, birth, household.pk if household else None))

    def import_extra(self, instance, row, errors):
        self._groups = None
        if "special_groups" in row:
            try:
                self._groups = self.fields["special_groups"].clean(row)
            except ValueError as exc:
                errors["special_groups"] = [str(exc)]
        if "registered_on" in row and instance.registered_on is None:
            # Empty: today for a new child, unchanged for one already registered.
            instance.registered_on = self._before.get("registered_on") or self.today
        elif instance.pk is None and instance.registered_on is None:
            instance.registered_on = self.today

    def row_problems(self, instance, row, errors):
        problems = []
        if errors:
            return problems
        birth = instance.birth_date
        number = self._numbers[self._row_number - 1]
        norm, match = normalize_name(instance.full_name), None if instance.pk is None else instance
        if (norm, birth) in self.seen_key:
            problems.append(
                _("trùng trẻ em ở dòng %(n)s (cùng họ tên và ngày sinh)")
                % {"n": self.seen_key[(norm, birth)]}
            )
        else:
            self.seen_key[(norm, birth)] = number
        nid = instance.national_id
        if nid and nid in self.seen_nid:
            problems.append(_("số định danh trùng với dòng %(n)s") % {"n": self.seen_nid[nid]})
        elif nid:
            self.seen_nid[nid] = number
        for other in self.by_name_birth.get((norm, birth), []):
            if other is not match:
                problems.append(_("trùng trẻ em đã có: %(who)s") % {"who": self._describe(other)})
        other = self.by_nid.get(nid) if nid else None
        if other is not None and other is not match:
            problems.append(
                _("số định danh %(nid)s trùng trẻ em đã có: %(who)s")
                % {"nid": nid, "who": self._describe(other)}
            )
        elif (
            nid in self.nid_elsewhere
            # As the model: a child's own stored number is not checked again.
            and nid != getattr(match, "_stored_national_id", None)
        ):
            problems.append(str(NATIONAL_ID_TAKEN))
        return problems

    def _describe(self, c: Child) -> str:
        return _("%(name)s, sinh %(birth)s, hộ %(hh)s") % {
            "name": c.full_name,
            "birth": _fmt(c.birth_date),
            "hh": c.household.code,
        }

    def changes(self, instance, row):
        labels = super().changes(instance, row)
        groups = self._groups
        if groups is not None and groups != self.groups_of.get(instance.pk, set()):
            self.regroup[instance.pk] = groups
            labels.append(self.header("special_groups"))
        return labels

    def after_save_instance(self, instance, row, **kwargs):
        if instance.pk is None and self._groups:
            self.new_groups.append((instance, self._groups))

    def apply(self, user):
        super().apply(user)
        through = Child.special_groups.through
        for chunk in chunked(self.regroup):
            through.objects.filter(child_id__in=chunk).delete()
        links = [
            through(child_id=child.pk, specialgroup_id=code)
            for child, codes in self.new_groups
            for code in codes
        ]
        links += [
            through(child_id=pk, specialgroup_id=code)
            for pk, codes in self.regroup.items()
            for code in codes
        ]
        bulk_insert(through, links, batch_size=WRITE_BATCH, ids=False)
        bump_versions(Child, self.regroup)  # new special groups change the child


class SessionWidget(widgets.Widget):
    """The session of a row: by its number, or by date, topic and group (other cells of the
    same row), from the sessions the Resource fetched for the file."""

    def __init__(self, resource: "AttendanceResource"):
        super().__init__()
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        r = self.resource
        sid = cell_text(value)
        if sid:
            session = r.sessions.get(int(sid)) if sid.isdigit() else None
            if session is None:
                raise ValueError(_("không có buổi tuyên truyền mã “%(id)s”") % {"id": sid})
            return session
        try:
            date = parse_date(row.get("date"), r.header("date"))
            group = r.group_widget.clean(row.get("group"))
        except (RowError, ValueError) as exc:
            raise ValueError(str(exc)) from None
        topic = cell_text(row.get("topic"))
        if not date or not topic:
            raise ValueError(_("thiếu mã buổi, hoặc ngày và chủ đề của buổi"))
        found = r.by_ident.get((date, group.pk if group else None, normalize_name(topic)), [])
        if not found:
            raise ValueError(
                _("không có buổi tuyên truyền ngày %(d)s, chủ đề “%(t)s” ở tổ này")
                % {"d": _fmt(date), "t": topic}
            )
        if len(found) > 1:
            raise ValueError(
                _("có %(n)s buổi cùng ngày, tổ và chủ đề: hãy ghi mã buổi") % {"n": len(found)}
            )
        return found[0]


class AttendanceResource(ImportResource):
    """Rows of the sessions' households-reached table; a link already there is unchanged."""

    kind = "attendance"
    columns = ATTENDANCE_COLUMNS
    resolved_fks = ("outreachsession", "household")

    class Meta(ImportResource.Meta):
        model = OutreachSession.households_reached.through
        fields = ("session", "household")

    def attributes(self):
        return {"session": "outreachsession"}

    def cell_widgets(self):
        self.group_widget = CodeWidget(
            ResidentialGroup, self.header("group"), _(GROUP_MISSING), required=False, upper=True
        )
        household = CodeWidget(Household, self.header("household"), _("không có hộ mã “%(code)s”"))
        return {"session": SessionWidget(self), "household": household}

    def check_columns(self, present):
        super().check_columns(present)
        if "session" not in present and not {"date", "topic"} <= present:
            raise FileProblem(
                _(
                    "Tệp thiếu cột: cần cột “Mã buổi tuyên truyền”, hoặc các cột “Ngày”, “Chủ đề” (và “Mã tổ dân phố”) để xác định buổi."
                )
            )

    def dataset(self, sheet):
        # Date, topic and group only identify a session: the widget reads them from the row.
        data = super().dataset(sheet)
        if "session" not in data.headers:
            data.append_col([None] * len(data), header="session")
        return data

    def before_import(self, dataset, **kwargs):
        self.group_widget.table = _groups_table(self.ward)
        ids, dates, codes = set(), set(), set()
        for row in dataset.dict:
            sid = cell_text(row.get("session"))
            if sid.isdigit():
                ids.add(int(sid))
            try:
                date = parse_date(row.get("date"), "")
            except RowError:
                date = None
            if date:
                dates.add(date)
            codes.add(cell_text(row.get("household")))
        only = ("pk", "date", "topic", "group_id")
        sessions = {}
        for lookup, values in (("pk__in", ids), ("date__in", dates)):
            for chunk in chunked(sorted(values)):
                objs = OutreachSession.objects.filter(ward=self.ward, **{lookup: chunk}).only(*only)
                sessions.update((s.pk, s) for s in objs)
        self.sessions = sessions
        self.by_ident: dict[tuple, list] = {}
        for s in sessions.values():
            self.by_ident.setdefault((s.date, s.group_id, normalize_name(s.topic)), []).append(s)
        table = self.fields["household"].widget.table
        for chunk in chunked(codes - {""}):
            table.update(
                (h.code, h)
                for h in Household.objects.filter(code__in=chunk, ward=self.ward).only("pk", "code")
            )
        through = self._meta.model
        self.links = set()
        for chunk in chunked(sessions):
            self.links.update(
                through.objects.filter(outreachsession_id__in=chunk).values_list(
                    "outreachsession_id", "household_id"
                )
            )
        self.seen: dict[tuple, int] = {}

    def label(self, row):
        return cell_text(row.get("household"))

    def get_instance(self, instance_loader, row):
        return None  # every row is a link to add; skip_row finds those already there

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        i = self._row_number
        self._labels[i] = f"{instance.outreachsession} – {self._labels[i]}"
        link = (instance.outreachsession_id, instance.household_id)
        if link in self.links:
            return True
        if link in self.seen:
            self._notes[i] = _("đã có ở dòng %(n)s") % {"n": self.seen[link]}
            return True
        self.seen[link] = self._numbers[i - 1]
        return False

    def apply(self, user):
        self._meta.model.objects.bulk_create(
            self.create_instances, batch_size=WRITE_BATCH, ignore_conflicts=True
        )
        bump_versions(OutreachSession, (o.outreachsession_id for o in self.create_instances))


RESOURCES: dict[str, type[ImportResource]] = {
    cls.kind: cls
    for cls in (HouseholdResource, ChildResource, BusinessResource, AttendanceResource)
}
