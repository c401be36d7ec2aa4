"""Funding (plan 143 III, IV.4, IV.6): the yearly estimate per activity line and source, the
donors and donations mobilised. A domain app low in the order: children (Support.donation),
outreach and inspections (their `cost_vnd`) refer to it; it imports none of them. What was
spent against the estimate is read by reports/mgmt.py."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
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
    """`cost_vnd` of a session, training or inspection (what it cost the ward)."""
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
