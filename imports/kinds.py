"""The four kinds of import. Each checks every row against lookups fetched up front (a fixed
number of queries whatever the row count) and writes with bulk operations in batches."""

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from children.models import Child, DropoutReason, SchoolStatus, Sex, SpecialGroup
from dongnguyen.text import normalize_name
from dongnguyen.versioning import bump_version
from households.models import Household, PovertyStatus, ResidentialGroup
from inspections.models import Business, Sector
from outreach.models import OutreachSession

from .parsing import (
    RowError,
    choice_lookup,
    parse_bool,
    parse_choice,
    parse_date,
    parse_int,
    parse_national_id,
    parse_phone,
    parse_text,
)
from .readers import FileProblem, Sheet, cell_text

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
# Keeps every IN (...) list under SQLite's and PostgreSQL's parameter limits.
LOOKUP_CHUNK = 900
WRITE_BATCH = 1000


def _bump_versions(model, objs) -> None:
    """An import changed these rows: an edit form opened before must not overwrite it."""
    if any(f.name == "version" for f in model._meta.concrete_fields):
        for chunk in chunked(o.pk for o in objs):
            bump_version(model.objects.filter(pk__in=chunk))


def chunked(items: Iterable, size: int = LOOKUP_CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    fmt: str
    example: str
    aliases: tuple = ()


@dataclass
class RowResult:
    row: int
    status: str
    label: str
    message: str = ""

    def as_list(self):
        return [self.row, self.status, self.label, self.message]


@dataclass
class Row:
    number: int
    cells: dict
    errors: list = field(default_factory=list)
    values: dict = field(default_factory=dict)

    def take(self, key: str, parse: Callable):
        """Parse one cell if its column is in the file; collect the reason when it is bad."""
        if key not in self.cells:
            return None
        try:
            value = parse(self.cells[key])
        except RowError as exc:
            self.errors.append(str(exc))
            return None
        self.values[key] = value
        return value


POVERTY = choice_lookup(
    PovertyStatus.choices,
    {"Nghèo": "poor", "Cận nghèo": "near_poor", "Khó khăn": "hardship", "Bình thường": "none"},
)
SEX = choice_lookup(Sex.choices, {"Trai": "male", "Gái": "female"})
SCHOOL = choice_lookup(SchoolStatus.choices, {"Đi học": "in_school", "Bỏ học": "dropped_out"})
DROPOUT = choice_lookup(DropoutReason.choices, {"Kinh tế": "economic", "Khác": "other"})
SECTOR = choice_lookup(Sector.choices)


class Importer(ABC):
    kind: str
    columns: list[Column]
    label_key: str = "code"

    def __init__(self, sheet: Sheet):
        by_header = {}
        for col in self.columns:
            for name in (col.header, *col.aliases):
                by_header[normalize_name(name)] = col
        self.index: dict[str, int] = {}
        for i, header in enumerate(sheet.headers):
            col = by_header.get(normalize_name(header))
            if col is not None and col.key not in self.index:
                self.index[col.key] = i
        missing = [c.header for c in self.columns if c.required and c.key not in self.index]
        self.check_columns(missing)
        self.sheet = sheet
        self.results: list[RowResult] = []

    def check_columns(self, missing: list[str]):
        if missing:
            raise FileProblem(
                _("Tệp thiếu cột: %(cols)s. Hãy dùng tệp mẫu của loại dữ liệu này.")
                % {"cols": ", ".join(f"“{m}”" for m in missing)}
            )

    def header(self, key: str) -> str:
        # Translated once per file: called for every cell, and gettext is not free.
        cache = self.__dict__.setdefault("_headers", {})
        if key not in cache:
            cache[key] = str(next(c.header for c in self.columns if c.key == key))
        return cache[key]

    def rows(self) -> list[Row]:
        return [
            Row(number, {key: cells[i] for key, i in self.index.items()})
            for number, cells in self.sheet.rows
        ]

    def plan(self, progress: Callable[[float], None] | None = None) -> list[RowResult]:
        rows = self.rows()
        self.prepare(rows)
        step = max(1, len(rows) // 20)
        for i, row in enumerate(rows):
            self.results.append(self.check_row(row))
            if progress and i % step == step - 1 and len(rows) > 2000:
                progress((i + 1) / len(rows))
        return self.results

    def error(self, row: Row, label: str, *messages) -> RowResult:
        return RowResult(row.number, ERROR, label, "; ".join([*row.errors, *messages]))

    # Each kind says how to fetch what its rows refer to, judge one row, and write the lot.
    @abstractmethod
    def prepare(self, rows: list[Row]): ...

    @abstractmethod
    def check_row(self, row: Row) -> RowResult: ...

    @abstractmethod
    def apply(self, user) -> None: ...


def _groups_by_code() -> dict[str, int]:
    return {code.upper(): pk for pk, code in ResidentialGroup.objects.values_list("pk", "code")}


def _group_parser(groups: dict[str, int], header: str, *, required=True):
    def parse(value):
        code = cell_text(value).upper()
        if not code:
            if required:
                raise RowError(_("thiếu %(col)s") % {"col": header})
            return None
        try:
            return groups[code]
        except KeyError:
            raise RowError(
                _("không có tổ dân phố mã “%(code)s” trong phường") % {"code": cell_text(value)}
            ) from None

    return parse


class CodedImporter(Importer):
    """Households and businesses: one row per code; an existing code is updated in place."""

    model = None
    name_field = ""

    def prepare(self, rows):
        self.groups = _groups_by_code()
        codes = {cell_text(r.cells.get("code")) for r in rows}
        self.existing = {}
        for chunk in chunked(c for c in codes if c):
            self.existing.update((o.code, o) for o in self.model.objects.filter(code__in=chunk))
        self.seen: dict[str, int] = {}
        self.new_objs, self.changed_objs, self.changed_fields = [], [], set()

    @abstractmethod
    def parse_row(self, row: Row): ...

    def check_row(self, row):
        self.parse_row(row)
        code = row.values.get("code") or cell_text(row.cells.get("code"))
        if code and code in self.seen:
            row.errors.append(
                _("mã “%(code)s” trùng với dòng %(n)s") % {"code": code, "n": self.seen[code]}
            )
        elif code:
            self.seen[code] = row.number
        if row.errors:
            return self.error(row, code)
        values = dict(row.values)
        if "group" in values:
            values["group_id"] = values.pop("group")
        obj = self.existing.get(code)
        if obj is None:
            obj = self.model(**values)
            obj.search_name = normalize_name(getattr(obj, self.name_field))
            self.new_objs.append(obj)
            return RowResult(row.number, NEW, code)
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if not changed:
            return RowResult(row.number, UNCHANGED, code)
        for k in changed:
            setattr(obj, k, values[k])
        obj.search_name = normalize_name(getattr(obj, self.name_field))
        self.changed_objs.append(obj)
        self.changed_fields.update(changed)
        labels = ", ".join(self.header(k if k != "group_id" else "group") for k in changed)
        return RowResult(row.number, UPDATE, code, _("thay đổi: %(f)s") % {"f": labels})

    def apply(self, user):
        bulk_create_with_history(
            self.new_objs, self.model, batch_size=WRITE_BATCH, default_user=user
        )
        if self.changed_objs:
            now = timezone.now()
            fields = [*self.changed_fields, "search_name"]
            if hasattr(self.model, "updated_at"):
                for obj in self.changed_objs:
                    obj.updated_at = now
                fields.append("updated_at")
            bulk_update_with_history(
                self.changed_objs, self.model, fields, batch_size=500, default_user=user
            )
            _bump_versions(self.model, self.changed_objs)


class HouseholdImporter(CodedImporter):
    kind = "households"
    model = Household
    name_field = "head_name"
    columns = [
        Column(
            "code",
            gettext_lazy("Mã hộ"),
            True,
            gettext_lazy(
                "Bắt buộc, duy nhất trong phường; dùng để nhận ra hộ đã có (cập nhật thay vì thêm mới)."
            ),
            "HGD-0001",
        ),
        Column(
            "head_name",
            gettext_lazy("Họ tên chủ hộ"),
            True,
            gettext_lazy("Bắt buộc."),
            "Nguyễn Văn Hùng",
            ("Chủ hộ",),
        ),
        Column(
            "address",
            gettext_lazy("Địa chỉ"),
            True,
            gettext_lazy("Bắt buộc."),
            "Số 12, đường 277, khu phố Đồng Kỵ",
        ),
        Column(
            "group",
            gettext_lazy("Mã tổ dân phố"),
            True,
            gettext_lazy("Bắt buộc; mã tổ đã có trong hệ thống, ví dụ TDP-01."),
            "TDP-01",
            ("Tổ dân phố",),
        ),
        Column(
            "phone",
            gettext_lazy("Số điện thoại"),
            False,
            gettext_lazy("Không bắt buộc; nên định dạng ô là Văn bản để giữ số 0 đầu."),
            "0912345678",
        ),
        Column(
            "poverty_status",
            gettext_lazy("Diện hộ"),
            False,
            gettext_lazy(
                "Hộ nghèo, Hộ cận nghèo (hoặc Cận nghèo), Hoàn cảnh khó khăn, Không. Để trống = Không."
            ),
            "Hộ cận nghèo",
        ),
    ]

    def parse_row(self, row):
        row.take("code", lambda v: parse_text(v, self.header("code"), required=True, max_length=30))
        row.take(
            "head_name",
            lambda v: parse_text(v, self.header("head_name"), required=True, max_length=120),
        )
        row.take("address", lambda v: parse_text(v, self.header("address"), required=True))
        row.take("group", _group_parser(self.groups, self.header("group")))
        row.take("phone", lambda v: parse_phone(v, self.header("phone")))
        row.take(
            "poverty_status",
            lambda v: parse_choice(
                v, self.header("poverty_status"), POVERTY, PovertyStatus.labels, "none"
            ),
        )


class BusinessImporter(CodedImporter):
    kind = "businesses"
    model = Business
    name_field = "name"
    columns = [
        Column(
            "code",
            gettext_lazy("Mã cơ sở"),
            True,
            gettext_lazy("Bắt buộc, duy nhất; dùng để nhận ra cơ sở đã có."),
            "CS-0001",
        ),
        Column(
            "name",
            gettext_lazy("Tên cơ sở"),
            True,
            gettext_lazy("Bắt buộc."),
            "Xưởng đồ gỗ Minh Phát",
        ),
        Column(
            "owner_name",
            gettext_lazy("Chủ cơ sở"),
            True,
            gettext_lazy("Bắt buộc."),
            "Trần Văn Phát",
        ),
        Column(
            "address", gettext_lazy("Địa chỉ"), True, gettext_lazy("Bắt buộc."), "Làng nghề Đồng Kỵ"
        ),
        Column(
            "group",
            gettext_lazy("Mã tổ dân phố"),
            True,
            gettext_lazy("Bắt buộc; mã tổ đã có, ví dụ TDP-01."),
            "TDP-01",
            ("Tổ dân phố",),
        ),
        Column(
            "sector",
            gettext_lazy("Ngành nghề"),
            True,
            gettext_lazy("Một trong: %(labels)s.")
            % {"labels": ", ".join(str(s) for s in Sector.labels)},
            "Đồ gỗ mỹ nghệ",
        ),
        Column(
            "high_risk",
            gettext_lazy("Nguy cơ cao"),
            False,
            gettext_lazy("Có hoặc Không; để trống = Không."),
            "Có",
        ),
        Column(
            "employee_count",
            gettext_lazy("Số lao động"),
            False,
            gettext_lazy("Số nguyên; để trống = 0."),
            "12",
        ),
        Column(
            "minor_employee_count",
            gettext_lazy("Số lao động chưa thành niên"),
            False,
            gettext_lazy("Số nguyên, không lớn hơn Số lao động; để trống = 0."),
            "1",
        ),
        Column(
            "has_minor_register",
            gettext_lazy("Có sổ theo dõi lao động chưa thành niên"),
            False,
            gettext_lazy("Có hoặc Không; để trống = Không."),
            "Không",
        ),
        Column(
            "active",
            gettext_lazy("Đang hoạt động"),
            False,
            gettext_lazy("Có hoặc Không; để trống = Có."),
            "Có",
        ),
        Column(
            "phone",
            gettext_lazy("Số điện thoại"),
            False,
            gettext_lazy("Không bắt buộc."),
            "0987654321",
        ),
    ]

    def parse_row(self, row):
        h = self.header
        row.take("code", lambda v: parse_text(v, h("code"), required=True, max_length=30))
        row.take("name", lambda v: parse_text(v, h("name"), required=True, max_length=200))
        row.take(
            "owner_name", lambda v: parse_text(v, h("owner_name"), required=True, max_length=120)
        )
        row.take("address", lambda v: parse_text(v, h("address"), required=True))
        row.take("group", _group_parser(self.groups, h("group")))
        row.take("sector", lambda v: parse_choice(v, h("sector"), SECTOR, Sector.labels))
        row.take("high_risk", lambda v: parse_bool(v, h("high_risk")))
        total = row.take("employee_count", lambda v: parse_int(v, h("employee_count")))
        minors = row.take("minor_employee_count", lambda v: parse_int(v, h("minor_employee_count")))
        row.take("has_minor_register", lambda v: parse_bool(v, h("has_minor_register")))
        row.take("active", lambda v: parse_bool(v, h("active"), default=True))
        row.take("phone", lambda v: parse_phone(v, h("phone")))
        if total is not None and minors is not None and minors > total:
            row.errors.append(_("số lao động chưa thành niên lớn hơn tổng số lao động"))


def _fmt(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


class ChildImporter(Importer):
    kind = "children"
    label_key = "full_name"
    columns = [
        Column(
            "full_name",
            gettext_lazy("Họ và tên"),
            True,
            gettext_lazy("Bắt buộc."),
            "Nguyễn Thị Mai",
            ("Họ tên",),
        ),
        Column("sex", gettext_lazy("Giới tính"), True, gettext_lazy("Nam hoặc Nữ."), "Nữ"),
        Column(
            "birth_date",
            gettext_lazy("Ngày sinh"),
            True,
            gettext_lazy("dd/mm/yyyy, không ở tương lai."),
            "17/05/2014",
        ),
        Column(
            "household",
            gettext_lazy("Mã hộ"),
            True,
            gettext_lazy("Bắt buộc; mã của hộ đã có (nhập hộ gia đình trước)."),
            "HGD-0001",
        ),
        Column(
            "national_id",
            gettext_lazy("Số định danh cá nhân"),
            False,
            gettext_lazy("Không bắt buộc; đúng 12 chữ số (định dạng ô là Văn bản)."),
            "027214001234",
        ),
        Column(
            "school_status",
            gettext_lazy("Tình trạng học tập"),
            False,
            gettext_lazy("Một trong: %(labels)s. Để trống = Đang đi học.")
            % {"labels": ", ".join(str(s) for s in SchoolStatus.labels)},
            "Đang đi học",
        ),
        Column(
            "school_name",
            gettext_lazy("Trường"),
            False,
            gettext_lazy("Không bắt buộc."),
            "Trường THCS Đồng Nguyên",
        ),
        Column(
            "at_risk",
            gettext_lazy("Có nguy cơ"),
            False,
            gettext_lazy("Có hoặc Không: có nguy cơ lao động sớm. Để trống = Không."),
            "Không",
        ),
        Column(
            "special_groups",
            gettext_lazy("Hoàn cảnh đặc biệt"),
            False,
            gettext_lazy(
                "Mã nhóm a…o theo Điều 10 Luật Trẻ em, cách nhau bởi dấu phẩy, ví dụ “h, k”. Để trống = không thuộc nhóm nào."
            ),
            "",
        ),
        Column(
            "risk_factors",
            gettext_lazy("Yếu tố nguy cơ"),
            False,
            gettext_lazy("Không bắt buộc."),
            "",
        ),
        Column(
            "dropout_date",
            gettext_lazy("Ngày bỏ học"),
            False,
            gettext_lazy(
                "dd/mm/yyyy; bắt buộc khi tình trạng là “Đã bỏ học”, để trống trong các trường hợp khác."
            ),
            "",
        ),
        Column(
            "dropout_reason",
            gettext_lazy("Lý do bỏ học"),
            False,
            gettext_lazy("Khi đã bỏ học, một trong: %(labels)s.")
            % {"labels": ", ".join(str(s) for s in DropoutReason.labels)},
            "",
        ),
        Column(
            "registered_on",
            gettext_lazy("Ngày vào danh sách"),
            False,
            gettext_lazy("dd/mm/yyyy; để trống = hôm nay với trẻ mới, giữ nguyên với trẻ đã có."),
            "",
        ),
        Column(
            "moved_out_on",
            gettext_lazy("Ngày chuyển đi"),
            False,
            gettext_lazy(
                "dd/mm/yyyy; chỉ ghi khi trẻ đã chuyển khỏi phường, để trống = đang ở phường."
            ),
            "",
        ),
    ]
    FIELDS = [
        "full_name",
        "sex",
        "birth_date",
        "household_id",
        "national_id",
        "school_status",
        "school_name",
        "at_risk",
        "risk_factors",
        "dropout_date",
        "dropout_reason",
        "registered_on",
        "moved_out_on",
    ]

    def prepare(self, rows):
        h = self.header
        self.today = timezone.localdate()
        self.special = {c.lower(): c for c in SpecialGroup.objects.values_list("code", flat=True)}
        codes = {cell_text(r.cells.get("household")) for r in rows} - {""}
        self.households: dict[str, int] = {}
        for chunk in chunked(codes):
            self.households.update(
                Household.objects.filter(code__in=chunk).values_list("code", "pk")
            )
        for row in rows:
            row.take(
                "full_name", lambda v: parse_text(v, h("full_name"), required=True, max_length=120)
            )
            row.take("sex", lambda v: parse_choice(v, h("sex"), SEX, Sex.labels))
            row.take(
                "birth_date",
                lambda v: parse_date(v, h("birth_date"), required=True, not_future=True),
            )
            row.take("national_id", lambda v: parse_national_id(v, h("national_id")))
        births = {r.values["birth_date"] for r in rows if r.values.get("birth_date")}
        nids = {r.values["national_id"] for r in rows if r.values.get("national_id")}
        only = [
            "household__code",
            *[f for f in self.FIELDS if f != "household_id"],
            "household",
            "search_name",
        ]
        found: dict[int, Child] = {}
        for chunk in chunked(sorted(births)):
            for c in (
                Child.objects.filter(birth_date__in=chunk).select_related("household").only(*only)
            ):
                found[c.pk] = c
        for chunk in chunked(sorted(nids)):
            for c in (
                Child.objects.filter(national_id__in=chunk).select_related("household").only(*only)
            ):
                found[c.pk] = c
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
        self.new_objs, self.new_groups = [], []
        self.changed_objs, self.changed_fields, self.regroup = [], set(), {}

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

    def _describe(self, c: Child) -> str:
        return _("%(name)s, sinh %(birth)s, hộ %(hh)s") % {
            "name": c.full_name,
            "birth": _fmt(c.birth_date),
            "hh": c.household.code,
        }

    def check_row(self, row):
        h = self.header
        name = row.values.get("full_name") or cell_text(row.cells.get("full_name"))
        code = cell_text(row.cells.get("household"))
        household_id = self.households.get(code)
        if code and household_id is None:
            row.errors.append(
                _("không có hộ mã “%(code)s” (nhập hộ gia đình trước)") % {"code": code}
            )
        elif not code:
            row.errors.append(_("thiếu %(col)s") % {"col": h("household")})
        status = row.take(
            "school_status",
            lambda v: parse_choice(v, h("school_status"), SCHOOL, SchoolStatus.labels, "in_school"),
        )
        row.take("school_name", lambda v: parse_text(v, h("school_name"), max_length=200))
        row.take("at_risk", lambda v: parse_bool(v, h("at_risk")))
        row.take("risk_factors", lambda v: parse_text(v, h("risk_factors"), max_length=2000))
        groups = row.take("special_groups", self._parse_groups)
        d_date = row.take(
            "dropout_date", lambda v: parse_date(v, h("dropout_date"), not_future=True)
        )
        d_reason = row.take(
            "dropout_reason",
            lambda v: parse_choice(v, h("dropout_reason"), DROPOUT, DropoutReason.labels, ""),
        )
        registered = row.take(
            "registered_on", lambda v: parse_date(v, h("registered_on"), not_future=True)
        )
        moved = row.take(
            "moved_out_on", lambda v: parse_date(v, h("moved_out_on"), not_future=True)
        )
        birth = row.values.get("birth_date")
        if moved and birth and moved < birth:
            row.errors.append(_("ngày chuyển đi trước ngày sinh"))
        elif moved and registered and moved < registered:
            row.errors.append(_("ngày chuyển đi trước ngày vào danh sách"))
        if status == SchoolStatus.DROPPED_OUT and not d_date:
            row.errors.append(_("đã bỏ học nhưng thiếu %(col)s") % {"col": h("dropout_date")})
        if status not in (None, SchoolStatus.DROPPED_OUT) and (d_date or d_reason):
            row.errors.append(_("chỉ ghi ngày, lý do bỏ học khi tình trạng là “Đã bỏ học”"))
        if birth and d_date and d_date < birth:
            row.errors.append(_("ngày bỏ học trước ngày sinh"))
        label = f"{name} ({_fmt(birth)})" if birth else name
        if row.errors:
            return self.error(row, label)

        norm = normalize_name(name)
        key = (norm, birth, household_id)
        nid = row.values.get("national_id", "")
        match = self.by_key.get(key)
        problems = []
        if (norm, birth) in self.seen_key:
            problems.append(
                _("trùng trẻ em ở dòng %(n)s (cùng họ tên và ngày sinh)")
                % {"n": self.seen_key[(norm, birth)]}
            )
        else:
            self.seen_key[(norm, birth)] = row.number
        if nid and nid in self.seen_nid:
            problems.append(_("số định danh trùng với dòng %(n)s") % {"n": self.seen_nid[nid]})
        elif nid:
            self.seen_nid[nid] = row.number
        for other in self.by_name_birth.get((norm, birth), []):
            if other is not match:
                problems.append(_("trùng trẻ em đã có: %(who)s") % {"who": self._describe(other)})
        other = self.by_nid.get(nid) if nid else None
        if other is not None and other is not match:
            problems.append(
                _("số định danh %(nid)s trùng trẻ em đã có: %(who)s")
                % {"nid": nid, "who": self._describe(other)}
            )
        if problems:
            return self.error(row, label, *problems)

        values = {k: v for k, v in row.values.items() if k in self.FIELDS}
        values["household_id"] = household_id
        if match is None:
            values.setdefault("registered_on", self.today)
            if values.get("registered_on") is None:
                values["registered_on"] = self.today
            child = Child(**values, search_name=norm)
            self.new_objs.append(child)
            if groups:
                self.new_groups.append((child, groups))
            return RowResult(row.number, NEW, label)
        if values.get("registered_on") is None:
            values.pop("registered_on", None)
        changed = [k for k, v in values.items() if getattr(match, k) != v]
        labels = [h("household" if k == "household_id" else k) for k in changed]
        if groups is not None and groups != self.groups_of.get(match.pk, set()):
            self.regroup[match.pk] = groups
            labels.append(h("special_groups"))
        if not labels:
            return RowResult(row.number, UNCHANGED, label)
        if changed:
            for k in changed:
                setattr(match, k, values[k])
            match.search_name = norm
            self.changed_objs.append(match)
            self.changed_fields.update(changed)
        return RowResult(row.number, UPDATE, label, _("thay đổi: %(f)s") % {"f": ", ".join(labels)})

    def apply(self, user):
        bulk_create_with_history(self.new_objs, Child, batch_size=WRITE_BATCH, default_user=user)
        if self.changed_objs:
            now = timezone.now()
            for c in self.changed_objs:
                c.updated_at = now
            fields = [*self.changed_fields, "search_name", "updated_at"]
            bulk_update_with_history(
                self.changed_objs, Child, fields, batch_size=500, default_user=user
            )
            _bump_versions(Child, self.changed_objs)
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
        through.objects.bulk_create(links, batch_size=WRITE_BATCH)


class AttendanceImporter(Importer):
    kind = "attendance"
    columns = [
        Column(
            "session",
            gettext_lazy("Mã buổi tuyên truyền"),
            False,
            gettext_lazy(
                "Số mã của buổi (xem trên trang buổi tuyên truyền). Nếu để trống thì ghi Ngày, Chủ đề và Mã tổ dân phố của buổi."
            ),
            "15",
        ),
        Column(
            "date",
            gettext_lazy("Ngày"),
            False,
            gettext_lazy("Ngày của buổi, dd/mm/yyyy."),
            "20/06/2026",
        ),
        Column(
            "group",
            gettext_lazy("Mã tổ dân phố"),
            False,
            gettext_lazy("Tổ của buổi; để trống nếu là buổi toàn phường."),
            "TDP-01",
        ),
        Column(
            "topic",
            gettext_lazy("Chủ đề"),
            False,
            gettext_lazy("Chủ đề của buổi, đúng như đã ghi (không phân biệt hoa thường, dấu)."),
            "Phòng ngừa lao động trẻ em",
        ),
        Column(
            "household",
            gettext_lazy("Mã hộ"),
            True,
            gettext_lazy("Bắt buộc; mã của hộ được tuyên truyền."),
            "HGD-0001",
        ),
    ]

    def check_columns(self, missing):
        super().check_columns(missing)
        if "session" not in self.index and not {"date", "topic"} <= self.index.keys():
            raise FileProblem(
                _(
                    "Tệp thiếu cột: cần cột “Mã buổi tuyên truyền”, hoặc các cột “Ngày”, “Chủ đề” (và “Mã tổ dân phố”) để xác định buổi."
                )
            )

    def prepare(self, rows):
        self.groups = _groups_by_code()
        ids, dates, codes = set(), set(), set()
        for row in rows:
            sid = cell_text(row.cells.get("session"))
            if sid.isdigit():
                ids.add(int(sid))
            row.take("date", lambda v: parse_date(v, self.header("date")))
            if row.values.get("date"):
                dates.add(row.values["date"])
            codes.add(cell_text(row.cells.get("household")))
        sessions = {}
        for chunk in chunked(ids):
            sessions.update(
                (s.pk, s)
                for s in OutreachSession.objects.filter(pk__in=chunk).only(
                    "pk", "date", "topic", "group_id"
                )
            )
        for chunk in chunked(sorted(dates)):
            sessions.update(
                (s.pk, s)
                for s in OutreachSession.objects.filter(date__in=chunk).only(
                    "pk", "date", "topic", "group_id"
                )
            )
        self.sessions = sessions
        self.by_ident: dict[tuple, list] = {}
        for s in sessions.values():
            self.by_ident.setdefault((s.date, s.group_id, normalize_name(s.topic)), []).append(s)
        self.households: dict[str, int] = {}
        for chunk in chunked(codes - {""}):
            self.households.update(
                Household.objects.filter(code__in=chunk).values_list("code", "pk")
            )
        through = OutreachSession.households_reached.through
        self.links = set()
        for chunk in chunked(sessions):
            self.links.update(
                through.objects.filter(outreachsession_id__in=chunk).values_list(
                    "outreachsession_id", "household_id"
                )
            )
        self.seen: dict[tuple, int] = {}
        self.new_links = []

    def _session(self, row: Row):
        sid = cell_text(row.cells.get("session"))
        if sid:
            session = self.sessions.get(int(sid)) if sid.isdigit() else None
            if session is None:
                raise RowError(_("không có buổi tuyên truyền mã “%(id)s”") % {"id": sid})
            return session
        date = row.values.get("date")
        topic = cell_text(row.cells.get("topic"))
        if not date or not topic:
            raise RowError(_("thiếu mã buổi, hoặc ngày và chủ đề của buổi"))
        group_id = _group_parser(self.groups, self.header("group"), required=False)(
            row.cells.get("group")
        )
        found = self.by_ident.get((date, group_id, normalize_name(topic)), [])
        if not found:
            raise RowError(
                _("không có buổi tuyên truyền ngày %(d)s, chủ đề “%(t)s” ở tổ này")
                % {"d": _fmt(date), "t": topic}
            )
        if len(found) > 1:
            raise RowError(
                _("có %(n)s buổi cùng ngày, tổ và chủ đề: hãy ghi mã buổi") % {"n": len(found)}
            )
        return found[0]

    def check_row(self, row):
        code = cell_text(row.cells.get("household"))
        try:
            session = self._session(row)
        except RowError as exc:
            row.errors.append(str(exc))
            session = None
        household_id = self.households.get(code)
        if not code:
            row.errors.append(_("thiếu %(col)s") % {"col": self.header("household")})
        elif household_id is None:
            row.errors.append(_("không có hộ mã “%(code)s”") % {"code": code})
        label = f"{session} – {code}" if session else code
        if row.errors:
            return self.error(row, label)
        link = (session.pk, household_id)
        if link in self.links:
            return RowResult(row.number, UNCHANGED, label)
        if link in self.seen:
            return RowResult(
                row.number, UNCHANGED, label, _("đã có ở dòng %(n)s") % {"n": self.seen[link]}
            )
        self.seen[link] = row.number
        self.new_links.append(link)
        return RowResult(row.number, NEW, label)

    def apply(self, user):
        through = OutreachSession.households_reached.through
        through.objects.bulk_create(
            [through(outreachsession_id=s, household_id=h) for s, h in self.new_links],
            batch_size=WRITE_BATCH,
            ignore_conflicts=True,
        )
        for chunk in chunked(sorted({s for s, _h in self.new_links})):
            bump_version(OutreachSession.objects.filter(pk__in=chunk))


IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls
    for cls in (HouseholdImporter, ChildImporter, BusinessImporter, AttendanceImporter)
}
