"""Funding (plan 143 III, IV.4, IV.6): the yearly estimate per activity line and source, the
donors and donations mobilised. A domain app low in the order: children (Support.donation),
outreach and inspections (their `cost_vnd`) refer to it; it imports none of them. What was
spent against the estimate is read by reports/mgmt.py."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dongnguyen.models import default_ward_id
from dongnguyen.roles import Role, role_of, ward_id_of


class Source(models.TextChoices):
    """The same codes as Support.funding_source."""

    STATE_BUDGET = "state_budget", _("Ngân sách nhà nước")
    SOCIAL_MOBILIZATION = "social_mobilization", _("Nguồn xã hội hóa")
    OTHER = "other", _("Nguồn khác")


class Activity(models.TextChoices):
    """The activity lines of the plan's estimate."""

    AWARENESS = "awareness", _("Tuyên truyền, nâng cao nhận thức")
    SCREENING = "screening", _("Rà soát, lập danh sách, theo dõi")
    SUPPORT = "support", _("Hỗ trợ, can thiệp trẻ em")
    INSPECTION = "inspection", _("Kiểm tra, giám sát")
    TRAINING = "training", _("Tập huấn, nâng cao năng lực")
    COORDINATION = "coordination", _("Phối hợp, hội họp, sơ kết, tổng kết")
    OTHER = "other", _("Khác")


def cost_field():
    """`cost_vnd` of a session, material distribution, training or inspection (what it cost
    the ward)."""
    return models.PositiveBigIntegerField(_("kinh phí (đồng)"), default=0)


def cost_source_field():
    return models.CharField(
        _("nguồn kinh phí"), max_length=20, choices=Source.choices, default=Source.STATE_BUDGET
    )


def _in_ward(qs, user):
    if user is None or not user.is_authenticated:
        return qs.none()
    ward_id = ward_id_of(user)
    if ward_id is None:
        return qs if user.is_superuser or role_of(user) == Role.PROVINCE else qs.none()
    return qs.filter(ward_id=ward_id)


class WardScoped(models.QuerySet):
    def for_user(self, user):
        return _in_ward(self, user)


class BudgetEstimate(models.Model):
    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000)], db_index=True
    )
    activity = models.CharField(_("nội dung hoạt động"), max_length=20, choices=Activity.choices)
    source = models.CharField(_("nguồn kinh phí"), max_length=20, choices=Source.choices)
    amount_vnd = models.PositiveBigIntegerField(_("dự toán (đồng)"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects = WardScoped.as_manager()

    class Meta:
        verbose_name = _("dự toán kinh phí")
        verbose_name_plural = _("dự toán kinh phí")
        ordering = ["year", "activity", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "year", "activity", "source"], name="budget_one_line_per_source"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.get_activity_display()} ({self.get_source_display()})"

    def validate_unique(self, exclude=None):
        try:
            super().validate_unique(exclude)
        except ValidationError:
            raise ValidationError(
                _("Năm này đã có dự toán cho nội dung và nguồn kinh phí này; hãy sửa dòng đó.")
            ) from None


class Donor(models.Model):
    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")
        PERSON = "person", _("Cá nhân")

    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    name = models.CharField(_("tên nhà tài trợ"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    contact = models.CharField(_("liên hệ"), max_length=255, blank=True)

    objects = WardScoped.as_manager()

    class Meta:
        verbose_name = _("nhà tài trợ")
        verbose_name_plural = _("nhà tài trợ")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DonationQuerySet(WardScoped):
    def with_spent(self):
        """`spent`: the value of the supports drawn on each donation (one aggregate)."""
        return self.annotate(spent=Coalesce(Sum("supports__amount_vnd"), 0))


class Donation(models.Model):
    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="donations", verbose_name=_("nhà tài trợ")
    )
    date = models.DateField(_("ngày tiếp nhận"), default=timezone.localdate, db_index=True)
    amount_vnd = models.PositiveBigIntegerField(_("tiền mặt (đồng)"), null=True, blank=True)
    in_kind = models.CharField(
        _("hiện vật"), max_length=255, blank=True, help_text=_("Ví dụ: 50 bộ sách vở, 20 xe đạp.")
    )
    value_vnd = models.PositiveBigIntegerField(_("giá trị hiện vật (đồng)"), null=True, blank=True)
    purpose = models.CharField(_("mục đích"), max_length=255)
    restricted_to_group = models.ForeignKey(
        "households.ResidentialGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chỉ dành cho tổ dân phố"),
    )
    restricted_to_kind = models.CharField(
        _("chỉ dành cho hình thức hỗ trợ"),
        max_length=20,
        blank=True,
        help_text=_("Mã hình thức hỗ trợ, ví dụ scholarship (học bổng)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản tài trợ")
        verbose_name_plural = _("khoản tài trợ")
        ordering = ["-date", "-pk"]

    def __str__(self):
        what = self.in_kind or _("tiền mặt")
        return f"{self.donor} — {what} ({self.date:%d/%m/%Y})"

    @property
    def value(self) -> int:
        """What the donation is worth: the cash, or the declared value of the goods."""
        return (self.amount_vnd or 0) + (self.value_vnd or 0)

    def spent_excluding(self, support_pk=None) -> int:
        qs = self.supports.all()
        if support_pk:
            qs = qs.exclude(pk=support_pk)
        return qs.aggregate(s=Coalesce(Sum("amount_vnd"), 0))["s"]

    @property
    def remaining(self) -> int:
        spent = getattr(self, "spent", None)
        return self.value - (self.spent_excluding() if spent is None else spent)

    def clean(self):
        cash = self.amount_vnd is not None and self.amount_vnd > 0
        goods = bool(self.in_kind.strip())
        if not cash and not goods:
            raise ValidationError(_("Ghi số tiền mặt hoặc hiện vật được tài trợ."))
        if goods and not self.value_vnd:
            raise ValidationError({"value_vnd": _("Ghi giá trị ước tính của hiện vật.")})
        if not goods and self.value_vnd:
            raise ValidationError({"in_kind": _("Ghi hiện vật được tài trợ.")})
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("Ngày tiếp nhận không được sau hôm nay.")})

    def check_support(self, support) -> None:
        """The rule of a support drawing on this donation (called by Support.clean): its value
        stays within what is left, and within the donation's restrictions."""
        errors = {}
        if not support.amount_vnd:
            errors["amount_vnd"] = _("Ghi giá trị của khoản hỗ trợ lấy từ nguồn tài trợ.")
        elif support.amount_vnd > self.value - self.spent_excluding(support.pk):
            errors["amount_vnd"] = _("Vượt số còn lại của khoản tài trợ (còn %(left)s đồng).") % {
                "left": f"{self.value - self.spent_excluding(support.pk):,}".replace(",", ".")
            }
        if self.restricted_to_kind and support.kind != self.restricted_to_kind:
            errors["kind"] = _("Khoản tài trợ này chỉ dành cho một hình thức hỗ trợ khác.")
        if self.restricted_to_group_id:
            group_id = support.child.household.group_id if support.child_id else None
            if group_id != self.restricted_to_group_id:
                errors["donation"] = _(
                    "Khoản tài trợ này chỉ dành cho trẻ em của tổ dân phố %(g)s."
                ) % {"g": self.restricted_to_group}
        if support.date and self.date and support.date < self.date:
            errors["date"] = _("Ngày hỗ trợ không được trước ngày tiếp nhận tài trợ.")
        if errors:
            raise ValidationError(errors)
