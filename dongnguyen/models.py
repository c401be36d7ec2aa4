from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role
from .text import person_name
from .validators import NotFutureValidator


def _validate_day_month(value: str):
    from datetime import date

    from django.core.exceptions import ValidationError

    try:
        day, month = (int(part) for part in value.split("/"))
        date(2001, month, day)  # a common year: the day must exist every year
    except ValueError:
        raise ValidationError(
            _("Ngày trong năm phải viết dạng ngày/tháng, ví dụ 20/06."), code="day_month"
        ) from None


class WardQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Ward(models.Model):
    """A ward or commune of the province: one deployment serves them all (DESIGN "Province and
    wards"). The first ward is made from the WARD_*/SIGNER_* settings by a data migration."""

    code = models.CharField(_("mã đơn vị hành chính"), max_length=10, unique=True)
    name = models.CharField(_("tên phường, xã"), max_length=120)
    province_name = models.CharField(_("tỉnh"), max_length=120)
    plan_number = models.CharField(_("số kế hoạch của phường"), max_length=40, blank=True)
    signer_name = models.CharField(_("người ký báo cáo"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_prefix = models.CharField(_("thẩm quyền ký"), max_length=60, blank=True)
    report_due_semiannual = models.CharField(
        _("hạn nộp báo cáo 6 tháng (ngày/tháng)"),
        max_length=5,
        default="20/06",
        validators=[_validate_day_month],
    )
    report_due_annual = models.CharField(
        _("hạn nộp báo cáo năm (ngày/tháng)"),
        max_length=5,
        default="20/12",
        validators=[_validate_day_month],
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = WardQuerySet.as_manager()

    class Meta:
        verbose_name = _("phường, xã")
        verbose_name_plural = _("phường, xã")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def report_due_dates(self) -> dict[str, tuple[int, int]]:
        """(month, day) each periodic report falls due in its year, as REPORT_DUE_DATES."""
        out = {}
        for kind, value in (
            ("semiannual", self.report_due_semiannual),
            ("annual", self.report_due_annual),
        ):
            day, month = (int(part) for part in value.split("/"))
            out[kind] = (month, day)
        return out

    @classmethod
    def cached(cls, pk: int | None) -> "Ward":
        """A ward (None: the first) from the cache: every page names the user's ward, and a
        page's queries stay what they were in a single-ward deployment. A saved ward is
        dropped from the cache (signals below)."""
        from django.core.cache import cache

        if pk is None:
            return cls.first()  # superusers: not cached (a key naming no row could go stale)
        key = f"dn:ward:{pk}"
        ward = cache.get(key)
        if ward is None:
            ward = cls.objects.get(pk=pk)
            cache.set(key, ward, 3600)
        return ward

    @classmethod
    def first(cls) -> "Ward":
        """The deployment's first ward (the one the settings describe), made if missing."""
        ward = cls.objects.order_by("pk").first()
        if ward is None:
            ward = cls.objects.create(**first_ward_values())
        return ward


def first_ward_values() -> dict:
    """The first ward as the single-ward settings describe it."""
    due = getattr(settings, "REPORT_DUE_DATES", {})

    def dm(kind, default):
        month, day = due.get(kind, default)
        return f"{day:02d}/{month:02d}"

    return {
        "code": settings.WARD_CODE,
        "name": settings.WARD_NAME,
        "province_name": settings.PROVINCE_NAME,
        "plan_number": settings.WARD_PLAN_NUMBER,
        "signer_name": settings.SIGNER_NAME,
        "signer_title": settings.SIGNER_TITLE,
        "signer_prefix": settings.SIGNER_PREFIX,
        "report_due_semiannual": dm("semiannual", (6, 20)),
        "report_due_annual": dm("annual", (12, 20)),
    }


def check_unique_in_ward(instance, field: str, message) -> None:
    """A code unique per ward (the model's UniqueConstraint(ward, code)), checked in clean()
    so that forms, imports and the API get the message on the field."""
    from django.core.exceptions import ValidationError

    value = getattr(instance, field)
    if not value or instance.ward_id is None:
        return
    taken = type(instance)._default_manager.filter(ward_id=instance.ward_id, **{field: value})
    if instance.pk is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise ValidationError({field: message})


def default_ward_id() -> int:
    """Default for `ward` foreign keys: the first ward (so single-ward code keeps working)."""
    return Ward.first().pk


class Agency(models.Model):
    """A body that acts under the plan (section IV): VH-XH office, health station, police…"""

    code = models.SlugField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=200)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("người dùng"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    ward = models.ForeignKey(
        Ward,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        default=default_ward_id,
        related_name="profiles",
        verbose_name=_("phường, xã"),
        help_text=_("Để trống chỉ với tài khoản cấp tỉnh."),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("cơ quan")
    )
    groups = models.ManyToManyField(
        "households.ResidentialGroup",
        blank=True,
        related_name="collaborators",
        verbose_name=_("tổ dân phố phụ trách"),
    )
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    title = models.CharField(_("chức vụ"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("hồ sơ người dùng")
        verbose_name_plural = _("hồ sơ người dùng")

    def __str__(self):
        return f"{person_name(self.user)} ({self.get_role_display()})"


class AccessLogQuerySet(models.QuerySet):
    """The log is append-only: a bulk update or delete through the ORM is refused too."""

    def update(self, **kwargs):
        raise AccessLogImmutable(_("Nhật ký truy cập chỉ được ghi thêm, không được sửa."))

    def delete(self):
        raise AccessLogImmutable(_("Nhật ký truy cập chỉ được ghi thêm, không được xóa."))

    def for_user(self, user):
        """The log of the user's ward: what its own staff viewed (superusers: every ward)."""
        from dongnguyen.roles import in_ward

        return in_ward(self, user, "user__profile__ward")

    def about(self, *objs):
        """Rows naming any of `objs` (a child and its work records and cases, say): their own
        pages, and the lists, searches and exports that showed them."""
        by_type: dict[ContentType, list[str]] = {}
        for obj in objs:
            by_type.setdefault(ContentType.objects.get_for_model(obj), []).append(str(obj.pk))
        if not by_type:
            return self.none()
        q = models.Q()
        for ct, ids in by_type.items():
            named = models.Q(object_id__in=ids)
            for pk in ids:
                named |= models.Q(object_ids__contains=f",{pk},")
            q |= models.Q(content_type=ct) & named
        return self.filter(q)

    def search(self, *, user: str = "", date_from=None, date_to=None, action: str = ""):
        """The log page's filters: a user by username or name, a date range, an action."""
        rows = self
        if user:
            rows = rows.filter(
                models.Q(user__username__icontains=user)
                | models.Q(user__first_name__icontains=user)
                | models.Q(user__last_name__icontains=user)
            )
        if date_from:
            rows = rows.filter(at__date__gte=date_from)
        if date_to:
            rows = rows.filter(at__date__lte=date_to)
        if action:
            rows = rows.filter(action=action)
        return rows


class AccessLogImmutable(Exception):
    """A write that would change or remove a row of the access log."""


class AccessLog(models.Model):
    """Who viewed, exported, printed or downloaded which personal record, and when.

    One row per request. A list, search, preview or export names the ids it showed in
    `object_ids` (",3,17,42,": the commas at both ends make `contains=",17,"` exact), so a
    list page costs one INSERT whatever its length. Rows are never changed or deleted: an
    auditor must be able to trust them (issue 11 point 4).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("xem")
        EXPORT = "export", _("xuất dữ liệu")
        PRINT = "print", _("in")
        DOWNLOAD = "download", _("tải tệp")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("người dùng")
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("loại đối tượng"),
    )
    object_id = models.CharField(max_length=64, blank=True, verbose_name=_("mã đối tượng"))
    object = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    object_ids = models.TextField(_("các mã đối tượng được hiển thị"), blank=True)
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("chi tiết"), max_length=255, blank=True)
    path = models.CharField(max_length=500, blank=True, verbose_name=_("đường dẫn"))
    ip = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("địa chỉ IP"))
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        ordering = ["-at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return (
            f"{self.at:%d/%m/%Y %H:%M} {self.user} {self.get_action_display()} {self.object_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AccessLogImmutable(_("Nhật ký truy cập chỉ được ghi thêm, không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AccessLogImmutable(_("Nhật ký truy cập chỉ được ghi thêm, không được xóa."))

    @property
    def action_label(self) -> str:
        """get_action_display() without rebuilding the field's choices at every row (a log
        table shows fifty to a hundred rows)."""
        return _ACCESS_ACTION_LABELS.get(self.action, self.action)

    @property
    def shown_ids(self) -> list[str]:
        return [i for i in self.object_ids.split(",") if i]


# Lazy labels: each is translated when shown, in the reader's language.
_ACCESS_ACTION_LABELS = dict(AccessLog.Action.choices)


class Holiday(models.Model):
    """Public holidays excluded from working-day deadlines (Decree 56: 5 working days)."""

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày nghỉ"), max_length=120)

    class Meta:
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


@receiver([post_save, post_delete], sender=Ward)
def _forget_cached_ward(sender, instance, **kwargs):
    from django.core.cache import cache

    cache.delete(f"dn:ward:{instance.pk}")


@receiver([post_save, post_delete], sender=Holiday)
def _forget_cached_holidays(sender, instance, **kwargs):
    from .workdays import forget_holidays

    forget_holidays()


class AtRiskScreening(models.Model):
    """The yearly screening of a household or a business (plan II.2): at risk of children's
    early work or not, with the reasons, on a date. One row per screening, so "not screened
    this year" is a question on dates and past years keep what was found then. The rule is
    here once for both kinds (households and businesses are two apps)."""

    date = models.DateField(
        _("ngày rà soát"),
        default=timezone.localdate,
        validators=[NotFutureValidator(_("Ngày rà soát không được sau ngày hôm nay."))],
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người rà soát"),
    )
    at_risk = models.BooleanField(_("có nguy cơ"), default=False)
    reasons = models.TextField(_("lý do, dấu hiệu nguy cơ"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-date", "-pk"]

    def clean(self):
        self.reasons = (self.reasons or "").strip()
        if self.at_risk and not self.reasons:
            raise ValidationError(
                {"reasons": _("Hãy ghi lý do, dấu hiệu nguy cơ khi đánh dấu có nguy cơ.")}
            )
