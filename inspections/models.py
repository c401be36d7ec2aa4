from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dongnguyen.models import AtRiskScreening, check_unique_in_ward, default_ward_id
from dongnguyen.roles import Role, group_ids_of, in_ward, role_of
from dongnguyen.text import normalize_name
from dongnguyen.validators import NotFutureValidator, validate_vn_phone
from dongnguyen.versioning import Versioned
from funding.models import cost_field, cost_source_field


class Sector(models.TextChoices):
    WOODWORK = "woodwork", _("Đồ gỗ mỹ nghệ")
    LACQUER = "lacquer", _("Sơn, phun sơn PU")
    SAWMILL = "sawmill", _("Xẻ gỗ")
    METAL = "metal", _("Cơ khí, gò hàn")
    CONSTRUCTION = "construction", _("Xây dựng")
    FOOD = "food", _("Ăn uống")
    ENTERTAINMENT = "entertainment", _("Karaoke, giải trí")
    TRADE = "trade", _("Buôn bán, dịch vụ")
    OTHER = "other", _("Khác")


class BusinessQuerySet(models.QuerySet):
    def for_user(self, user):
        return in_ward(self, user, "ward")._for_role(user)

    def _for_role(self, user):
        """Businesses are not personal data: every staff role reads them; collaborators
        their own groups' businesses."""
        role = role_of(user)
        # Finance sees money aggregates only; an owner's name and address are personal data.
        if role is None or role == Role.FINANCE:
            return self.none()
        if role == Role.COLLABORATOR:
            return self.filter(group_id__in=group_ids_of(user))
        return self

    def active(self):
        return self.filter(active=True)

    def search(self, text):
        norm = normalize_name(text)
        return self.filter(search_name__contains=norm) if norm else self


class Business(Versioned):
    name = models.CharField(_("tên cơ sở"), max_length=200)
    search_name = models.CharField(
        max_length=200, editable=False, db_index=True, verbose_name=_("tên không dấu")
    )
    owner_name = models.CharField(_("chủ cơ sở"), max_length=120)
    address = models.CharField(_("địa chỉ"), max_length=255)
    group = models.ForeignKey(
        "households.ResidentialGroup",
        on_delete=models.PROTECT,
        related_name="businesses",
        verbose_name=_("tổ dân phố"),
    )
    sector = models.CharField(_("ngành nghề"), max_length=20, choices=Sector.choices)
    high_risk = models.BooleanField(_("nguy cơ cao"), default=False)
    employee_count = models.PositiveIntegerField(_("số lao động"), default=0)
    minor_employee_count = models.PositiveIntegerField(_("số lao động chưa thành niên"), default=0)
    has_minor_register = models.BooleanField(
        _("có sổ theo dõi lao động chưa thành niên"), default=False
    )
    is_organisation = models.BooleanField(
        _("là tổ chức (phạt gấp đôi)"),
        default=False,
        help_text=_("Tổ chức bị phạt tiền gấp 2 lần cá nhân (Điều 6 Nghị định 12/2022)."),
    )
    phone = models.CharField(
        _("số điện thoại"), max_length=20, blank=True, validators=[validate_vn_phone]
    )
    code = models.CharField(_("mã cơ sở"), max_length=30, null=True, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    history = HistoricalRecords()
    objects = BusinessQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ sở sản xuất, kinh doanh")
        verbose_name_plural = _("cơ sở sản xuất, kinh doanh")
        ordering = ["search_name"]
        indexes = [models.Index(fields=["group", "active"])]
        constraints = [
            models.UniqueConstraint(fields=["ward", "code"], name="business_code_unique_per_ward"),
        ]

    def __str__(self):
        return self.name

    def _copy_ward(self):
        # A business is in its group's ward (the constraint on codes needs it on the row).
        if self.group_id is not None:
            self.ward_id = self.group.ward_id

    def save(self, *args, **kwargs):
        self.search_name = normalize_name(self.name)
        self._copy_ward()
        if kwargs.get("update_fields") is not None:
            extra = {"search_name"} if "name" in kwargs["update_fields"] else set()
            if "group" in kwargs["update_fields"]:
                extra.add("ward")
            kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self.search_name = normalize_name(self.name)  # derived; save() sets it too
        self._copy_ward()
        super().clean_fields(exclude=exclude)

    def clean(self):
        check_unique_in_ward(self, "code", _("Mã cơ sở này đã có trong phường."))
        employees, minors = self.employee_count, self.minor_employee_count
        if employees is not None and minors is not None and minors > employees:
            raise ValidationError(
                {
                    "minor_employee_count": _(
                        "Số lao động chưa thành niên không được lớn hơn tổng số lao động."
                    )
                }
            )


class InspectionQuerySet(models.QuerySet):
    def for_user(self, user):
        return in_ward(self, user, "business__ward")._for_role(user)

    def _for_role(self, user):
        role = role_of(user)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER, Role.POLICE, Role.HEALTH):
            return self
        return self.none()

    def overdue(self, today=None):
        """Planned visits whose date has passed without being carried out."""
        today = today or timezone.localdate()
        return self.filter(status=Inspection.Status.PLANNED, planned_on__lt=today)


class Inspection(Versioned):
    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Định kỳ")
        SURPRISE = "surprise", _("Đột xuất")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Theo kế hoạch")
        DONE = "done", _("Đã kiểm tra")
        # "Hủy" alone is also the Cancel button: the context keeps the two translations apart.
        CANCELLED = "cancelled", pgettext_lazy("inspection status", "Hủy")

    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("cơ sở")
    )
    planned_on = models.DateField(_("ngày dự kiến"), null=True, blank=True)
    date = models.DateField(
        _("ngày kiểm tra"),
        null=True,
        blank=True,
        db_index=True,
        validators=[NotFutureValidator(_("Ngày kiểm tra không được sau ngày hôm nay."))],
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    kind = models.CharField(_("loại kiểm tra"), max_length=10, choices=Kind.choices)
    plan_number = models.CharField(
        _("số kế hoạch/quyết định kiểm tra"), max_length=40, blank=True, db_index=True
    )
    interdisciplinary = models.BooleanField(_("đoàn liên ngành"), default=False)
    team = models.TextField(_("thành phần đoàn"), blank=True)
    team_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="inspections",
        verbose_name=_("thành viên đoàn"),
    )
    findings = models.TextField(_("kết quả kiểm tra"), blank=True)
    minutes_number = models.CharField(_("số biên bản"), max_length=40, blank=True)
    cost_vnd = cost_field()
    cost_source = cost_source_field()
    legal_dissemination = models.BooleanField(
        _("đã tuyên truyền, phổ biến pháp luật"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )

    history = HistoricalRecords()
    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("cuộc kiểm tra")
        verbose_name_plural = _("cuộc kiểm tra")
        ordering = ["-date", "-planned_on"]
        indexes = [
            # A ward's inspections from its businesses (the home tiles: overdue planned ones,
            # and the open violations reached through them) from the index alone, instead of
            # hashing every inspection of the province.
            models.Index(
                fields=["business", "status", "planned_on"],
                include=["id"],
                name="inspection_business_idx",
            ),
        ]

    def __str__(self):
        when = self.date or self.planned_on
        return f"{self.business} ({when:%d/%m/%Y})" if when else str(self.business)


# An open violation is overdue after this many days without a decision (the ward's own rule
# of thumb, not a legal deadline), or once its re-inspection date has passed.
VIOLATION_OVERDUE_DAYS = 30


class ViolationQuerySet(models.QuerySet):
    def for_user(self, user):
        return in_ward(self, user, "inspection__business__ward")._for_role(user)

    def _for_role(self, user):
        role = role_of(user)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER, Role.POLICE, Role.HEALTH):
            return self
        return self.none()

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status=Violation.Status.OPEN).filter(
            Q(detected_on__lt=today - timedelta(days=VIOLATION_OVERDUE_DAYS))
            | Q(reinspection_due__lt=today)
        )


class Violation(Versioned):
    class Status(models.TextChoices):
        OPEN = "open", _("Chưa xử lý")
        PENALTY_DECIDED = "penalty_decided", _("Đã ra quyết định xử phạt")
        REMEDIATED = "remediated", _("Đã khắc phục")
        TRANSFERRED = "transferred", _("Đã chuyển cơ quan có thẩm quyền")

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="violations",
        verbose_name=_("cuộc kiểm tra"),
    )
    code = models.CharField(_("hành vi vi phạm"), max_length=40)
    description = models.TextField(_("mô tả"), blank=True)
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="violations",
        verbose_name=_("trẻ em"),
    )
    detected_on = models.DateField(_("ngày phát hiện"), default=timezone.localdate)
    fine_vnd = models.PositiveBigIntegerField(
        _("số tiền phạt (đồng)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("Số tiền phạt không được âm."))],
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    handled_on = models.DateField(
        _("ngày xử lý"),
        null=True,
        blank=True,
        validators=[NotFutureValidator(_("Ngày xử lý không được sau ngày hôm nay."))],
    )
    decision_number = models.CharField(_("số quyết định xử phạt"), max_length=40, blank=True)
    reinspection_due = models.DateField(_("hạn kiểm tra lại"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("vi phạm")
        verbose_name_plural = _("vi phạm")
        ordering = ["-detected_on"]
        indexes = [
            models.Index(fields=["detected_on", "status"]),
            models.Index(fields=["inspection", "status"], name="violation_insp_status_idx"),
        ]

    def __str__(self):
        return f"{self.code} ({self.detected_on:%d/%m/%Y})"

    @property
    def catalogue_entry(self):
        from .catalogue import violation_type

        return violation_type(self.code)

    def fine_range(self) -> tuple[int, int] | None:
        from .catalogue import fine_range

        return fine_range(self.code, organisation=self.inspection.business.is_organisation)

    def clean(self):
        """Leaving open needs the day it was handled; a penalty needs a decision number and a
        fine within art. 29's band for the code (doubled for an organisation)."""
        from .catalogue import CATALOGUE, vnd

        errors = {}
        if self.code not in CATALOGUE:
            errors["code"] = _("Hành vi vi phạm không có trong danh mục Điều 29.")
        if self.status != self.Status.OPEN:
            if self.handled_on is None:
                errors["handled_on"] = _("Nhập ngày xử lý khi vi phạm đã được xử lý.")
            elif self.detected_on and self.handled_on < self.detected_on:
                errors["handled_on"] = _("Ngày xử lý không được trước ngày phát hiện vi phạm.")
        if self.status == self.Status.PENALTY_DECIDED:
            if not (self.decision_number or "").strip():
                errors["decision_number"] = _("Nhập số quyết định xử phạt.")
            if self.fine_vnd is None:
                errors["fine_vnd"] = _("Nhập số tiền phạt đã quyết định.")
        bounds = self.fine_range() if self.fine_vnd is not None and "code" not in errors else None
        if bounds and self.fine_vnd >= 0 and not bounds[0] <= self.fine_vnd <= bounds[1]:
            organisation = self.inspection.business.is_organisation
            who = _("tổ chức (gấp 2 lần cá nhân)") if organisation else _("cá nhân")
            errors["fine_vnd"] = _(
                "Mức phạt đối với %(who)s cho hành vi này phải từ %(low)s đến "
                "%(high)s đồng; đã nhập %(fine)s đồng."
            ) % {
                "who": who,
                "low": vnd(bounds[0]),
                "high": vnd(bounds[1]),
                "fine": vnd(self.fine_vnd),
            }
        if errors:
            raise ValidationError(errors)


class MinorFound(models.Model):
    """A minor seen working during an inspection: the child, the work as recorded and
    assessed, and the case opened for it (under-16s in unlawful work)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="minors", verbose_name=_("cuộc kiểm tra")
    )
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.PROTECT,
        related_name="found_in_inspections",
        verbose_name=_("trẻ em"),
    )
    # A ForeignKey: a child found again at the same work is linked to the open record.
    work_record = models.ForeignKey(
        "children.WorkRecord",
        on_delete=models.PROTECT,
        related_name="found_in",
        verbose_name=_("quá trình làm việc"),
    )
    case = models.ForeignKey(
        "children.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hồ sơ vụ việc"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("thời điểm ghi nhận"))

    class Meta:
        verbose_name = _("trẻ em phát hiện khi kiểm tra")
        verbose_name_plural = _("trẻ em phát hiện khi kiểm tra")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "child"], name="minor_once_per_visit")
        ]

    def __str__(self):
        return f"{self.child.full_name} — {self.inspection}"


class CommitmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """Business commitments follow the business register's scope; household ones the
        household register's (a household's signature is personal data)."""
        from households.models import Household

        return self.filter(
            Q(business__in=Business.objects.for_user(user))
            | Q(household__in=Household.objects.for_user(user))
        )


class Commitment(models.Model):
    """Bản cam kết không sử dụng lao động trẻ em trái quy định — by a business or a household."""

    business = models.ForeignKey(
        Business,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("cơ sở"),
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("hộ gia đình"),
    )
    signed_on = models.DateField(
        _("ngày ký"),
        default=timezone.localdate,
        db_index=True,
        validators=[NotFutureValidator(_("Ngày ký không được sau ngày hôm nay."))],
    )
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )

    history = HistoricalRecords()
    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bản cam kết")
        verbose_name_plural = _("bản cam kết")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(business__isnull=False, household__isnull=True)
                    | Q(business__isnull=True, household__isnull=False)
                ),
                name="commitment_business_xor_household",
                violation_error_message=_("Bản cam kết phải của một cơ sở hoặc một hộ gia đình."),
            )
        ]

    def __str__(self):
        who = self.business or self.household
        return f"{who} ({self.signed_on:%d/%m/%Y})"


class BusinessScreeningQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(business__in=Business.objects.for_user(user))


class BusinessScreening(AtRiskScreening):
    """A business's yearly screening (plan II.2): at risk of employing children unlawfully."""

    business = models.ForeignKey(
        Business,
        on_delete=models.CASCADE,
        related_name="screenings",
        verbose_name=_("cơ sở"),
    )
    objects = BusinessScreeningQuerySet.as_manager()

    class Meta(AtRiskScreening.Meta):
        verbose_name = _("rà soát cơ sở")
        verbose_name_plural = _("rà soát cơ sở")
        indexes = [models.Index(fields=["business", "date"])]

    def __str__(self):
        return f"{self.business} ({self.date:%d/%m/%Y})"
