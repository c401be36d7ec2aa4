"""The register: special groups, the job and workplace catalogue, children."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dongnguyen.roles import Role, agency_id_of, group_ids_of, in_ward, role_of
from dongnguyen.text import normalize_name
from dongnguyen.validators import PersonNameValidator
from dongnguyen.versioning import Versioned
from households.models import Household


class SpecialGroup(models.Model):
    """The 14 groups of children in special circumstances (Luật Trẻ em art. 10(1))."""

    code = models.CharField(_("mã"), max_length=2, primary_key=True)
    name = models.CharField(_("tên nhóm"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        verbose_name = _("nhóm trẻ em có hoàn cảnh đặc biệt")
        verbose_name_plural = _("nhóm trẻ em có hoàn cảnh đặc biệt")
        ordering = ["order"]

    def __str__(self):
        return f"{self.code}) {self.name}"


class JobType(models.Model):
    """A job of the labour-law catalogue (DOMAIN §2); officers extend it in the admin."""

    code = models.CharField(_("mã"), max_length=40, primary_key=True)
    name = models.CharField(_("tên công việc"), max_length=255)
    lists = models.CharField(
        _("thuộc danh mục"),
        max_length=120,
        blank=True,
        help_text=_(
            "Các nhãn cách nhau bởi dấu phẩy: app2 (Phụ lục II, việc nhẹ 13–15 tuổi), "
            "under13_exception (nghệ thuật, thể thao dưới 13 tuổi), art147_1 (Điều 147 khoản 1), "
            "app3 (Phụ lục III), app5 (Phụ lục V, được làm thêm giờ/ban đêm 15–17 tuổi)."
        ),
    )
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại công việc")
        verbose_name_plural = _("danh mục công việc")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def list_tags(self) -> list[str]:
        return [t.strip() for t in self.lists.split(",") if t.strip()]


class WorkplaceType(models.Model):
    """A workplace of the labour-law catalogue; `banned` places are closed to under-18s."""

    code = models.CharField(_("mã"), max_length=40, primary_key=True)
    name = models.CharField(_("tên nơi làm việc"), max_length=255)
    banned = models.BooleanField(_("cấm người chưa thành niên"), default=False)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại nơi làm việc")
        verbose_name_plural = _("danh mục nơi làm việc")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class SchoolStatus(models.TextChoices):
    IN_SCHOOL = "in_school", _("Đang đi học")
    VOCATIONAL = "vocational", _("Đang học nghề")
    DROPPED_OUT = "dropped_out", _("Đã bỏ học")
    NOT_ENROLLED = "not_enrolled", _("Không đi học")
    UNDER_SCHOOL_AGE = "under_school_age", _("Chưa đến tuổi đi học")


class DropoutReason(models.TextChoices):
    ECONOMIC = "economic", _("Hoàn cảnh kinh tế, phải đi làm")
    ACADEMIC = "academic", _("Học lực yếu, chán học")
    FAMILY = "family", _("Gia đình không quan tâm")
    HEALTH = "health", _("Sức khỏe, khuyết tật")
    DISTANCE = "distance", _("Di cư, chuyển nơi ở")
    OTHER = "other", _("Lý do khác")


def managed_list_q() -> Q:
    """Children on the managed list by their own flags (at risk, or in special circumstances):
    the column the database keeps from both (Child.on_managed_list). The KPI engine adds the
    period-dependent third reason, being in child labour in P."""
    return Q(on_managed_list=True)


class ChildLinkedQuerySet(models.QuerySet):
    """Records that hang off a child are visible exactly when their child is."""

    def for_user(self, user):
        return in_ward(self, user, "child__ward")._for_role(user)

    def _for_role(self, user):
        if role_of(user) in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return self
        return self.filter(child__in=Child.objects.for_user(user))


class ChildQuerySet(models.QuerySet):
    def for_user(self, user):
        # The child's own ward column (kept by database triggers, see Child.ward): the lists
        # and the name search then read ward-led indexes instead of province-wide ones.
        return in_ward(self, user, "ward", bigint=True)._for_role(user)

    def _for_role(self, user):
        """The children a user may see (DESIGN.md, Roles and scope)."""
        role = role_of(user)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return self
        if role == Role.COLLABORATOR:
            return self.filter(household__group_id__in=group_ids_of(user))
        if role in (Role.HEALTH, Role.MASS_ORG):
            referred = Referral.objects.filter(
                child_id=OuterRef("pk"), agency_id=agency_id_of(user)
            )
            if role == Role.HEALTH:
                # The health station reads the managed list (children in unlawful work
                # included: they get a health check) and the children with a case.
                has_case = Case.objects.filter(child_id=OuterRef("pk"))
                unlawful = WorkRecord.objects.filter(child_id=OuterRef("pk"), lawful=False)
                return self.filter(
                    managed_list_q()
                    | Q(Exists(referred))
                    | Q(Exists(has_case))
                    | Q(Exists(unlawful))
                )
            return self.filter(Exists(referred))
        if role == Role.POLICE:
            linked = (
                Q(Exists(IntakeReport.objects.filter(child_id=OuterRef("pk"))))
                | Q(
                    Exists(
                        WorkRecord.objects.filter(child_id=OuterRef("pk"), business__isnull=False)
                    )
                )
                | Q(
                    Exists(
                        Referral.objects.filter(
                            child_id=OuterRef("pk"), agency_id=agency_id_of(user)
                        )
                    )
                )
            )
            from inspections.models import Violation

            linked |= Q(Exists(Violation.objects.filter(child_id=OuterRef("pk"))))
            return self.filter(linked)
        return self.none()

    def search(self, text):
        norm = normalize_name(text)
        if not norm:
            return self
        if norm.isdigit():
            return self.filter(national_id__startswith=norm)
        # Ordered by an expression, not the column: with ORDER BY search_name … LIMIT the
        # PostgreSQL planner walks the b-tree in name order and tests every row, instead of
        # using the trigram index (DESIGN.md "Scale path"); the order shown is the same.
        return self.filter(search_name__contains=norm).order_by(
            Lower("search_name"), "birth_date", "pk"
        )

    def current(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=on))


# The register holds children (under 16) and minor workers (16–17): nobody of 18 or more.
REGISTER_AGE_LIMIT = 18


_NATIONAL_ID = re.compile(r"^\d{12}$")
# A national ID already on another child's record, in any ward. Names neither that child nor
# their ward: the other record may be outside the viewer's scope. The import (imports/resources.py)
# checks a whole file's IDs at once and refuses a row with this same message.
NATIONAL_ID_TAKEN = _(
    "Số định danh cá nhân này đã có trong hồ sơ của một trẻ khác. Hãy kiểm "
    "tra lại số; nếu đúng là cùng một trẻ, hãy dùng hồ sơ đã có thay vì "
    "thêm mới."
)


def kept_ward():
    """The ward column a database trigger keeps (children 0021 and 0025): never set by Python,
    so it is not in forms; null only until the trigger has run (SQLite sets it after the
    insert). The child's comes from its household, a case's, screening's, follow-up's and
    support's from its child."""
    return models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        db_index=False,
        verbose_name=_("phường, xã"),
    )


class Child(Versioned):
    full_name = models.CharField(
        _("họ và tên"),
        max_length=120,
        validators=[PersonNameValidator(_("Họ và tên không hợp lệ."))],
    )
    # No index of its own: (search_name, birth_date) below serves every lookup by name (a
    # second index on its prefix only slowed inserts, the import's above all), and the
    # searches' `contains` use the trigram indexes.
    search_name = models.CharField(max_length=120, editable=False, verbose_name=_("tên không dấu"))
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="children", verbose_name=_("hộ gia đình")
    )
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    # The ward of the child's household, kept by the database itself (triggers of migration
    # children 0021_lists_ward, PostgreSQL and SQLite): set on every insert and update from
    # the household, and rewritten when a household changes group or a group changes ward
    # (a transfer moves the child to a household of the receiving ward). Python never sets
    # it, so one rule decides a child's ward; an unsaved or just-saved object may hold a
    # stale value (read it from the database). Null only until the trigger has run (SQLite
    # sets it after the insert).
    ward = kept_ward()
    special_groups = models.ManyToManyField(
        SpecialGroup, blank=True, related_name="children", verbose_name=_("hoàn cảnh đặc biệt")
    )
    at_risk = models.BooleanField(_("có nguy cơ lao động sớm"), default=False)
    # On the managed list by the child's own flags: at risk, or in a special group (plan
    # II.2). Kept by the database (triggers of migration children 0027, PostgreSQL and SQLite)
    # from at_risk and the special-group rows, on every write path (save, the form's groups,
    # bulk_create, COPY, the admin, an import); Python never sets it, and a just-saved object
    # may hold a stale value. One ward-led partial index then serves the home page's and the
    # screening list's count, where the same rule as a union of at-risk children and
    # special-group members scanned the ward's children three times (9.7 → 2.9 ms at 100×).
    on_managed_list = models.BooleanField(
        default=False, editable=False, verbose_name=_("trong danh sách quản lý")
    )
    risk_factors = models.TextField(_("yếu tố nguy cơ"), blank=True)
    school_status = models.CharField(
        _("tình trạng học tập"),
        max_length=20,
        choices=SchoolStatus.choices,
        default=SchoolStatus.IN_SCHOOL,
    )
    school_name = models.CharField(_("trường"), max_length=200, blank=True)
    dropout_date = models.DateField(_("ngày bỏ học"), null=True, blank=True)
    dropout_reason = models.CharField(
        _("lý do bỏ học"), max_length=20, choices=DropoutReason.choices, blank=True
    )
    registered_on = models.DateField(_("ngày vào danh sách"), default=timezone.localdate)
    moved_out_on = models.DateField(_("ngày chuyển đi"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("thời điểm tạo"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("thời điểm sửa"))

    history = HistoricalRecords(m2m_fields=[special_groups])
    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("trẻ em")
        verbose_name_plural = _("trẻ em")
        ordering = ["search_name", "birth_date"]
        indexes = [
            models.Index(fields=["birth_date"]),
            models.Index(fields=["search_name", "birth_date"]),
            models.Index(fields=["national_id"]),
            models.Index(fields=["registered_on", "moved_out_on"]),
            models.Index(fields=["school_status"]),
            models.Index(
                fields=["birth_date"], condition=Q(at_risk=True), name="child_at_risk_idx"
            ),
            # A ward's list in its order, and a name search's order (ChildQuerySet.search):
            # a common name's first page is read in index order, without sorting every match,
            # and with the name beside each key, tested in the index alone (the page's keys
            # first, dongnguyen.paging.SearchPaginator). The ward's trigram index is in
            # migration 0021_lists_ward (PostgreSQL only).
            models.Index(fields=["ward", "search_name", "birth_date"], name="child_ward_name_idx"),
            models.Index(
                F("ward"),
                Lower("search_name"),
                F("birth_date"),
                F("id"),
                include=["search_name"],
                name="child_ward_search_order_idx",
            ),
            # A ward's children in id order with what the counts over them test (age, living
            # here, at risk), read from the index alone: the home page's managed list not
            # screened and the K1 drill's count and its id-ordered page touch the ward's ~300
            # index pages instead of every heap page of its children (or, for wards after the
            # first, the whole province's children walked in primary-key order).
            models.Index(
                fields=["ward", "id"],
                include=["birth_date", "registered_on", "moved_out_on", "at_risk"],
                name="child_ward_id_idx",
            ),
            # A ward's managed list (Child.on_managed_list) by age, with whether each child
            # still lives here and its id (for the screenings it is tested against): the home
            # page's "not screened this year" reads the ward's managed children from the index
            # alone.
            models.Index(
                fields=["ward", "birth_date"],
                include=["moved_out_on", "id"],
                condition=Q(on_managed_list=True),
                name="child_ward_managed_idx",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.birth_date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.search_name = normalize_name(self.full_name)
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def age_on(self, on: date | None = None) -> int:
        on = on or timezone.localdate()
        b = self.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))

    @property
    def age(self) -> int:
        return self.age_on()

    def clean_fields(self, exclude=None):
        # The national ID is checked first, with its own message: a 13-digit number should
        # be told it needs 12 digits, not also that the field holds at most 12 characters.
        errors = {}
        exclude = set(exclude or ())
        self.search_name = normalize_name(self.full_name)  # derived; save() sets it too
        if "national_id" not in exclude:
            self.national_id = re.sub(r"\s", "", self.national_id or "")
            if self.national_id and not _NATIONAL_ID.match(self.national_id):
                errors["national_id"] = [
                    ValidationError(
                        _("Số định danh cá nhân phải gồm đúng 12 chữ số (hiện có %(n)d ký tự).")
                        % {"n": len(self.national_id)},
                        code="national_id",
                    )
                ]
                exclude.add("national_id")
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The stored number, so validate_unique() checks only a number being given or changed.
        instance._stored_national_id = (
            values[field_names.index("national_id")] if "national_id" in field_names else None
        )
        return instance

    def validate_unique(self, exclude=None):
        """A national ID belongs to one person in the whole country: one already on another
        child's record (in any ward) is refused. The message names neither that child nor
        their ward (the other record may be outside the viewer's scope). Only a number being
        given or changed is checked, so two records that already shared one before this rule
        can still be edited until they are merged (child_merge)."""
        errors = {}
        try:
            super().validate_unique(exclude=exclude)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        nid = self.national_id
        if (
            "national_id" not in (exclude or ())
            and nid
            and nid != getattr(self, "_stored_national_id", None)
            and Child.objects.filter(national_id=nid).exclude(pk=self.pk).exists()
        ):
            errors.setdefault("national_id", []).append(
                ValidationError(NATIONAL_ID_TAKEN, code="national_id_taken")
            )
        if errors:
            raise ValidationError(errors)

    def clean(self):
        """The record's own rules. The register's age is taken on `registered_on` (the day the
        child entered it, today by default), so a record stays editable after the child turns
        18, while a new record of someone already 18 is refused."""
        errors = {}
        today = timezone.localdate()
        born = self.birth_date if isinstance(self.birth_date, date) else None
        registered = self.registered_on if isinstance(self.registered_on, date) else today
        if born and born > today:
            errors["birth_date"] = _("Ngày sinh không được sau ngày hôm nay.")
        elif born:
            b = born
            age = registered.year - b.year - ((registered.month, registered.day) < (b.month, b.day))
            if age >= REGISTER_AGE_LIMIT:
                errors["birth_date"] = _(
                    "Trẻ đã đủ %(age)d tuổi: danh sách chỉ quản lý người dưới 18 tuổi "
                    "(trẻ em dưới 16 tuổi và người lao động chưa thành niên 16–17 tuổi)."
                ) % {"age": age}
        if self.school_status == SchoolStatus.DROPPED_OUT:
            if not self.dropout_date:
                errors["dropout_date"] = _("Trẻ đã bỏ học: hãy nhập ngày bỏ học.")
            if not self.dropout_reason:
                errors["dropout_reason"] = _("Trẻ đã bỏ học: hãy chọn lý do bỏ học.")
        elif self.school_status:
            # A child back in school keeps no dropout date, so K11 counts only real dropouts.
            self.dropout_date = None
            self.dropout_reason = ""
        dropped = self.dropout_date if isinstance(self.dropout_date, date) else None
        if dropped and born and dropped < born:
            errors.setdefault("dropout_date", _("Ngày bỏ học không thể trước ngày sinh."))
        if dropped and dropped > today:
            errors.setdefault("dropout_date", _("Ngày bỏ học không được sau ngày hôm nay."))
        moved = self.moved_out_on if isinstance(self.moved_out_on, date) else None
        if moved and isinstance(self.registered_on, date) and moved < self.registered_on:
            errors["moved_out_on"] = _("Ngày chuyển đi không thể trước ngày vào danh sách.")
        if errors:
            raise ValidationError(errors)


from .cases import Case, Referral  # noqa: E402 (loaded after this module)
from .intake import IntakeReport  # noqa: E402 (loaded after this module)
from .work import WorkRecord  # noqa: E402 (loaded after this module)
