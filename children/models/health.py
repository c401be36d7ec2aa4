"""Health checks by the health station (plan IV.2): measurements, nutrition status by the WHO
z-score bands, findings and the health problems caused by early work. Health data is for the
health station, the case officer and leadership only."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dongnguyen.roles import Role, role_of
from dongnguyen.validators import NotFutureValidator

from .register import Child


class NutritionStatus(models.TextChoices):
    NORMAL = "normal", _("Bình thường")
    UNDERWEIGHT = "underweight", _("Suy dinh dưỡng nhẹ cân")
    STUNTED = "stunted", _("Suy dinh dưỡng thấp còi")
    WASTED = "wasted", _("Suy dinh dưỡng gầy còm")
    OVERWEIGHT = "overweight", _("Thừa cân, béo phì")


# WHO growth reference bands (WHO 2006 under 5, WHO 2007 for 5–19 years): below −2 SD is
# malnutrition; above +1 SD of BMI-for-age (5–19 years) is overweight. In data, not in logic.
Z_LOW = Decimal("-2")
Z_OVERWEIGHT = Decimal("1")


def nutrition_band(*, height_for_age_z=None, bmi_for_age_z=None, weight_for_age_z=None) -> str:
    """The nutrition status from the z-scores the health station read off the WHO charts.
    Wasting (thin for height) comes first, then stunting, then underweight, then overweight;
    with no z-score at all: "" (the station picks the status itself)."""
    zs = (height_for_age_z, bmi_for_age_z, weight_for_age_z)
    if all(z is None for z in zs):
        return ""
    if bmi_for_age_z is not None and bmi_for_age_z < Z_LOW:
        return NutritionStatus.WASTED
    if height_for_age_z is not None and height_for_age_z < Z_LOW:
        return NutritionStatus.STUNTED
    if weight_for_age_z is not None and weight_for_age_z < Z_LOW:
        return NutritionStatus.UNDERWEIGHT
    if bmi_for_age_z is not None and bmi_for_age_z > Z_OVERWEIGHT:
        return NutritionStatus.OVERWEIGHT
    return NutritionStatus.NORMAL


class HealthCheckQuerySet(models.QuerySet):
    def for_user(self, user):
        role = role_of(user)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return self
        if role == Role.HEALTH:
            return self.filter(child__in=Child.objects.for_user(user))
        return self.none()

    def in_period(self, start, end):
        return self.filter(date__gte=start, date__lte=end)


def _z(label):
    return models.DecimalField(
        label,
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-6")), MaxValueValidator(Decimal("6"))],
    )


class HealthCheck(models.Model):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="health_checks", verbose_name=_("trẻ em")
    )
    date = models.DateField(
        _("ngày khám"),
        default=timezone.localdate,
        validators=[NotFutureValidator(_("Ngày khám không được sau ngày hôm nay."))],
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người khám"),
    )
    height_cm = models.DecimalField(
        _("chiều cao (cm)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("40")), MaxValueValidator(Decimal("220"))],
    )
    weight_kg = models.DecimalField(
        _("cân nặng (kg)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("2")), MaxValueValidator(Decimal("200"))],
    )
    height_for_age_z = _z(_("chiều cao theo tuổi (z-score)"))
    bmi_for_age_z = _z(_("BMI theo tuổi (z-score)"))
    weight_for_age_z = _z(_("cân nặng theo tuổi (z-score)"))
    nutrition_status = models.CharField(
        _("tình trạng dinh dưỡng"),
        max_length=20,
        choices=NutritionStatus.choices,
        blank=True,
        help_text=_("Để trống thì tính theo z-score (ngưỡng WHO)."),
    )
    findings = models.TextField(_("kết quả khám"), blank=True)
    work_related_problems = models.TextField(_("vấn đề sức khỏe do lao động sớm"), blank=True)
    advice = models.TextField(_("tư vấn sức khỏe, dinh dưỡng"), blank=True)
    referred_to = models.CharField(_("chuyển tuyến đến"), max_length=200, blank=True)
    objects = HealthCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("khám sức khỏe")
        verbose_name_plural = _("khám sức khỏe")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date", "child"])]

    def __str__(self):
        return f"{self.child.full_name} ({self.date:%d/%m/%Y})"

    def clean(self):
        band = nutrition_band(
            height_for_age_z=self.height_for_age_z,
            bmi_for_age_z=self.bmi_for_age_z,
            weight_for_age_z=self.weight_for_age_z,
        )
        if not self.nutrition_status:
            if not band:
                raise ValidationError(
                    {
                        "nutrition_status": _(
                            "Hãy chọn tình trạng dinh dưỡng hoặc nhập z-score để tính."
                        )
                    }
                )
            self.nutrition_status = band
        elif band and band != self.nutrition_status:
            raise ValidationError(
                {
                    "nutrition_status": _(
                        "Tình trạng dinh dưỡng không khớp với z-score đã nhập (theo ngưỡng WHO "
                        "là “%(band)s”)."
                    )
                    % {"band": NutritionStatus(band).label}
                }
            )
        if (
            self.child_id
            and self.date
            and self.child.birth_date
            and self.date < self.child.birth_date
        ):
            raise ValidationError({"date": _("Ngày khám không thể trước ngày sinh.")})
