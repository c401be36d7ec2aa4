import re
import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dongnguyen.models import Agency
from dongnguyen.roles import Role, agency_id_of, group_ids_of, role_of
from dongnguyen.text import normalize_name
from dongnguyen.validators import NotFutureValidator, PersonNameValidator
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
    """Children on the managed list by their own flags (at risk, or in special circumstances).
    The KPI engine adds the period-dependent third reason, being in child labour in P."""
    through = Child.special_groups.through
    return Q(at_risk=True) | Q(Exists(through.objects.filter(child_id=OuterRef("pk"))))


class ChildLinkedQuerySet(models.QuerySet):
    """Records that hang off a child are visible exactly when their child is."""

    def for_user(self, user):
        if role_of(user) in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return self
        return self.filter(child__in=Child.objects.for_user(user))


class ChildQuerySet(models.QuerySet):
    def for_user(self, user):
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
                # The health station reads the managed list and the children with a case.
                has_case = Case.objects.filter(child_id=OuterRef("pk"))
                return self.filter(managed_list_q() | Q(Exists(referred)) | Q(Exists(has_case)))
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


class Child(Versioned):
    full_name = models.CharField(
        _("họ và tên"),
        max_length=120,
        validators=[PersonNameValidator(_("Họ và tên không hợp lệ."))],
    )
    search_name = models.CharField(
        max_length=120, editable=False, db_index=True, verbose_name=_("tên không dấu")
    )
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"))
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="children", verbose_name=_("hộ gia đình")
    )
    national_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    special_groups = models.ManyToManyField(
        SpecialGroup, blank=True, related_name="children", verbose_name=_("hoàn cảnh đặc biệt")
    )
    at_risk = models.BooleanField(_("có nguy cơ lao động sớm"), default=False)
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


class Screening(models.Model):
    class Outcome(models.TextChoices):
        NO_RISK = "no_risk", _("Không có nguy cơ")
        AT_RISK = "at_risk", _("Có nguy cơ lao động sớm")
        CHILD_LABOUR = "child_labour", _("Đang lao động trái quy định")
        SPECIAL = "special", _("Có hoàn cảnh đặc biệt")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="screenings", verbose_name=_("trẻ em")
    )
    date = models.DateField(_("ngày rà soát"), default=timezone.localdate)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("người rà soát"),
    )
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices)
    notes = models.TextField(_("ghi chú"), blank=True)

    history = HistoricalRecords()
    objects = ChildLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rà soát")
        verbose_name_plural = _("rà soát")
        ordering = ["-date"]
        indexes = [models.Index(fields=["date", "child"])]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.date:%d/%m/%Y})"


class WorkRecord(Versioned):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="work_records", verbose_name=_("trẻ em")
    )
    business = models.ForeignKey(
        "inspections.Business",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_records",
        verbose_name=_("cơ sở"),
    )
    employer_name = models.CharField(_("người/cơ sở sử dụng lao động"), max_length=200, blank=True)
    job_code = models.CharField(_("công việc"), max_length=40)
    workplace_code = models.CharField(_("nơi làm việc"), max_length=40, default="normal")
    hours_per_day = models.DecimalField(
        _("giờ/ngày"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    hours_per_week = models.DecimalField(
        _("giờ/tuần"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    night_work = models.BooleanField(_("làm việc ban đêm (22h–6h)"), default=False)
    overtime = models.BooleanField(_("làm thêm giờ"), default=False)
    written_contract = models.BooleanField(_("có hợp đồng bằng văn bản"), default=False)
    guardian_consent = models.BooleanField(_("có đồng ý của người đại diện"), default=False)
    health_certificate = models.BooleanField(_("có giấy khám sức khỏe"), default=False)
    provincial_approval = models.BooleanField(
        _("có chấp thuận của cơ quan lao động tỉnh"), default=False
    )
    started_on = models.DateField(_("bắt đầu từ"))
    ended_on = models.DateField(_("kết thúc ngày"), null=True, blank=True)
    lawful = models.BooleanField(_("đúng quy định"), null=True)
    violations = models.JSONField(_("vi phạm"), default=list, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("thời điểm tạo"))

    history = HistoricalRecords()
    objects = ChildLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("quá trình làm việc")
        verbose_name_plural = _("quá trình làm việc")
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["lawful", "started_on", "ended_on"])]
        constraints = [
            # The same work of a child at a business is one record while it goes on: a second
            # report of it is linked to the open record (children.services.workrecord_save).
            models.UniqueConstraint(
                fields=["child", "business", "job_code"],
                condition=Q(ended_on__isnull=True),
                name="one_open_workrecord",
                violation_error_message=_(
                    "Trẻ đã có quá trình làm việc đang diễn ra tại cơ sở này với công việc này."
                ),
            )
        ]

    def clean(self):
        errors = {}
        day, week = self.hours_per_day, self.hours_per_week
        if day is not None and not (0 <= day <= 24):
            errors["hours_per_day"] = _("Số giờ/ngày phải từ 0 đến 24.")
        if week is not None and not (0 <= week <= 168):
            errors["hours_per_week"] = _("Số giờ/tuần phải từ 0 đến 168.")
        elif day is not None and week is not None and week < day:
            errors["hours_per_week"] = _("Số giờ/tuần không thể ít hơn số giờ/ngày.")
        started = self.started_on if isinstance(self.started_on, date) else None
        ended = self.ended_on if isinstance(self.ended_on, date) else None
        if started and started > timezone.localdate():
            errors["started_on"] = _("Ngày bắt đầu không được sau ngày hôm nay.")
        elif started and self.child_id and started < self.child.birth_date:
            errors["started_on"] = _("Ngày bắt đầu không thể trước ngày sinh của trẻ.")
        if started and ended and ended < started:
            errors["ended_on"] = _("Ngày kết thúc không thể trước ngày bắt đầu.")
        if errors:
            raise ValidationError(errors)

    def __str__(self):
        job = JobType._base_manager.filter(code=self.job_code).values_list("name", flat=True)
        return f"{job.first() or self.job_code} ({self.started_on:%d/%m/%Y})"


def new_receipt_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "PA-" + "".join(secrets.choice(alphabet) for _ in range(8))


class IntakeChannel(models.TextChoices):
    DIRECT = "direct", _("Trực tiếp")
    PHONE = "phone", _("Điện thoại")
    HOTLINE_111 = "hotline_111", _("Tổng đài 111")
    SOCIAL_MEDIA = "social_media", _("Mạng xã hội (Zalo, Facebook)")
    COLLABORATOR = "collaborator", _("Cộng tác viên")
    SCHOOL = "school", _("Nhà trường")
    POLICE = "police", _("Công an")
    WEB_FORM = "web_form", _("Cổng phản ánh trực tuyến")


class IntakeQuerySet(models.QuerySet):
    def for_user(self, user):
        role = role_of(user)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER, Role.POLICE):
            return self
        if role == Role.COLLABORATOR:
            groups = group_ids_of(user)
            return self.filter(
                Q(child__household__group_id__in=groups)
                | Q(group_id__in=groups)
                | Q(received_by=user)
            )
        # Health station and mass organisations act on referrals, not on raw tips (which may
        # name the reporter); finance sees no personal data.
        return self.none()


class IntakeReport(Versioned):
    class Status(models.TextChoices):
        NEW = "new", _("Mới tiếp nhận")
        VERIFYING = "verifying", _("Đang xác minh")
        CASE_OPENED = "case_opened", _("Đã mở hồ sơ")
        UNFOUNDED = "unfounded", _("Không có cơ sở")
        DUPLICATE = "duplicate", _("Trùng phản ánh khác")

    receipt_code = models.CharField(
        _("mã tiếp nhận"), max_length=12, unique=True, default=new_receipt_code
    )
    received_at = models.DateTimeField(
        _("thời điểm tiếp nhận"),
        default=timezone.now,
        db_index=True,
        validators=[
            NotFutureValidator(_("Thời điểm tiếp nhận không được ở tương lai."), slack_minutes=5)
        ],
    )
    channel = models.CharField(_("kênh tiếp nhận"), max_length=20, choices=IntakeChannel.choices)
    anonymous = models.BooleanField(_("người báo ẩn danh"), default=False)
    reporter_name = models.CharField(_("người phản ánh"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("điện thoại người phản ánh"), max_length=20, blank=True)
    description = models.TextField(_("nội dung phản ánh"))
    location = models.CharField(_("địa điểm"), max_length=255, blank=True)
    child = models.ForeignKey(
        Child,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intake_reports",
        verbose_name=_("trẻ em"),
    )
    business = models.ForeignKey(
        "inspections.Business",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intake_reports",
        verbose_name=_("cơ sở"),
    )
    group = models.ForeignKey(
        "households.ResidentialGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("tổ dân phố"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tiếp nhận"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("trùng với phản ánh"),
    )
    triage_note = models.TextField(_("kết quả xử lý ban đầu"), blank=True)

    history = HistoricalRecords()
    objects = IntakeQuerySet.as_manager()

    class Meta:
        verbose_name = _("phản ánh, tố giác")
        verbose_name_plural = _("phản ánh, tố giác")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self):
        return f"{self.receipt_code} ({self.received_at:%d/%m/%Y})"


class CaseQuerySet(models.QuerySet):
    def for_user(self, user):
        role = role_of(user)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return self
        if role in (Role.HEALTH, Role.MASS_ORG):
            return self.filter(child__in=Child.objects.for_user(user))
        # Collaborators, police and finance: no case files. The police hand what they find
        # (intake, inspection) to the ward's child-protection officer, who runs the case.
        return self.none()

    def open(self):
        return self.exclude(status=Case.Status.CLOSED)

    def with_deadline_state(self, cutoffs):
        """Annotate `deadline_state` ("overdue", "soon" or "") and `deadline_step` ("assess",
        "plan" or "") of the next step with a legal deadline (12 h, 5 working days)."""
        received = Q(status=Case.Status.RECEIVED)
        unplanned = Q(status__in=[Case.Status.RECEIVED, Case.Status.ASSESSED])
        assess_over = received & Q(received_at__lt=cutoffs.assess_overdue)
        plan_over = unplanned & Q(received_at__lt=cutoffs.plan_overdue)
        assess_soon = received & Q(received_at__lt=cutoffs.assess_soon)
        plan_soon = unplanned & Q(received_at__lt=cutoffs.plan_soon)
        return self.annotate(
            deadline_state=models.Case(
                models.When(assess_over | plan_over, then=models.Value("overdue")),
                models.When(assess_soon | plan_soon, then=models.Value("soon")),
                default=models.Value(""),
                output_field=models.CharField(),
            ),
            deadline_step=models.Case(
                models.When(received, then=models.Value("assess")),
                models.When(status=Case.Status.ASSESSED, then=models.Value("plan")),
                default=models.Value(""),
                output_field=models.CharField(),
            ),
        )

    def overdue(self, cutoffs):
        return self.with_deadline_state(cutoffs).filter(deadline_state="overdue")

    def due_soon(self, cutoffs):
        return self.with_deadline_state(cutoffs).filter(deadline_state="soon")


class Case(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Tiếp nhận")
        ASSESSED = "assessed", _("Đã đánh giá ban đầu")
        PLAN_DRAFTED = "plan_drafted", _("Đã xây dựng kế hoạch")
        PLAN_APPROVED = "plan_approved", _("Kế hoạch đã được phê duyệt")
        IN_PROGRESS = "in_progress", _("Đang hỗ trợ, can thiệp")
        MONITORING = "monitoring", _("Theo dõi, đánh giá")
        CLOSED = "closed", _("Kết thúc hồ sơ")

    class RiskLevel(models.TextChoices):
        HIGH = "high", _("Cao")
        MEDIUM = "medium", _("Trung bình")
        LOW = "low", _("Thấp")

    class ClosureOutcome(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Đã rút khỏi lao động trái quy định")
        PREVENTED = "prevented", _("Đã phòng ngừa")
        TRANSFERRED = "transferred", _("Chuyển cơ quan khác")
        MOVED_AWAY = "moved_away", _("Chuyển khỏi địa bàn")
        AGED_OUT = "aged_out", _("Đã đủ 16 tuổi")
        UNFOUNDED = "unfounded", _("Không có cơ sở")

    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="cases", verbose_name=_("trẻ em")
    )
    intake = models.ForeignKey(
        IntakeReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("phản ánh"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    risk_level = models.CharField(
        _("mức độ nguy cơ"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    emergency = models.BooleanField(_("khẩn cấp"), default=False)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), default=timezone.now)
    assessed_at = models.DateTimeField(_("thời điểm đánh giá ban đầu"), null=True, blank=True)
    plan_drafted_at = models.DateTimeField(_("thời điểm xây dựng kế hoạch"), null=True, blank=True)
    plan_approved_at = models.DateTimeField(
        _("thời điểm phê duyệt kế hoạch"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    closure_outcome = models.CharField(
        _("kết quả"), max_length=12, choices=ClosureOutcome.choices, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("cán bộ phụ trách"),
    )
    summary = models.TextField(_("tóm tắt"), blank=True)
    assessment_notes = models.TextField(_("nhận định, đánh giá"), blank=True)
    plan_goal = models.TextField(_("mục tiêu kế hoạch hỗ trợ, can thiệp"), blank=True)
    closure_note = models.TextField(_("lý do kết thúc"), blank=True)
    # Optimistic locking: every write through a service bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1, verbose_name=_("phiên bản"))

    history = HistoricalRecords()
    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ vụ việc")
        verbose_name_plural = _("hồ sơ vụ việc")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self):
        return f"HS-{self.pk:05d} {self.child.full_name}" if self.pk else str(_("HS (mới)"))


class CaseEvent(models.Model):
    """Every workflow transition: who moved the case from which step to which, and when."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("hồ sơ vụ việc")
    )
    from_status = models.CharField(
        _("từ bước"), max_length=16, blank=True, choices=Case.Status.choices
    )
    to_status = models.CharField(_("sang bước"), max_length=16, choices=Case.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(default=timezone.now, verbose_name=_("thời điểm"))
    note = models.TextField(blank=True, verbose_name=_("ghi chú"))

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("các bước xử lý hồ sơ")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_to_status_display()} ({timezone.localtime(self.at):%H:%M %d/%m/%Y})"


class Referral(models.Model):
    """A child (or case) referred to an agency — what the health station or a mass
    organisation may see and act on."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("trẻ em")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("hồ sơ vụ việc"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("chuyển đến")
    )
    needs = models.TextField(_("nhu cầu hỗ trợ"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("người chuyển"),
    )
    referred_on = models.DateField(_("ngày chuyển"), default=timezone.localdate)
    closed = models.BooleanField(_("đã xong"), default=False)
    closed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận hoàn thành"),
    )

    history = HistoricalRecords()
    objects = ChildLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển gửi")
        verbose_name_plural = _("chuyển gửi")
        indexes = [models.Index(fields=["agency", "child"])]

    def __str__(self):
        return f"{self.agency} ({self.referred_on:%d/%m/%Y})"


def _check_case_date(record, *, future, before) -> None:
    """A support or follow-up happens between the case's receipt and today: one dated before
    the case was received (or in the future) is a typing error, and a back-dated follow-up
    would count towards closing the case as withdrawn."""
    if record.date is None:
        return
    if record.date > timezone.localdate():
        raise ValidationError({"date": future})
    if record.case_id is not None:
        received = timezone.localdate(record.case.received_at)
        if record.date < received:
            raise ValidationError({"date": before % {"received": f"{received:%d/%m/%Y}"}})


class SupportKind(models.TextChoices):
    EDUCATION_RETURN = "education_return", _("Hỗ trợ trở lại trường học")
    VOCATIONAL = "vocational", _("Hướng nghiệp, học nghề")
    SCHOLARSHIP = "scholarship", _("Học bổng")
    SCHOOL_SUPPLIES = "school_supplies", _("Sách vở, đồ dùng học tập")
    HEALTH_CHECK = "health_check", _("Khám sức khỏe")
    PSYCHOLOGICAL = "psychological", _("Hỗ trợ tâm lý")
    LEGAL_AID = "legal_aid", _("Trợ giúp pháp lý")
    SOCIAL_PROTECTION = "social_protection", _("Trợ giúp xã hội")
    LIVELIHOOD = "livelihood", _("Hỗ trợ sinh kế")
    OTHER = "other", _("Khác")


class FundingSource(models.TextChoices):
    STATE_BUDGET = "state_budget", _("Ngân sách nhà nước")
    SOCIAL_MOBILIZATION = "social_mobilization", _("Nguồn xã hội hóa")
    OTHER = "other", _("Nguồn khác")


class Support(models.Model):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="supports", verbose_name=_("trẻ em")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supports",
        verbose_name=_("hồ sơ vụ việc"),
    )
    kind = models.CharField(_("hình thức hỗ trợ"), max_length=20, choices=SupportKind.choices)
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, verbose_name=_("đơn vị hỗ trợ"))
    date = models.DateField(_("ngày hỗ trợ"), default=timezone.localdate)
    amount_vnd = models.PositiveBigIntegerField(
        _("giá trị (đồng)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("Giá trị không được âm."))],
    )
    funding_source = models.CharField(
        _("nguồn kinh phí"),
        max_length=20,
        choices=FundingSource.choices,
        default=FundingSource.STATE_BUDGET,
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )

    history = HistoricalRecords()
    objects = ChildLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("hỗ trợ")
        verbose_name_plural = _("hỗ trợ")
        ordering = ["-date"]
        indexes = [models.Index(fields=["date", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        _check_case_date(
            self,
            future=_("Ngày hỗ trợ không được ở tương lai."),
            before=_("Ngày hỗ trợ không được trước ngày tiếp nhận hồ sơ (%(received)s)."),
        )


class FollowUp(models.Model):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("trẻ em")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("hồ sơ vụ việc"),
    )
    date = models.DateField(_("ngày theo dõi"), default=timezone.localdate)
    working_unlawfully = models.BooleanField(_("còn lao động trái quy định"), default=False)
    in_school = models.BooleanField(_("đang đi học"), default=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người theo dõi"),
    )

    history = HistoricalRecords()
    objects = ChildLinkedQuerySet.as_manager()

    class Meta:
        verbose_name = _("theo dõi, đánh giá")
        verbose_name_plural = _("theo dõi, đánh giá")
        ordering = ["-date"]
        indexes = [models.Index(fields=["date", "child"])]

    def __str__(self):
        found = _("còn lao động trái quy định") if self.working_unlawfully else _("không lao động")
        return f"{self.date:%d/%m/%Y}: {found}"

    def clean(self):
        super().clean()
        _check_case_date(
            self,
            future=_("Ngày theo dõi không được ở tương lai."),
            before=_("Ngày theo dõi không được trước ngày tiếp nhận hồ sơ (%(received)s)."),
        )


from .models_cases import *  # noqa: E402,F403  (case-file models, registered in this app)
