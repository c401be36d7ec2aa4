"""Schools, pupils' monthly attendance and the early warning of dropping out (plan II.6).

A school's focal teacher (role `school`) reads only the pupils enrolled in their school: name,
class, attendance and a note. The children app knows nothing of schools (it is a floor below);
the case officer reaches the child's file from an early warning.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dongnguyen.models import default_ward_id
from dongnguyen.roles import Role, role_of, ward_id_of


class Level(models.TextChoices):
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    VOCATIONAL = "vocational", _("Giáo dục nghề nghiệp")


def _ward_scoped(qs, user, field="ward_id"):
    ward = ward_id_of(user)
    return qs if ward is None else qs.filter(**{field: ward})


def school_id_of(user) -> int | None:
    staff = getattr(user, "school_staff", None) if user.is_authenticated else None
    return staff.school_id if staff is not None else None


class SchoolQuerySet(models.QuerySet):
    def for_user(self, user):
        role = role_of(user)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return _ward_scoped(self, user)
        if role == Role.SCHOOL:
            return self.filter(pk=school_id_of(user))
        return self.none()


class School(models.Model):
    name = models.CharField(_("tên trường"), max_length=200)
    level = models.CharField(_("cấp học"), max_length=20, choices=Level.choices)
    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("trường học")
        verbose_name_plural = _("trường học")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["ward", "name"], name="school_unique_name")]

    def __str__(self):
        return self.name


class SchoolStaff(models.Model):
    """The school a user of the `school` role works for (one school per focal teacher)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="school_staff",
        verbose_name=_("người dùng"),
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="staff", verbose_name=_("trường")
    )

    class Meta:
        verbose_name = _("giáo viên phụ trách")
        verbose_name_plural = _("giáo viên phụ trách")

    def __str__(self):
        return f"{self.user} – {self.school}"


def current_school_year(on: date | None = None) -> str:
    """The school year holding `on` ("2026-2027" from September to August)."""
    from django.utils import timezone

    on = on or timezone.localdate()
    start = on.year if on.month >= 9 else on.year - 1
    return f"{start}-{start + 1}"


def validate_school_year(value: str):
    parts = value.split("-")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 4 for p in parts):
        raise ValidationError(_("Năm học phải có dạng 2026-2027."), code="school_year")
    if int(parts[1]) != int(parts[0]) + 1:
        raise ValidationError(_("Năm học phải gồm hai năm liền nhau."), code="school_year")


class EnrolmentQuerySet(models.QuerySet):
    def for_user(self, user):
        role = role_of(user)
        if role in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return _ward_scoped(self, user, "school__ward_id")
        if role == Role.SCHOOL:
            return self.filter(school_id=school_id_of(user))
        return self.none()


class Enrolment(models.Model):
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("học sinh"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("trường")
    )
    class_name = models.CharField(_("lớp"), max_length=20)
    school_year = models.CharField(
        _("năm học"), max_length=9, default=current_school_year, validators=[validate_school_year]
    )
    note = models.TextField(_("ghi chú của nhà trường"), blank=True)
    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("học sinh theo lớp")
        verbose_name_plural = _("học sinh theo lớp")
        ordering = ["school__name", "class_name", "child__search_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "school_year"], name="enrolment_one_school_a_year"
            )
        ]

    def __str__(self):
        return f"{self.child.full_name} – {self.class_name} ({self.school_year})"


class AttendanceRecord(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("học sinh")
    )
    month = models.DateField(_("tháng"), help_text=_("Ngày đầu tháng."))
    days_absent = models.PositiveSmallIntegerField(_("số ngày nghỉ"), default=0)
    days_absent_unexcused = models.PositiveSmallIntegerField(
        _("trong đó nghỉ không phép"), default=0
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("thời điểm cập nhật"))

    class Meta:
        verbose_name = _("chuyên cần")
        verbose_name_plural = _("chuyên cần")
        ordering = ["enrolment", "month"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "month"], name="attendance_one_a_month")
        ]

    def clean(self):
        errors = {}
        if isinstance(self.month, date) and self.month.day != 1:
            self.month = self.month.replace(day=1)
        if self.days_absent is not None and self.days_absent > 31:
            errors["days_absent"] = _("Một tháng không có quá 31 ngày.")
        if (
            self.days_absent is not None
            and self.days_absent_unexcused is not None
            and self.days_absent_unexcused > self.days_absent
        ):
            errors["days_absent_unexcused"] = _(
                "Số ngày nghỉ không phép không được lớn hơn tổng số ngày nghỉ."
            )
        if errors:
            raise ValidationError(errors)


class WarningRule(models.Model):
    """An early-warning rule; its thresholds are data, so the ward can change them."""

    UNEXCUSED = "unexcused_month"
    RISING = "rising_absences"
    POOR_ABSENT = "poor_household_absent"

    code = models.CharField(_("mã"), max_length=40, primary_key=True)
    name = models.CharField(_("tên quy tắc"), max_length=255)
    parameters = models.JSONField(_("tham số"), default=dict)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("quy tắc cảnh báo sớm")
        verbose_name_plural = _("quy tắc cảnh báo sớm")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        key = {self.UNEXCUSED: "min_days", self.RISING: "months", self.POOR_ABSENT: "min_days"}
        needed = key.get(self.code)
        value = (self.parameters or {}).get(needed) if needed else None
        if needed and (not isinstance(value, int) or value < 1):
            raise ValidationError(
                {"parameters": _("Tham số “%(k)s” phải là số nguyên dương.") % {"k": needed}}
            )


class EarlyWarningQuerySet(models.QuerySet):
    def for_user(self, user):
        """Warnings are the officer's work (and leadership's to watch), in their ward."""
        if role_of(user) in (Role.LEADERSHIP, Role.CASE_OFFICER):
            return _ward_scoped(self, user, "child__household__group__ward_id")
        return self.none()

    def open(self):
        return self.filter(contacted_on__isnull=True)


class EarlyWarning(models.Model):
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.CASCADE,
        related_name="early_warnings",
        verbose_name=_("học sinh"),
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    raised_on = models.DateField(_("ngày cảnh báo"))
    rule = models.CharField(_("quy tắc"), max_length=40)
    month = models.DateField(_("tháng chuyên cần"))
    detail = models.CharField(_("chi tiết"), max_length=255, blank=True)
    contacted_on = models.DateField(_("ngày liên hệ"), null=True, blank=True)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người liên hệ"),
    )
    outcome = models.TextField(_("kết quả liên hệ"), blank=True)
    objects = EarlyWarningQuerySet.as_manager()

    class Meta:
        verbose_name = _("cảnh báo sớm nguy cơ bỏ học")
        verbose_name_plural = _("cảnh báo sớm nguy cơ bỏ học")
        ordering = ["-raised_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "rule", "month"], name="early_warning_once_a_month"
            )
        ]

    def __str__(self):
        return f"{self.child.full_name} – {self.raised_on:%d/%m/%Y}"

    def clean(self):
        if (
            isinstance(self.contacted_on, date)
            and isinstance(self.raised_on, date)
            and self.contacted_on < self.raised_on
        ):
            raise ValidationError(
                {"contacted_on": _("Ngày liên hệ không thể trước ngày cảnh báo.")}
            )
        from django.utils import timezone

        if isinstance(self.contacted_on, date) and self.contacted_on > timezone.localdate():
            raise ValidationError({"contacted_on": _("Ngày liên hệ không được sau ngày hôm nay.")})
