"""Case-file details (assessment items, plan actions, attachments…), kept apart from
children/models.py for readability; imported at the end of children/models.py."""

import os
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dongnguyen.models import Agency
from dongnguyen.workdays import (
    ASSESSMENT_HOURS,
    end_of_day,
    holiday_set,
    is_working_day,
    nth_working_day_after,
)

__all__ = [
    "Attachment",
    "AttachmentKind",
    "CaseAssessmentItem",
    "CasePlanAction",
    "DeadlineCutoffs",
    "deadline_cutoffs",
]

# A step is "due soon" this long before its deadline.
ASSESSMENT_SOON_HOURS = 4


class DeadlineCutoffs:
    """The receipt times that make a step overdue or due soon at `now`.

    The plan deadline (end of the 5th working day after the day of receipt) only grows with
    the receipt day, so "deadline passed" is the same as "received before a cutoff": computed
    once here with one Holiday query, the filters then run in the database at constant cost.
    """

    def __init__(self, now: datetime, holidays: set[date]):
        self.now = now
        today = timezone.localtime(now).date()
        self.assess_overdue = now - timedelta(hours=ASSESSMENT_HOURS)
        self.assess_soon = now - timedelta(hours=ASSESSMENT_HOURS - ASSESSMENT_SOON_HOURS)
        next_working = today + timedelta(days=1)
        while not is_working_day(next_working, holidays):
            next_working += timedelta(days=1)
        self.plan_overdue = self._receipt_cutoff(lambda due: due < today, today, holidays)
        # Due soon: the deadline is today or the next working day.
        self.plan_soon = self._receipt_cutoff(lambda due: due <= next_working, today, holidays)

    @staticmethod
    def _receipt_cutoff(passed, today: date, holidays: set[date]) -> datetime:
        """Start of the first receipt day whose plan deadline has not `passed`."""
        day = today  # received today: never already passed
        while not passed(nth_working_day_after(day - timedelta(days=1), 5, holidays)):
            day -= timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, datetime.min.time()))


# The holidays the cutoffs read: this many days either side of today.
CUTOFF_HOLIDAY_DAYS = 60


def deadline_cutoffs(
    now: datetime | None = None, holidays: set[date] | None = None
) -> DeadlineCutoffs:
    """The cutoffs at `now`; `holidays` (a set covering at least CUTOFF_HOLIDAY_DAYS either
    side of today, which a page may already hold) saves the Holiday query."""
    now = now or timezone.now()
    if holidays is None:
        today = timezone.localtime(now).date()
        window = timedelta(days=CUTOFF_HOLIDAY_DAYS)
        holidays = holiday_set(today - window, today + window)
    return DeadlineCutoffs(now, holidays)


def plan_deadline_for(received_at: datetime, holidays: set[date]) -> datetime:
    day = timezone.localtime(received_at).date()
    return end_of_day(nth_working_day_after(day, 5, holidays))


class CaseAssessmentItem(models.Model):
    """One risk item of the initial/specific assessment (Mẫu 02/03; reviewed in Mẫu 06)."""

    class Level(models.TextChoices):
        HIGH = "high", _("Cao")
        MEDIUM = "medium", _("Trung bình")
        LOW = "low", _("Thấp")

    case = models.ForeignKey(
        "children.Case",
        on_delete=models.CASCADE,
        related_name="assessment_items",
        verbose_name=_("hồ sơ vụ việc"),
    )
    item = models.CharField(_("nội dung đánh giá"), max_length=255)
    level = models.CharField(_("mức độ"), max_length=8, choices=Level.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        verbose_name = _("nội dung đánh giá nguy cơ")
        verbose_name_plural = _("nội dung đánh giá nguy cơ")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.item}: {self.get_level_display()}"


class CasePlanAction(models.Model):
    """One action of the support and intervention plan (Mẫu 04): who does what by when."""

    case = models.ForeignKey(
        "children.Case",
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("hồ sơ vụ việc"),
    )
    action = models.CharField(_("hoạt động hỗ trợ, can thiệp"), max_length=255)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan thực hiện")
    )
    due_on = models.DateField(_("thời hạn"))
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("thứ tự"))

    class Meta:
        verbose_name = _("hoạt động trong kế hoạch")
        verbose_name_plural = _("hoạt động trong kế hoạch")
        ordering = ["order", "due_on", "pk"]
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self):
        return self.action


class AttachmentKind(models.TextChoices):
    MINUTES = "minutes", _("Biên bản (bản quét)")
    DECISION = "decision", _("Quyết định đã ký")
    PHOTO = "photo", _("Ảnh chụp")
    SCHOOL_LETTER = "school_letter", _("Văn bản của nhà trường")
    OTHER = "other", _("Khác")


def attachment_path(instance, filename):
    """A random name: the uploader's file name never reaches the file system."""
    ext = os.path.splitext(filename)[1].lower()
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{ext}"


class AttachmentQuerySet(models.QuerySet):
    def for_user(self, user):
        """A case's files go with the case file; a child's own files go with the child."""
        from dongnguyen.permissions import may

        from . import Case, Child

        if not may(user, "child.view_full"):
            # Mass organisations see a referred child's name, group and needs, not documents.
            return self.none()
        return self.filter(
            Q(case__isnull=False, case__in=Case.objects.for_user(user))
            | Q(case__isnull=True, child__in=Child.objects.for_user(user))
        )


class Attachment(models.Model):
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("trẻ em"),
    )
    case = models.ForeignKey(
        "children.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("hồ sơ vụ việc"),
    )
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=200)
    kind = models.CharField(_("loại tài liệu"), max_length=16, choices=AttachmentKind.choices)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(max_length=100, verbose_name=_("kiểu tệp"))
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài liệu đính kèm")
        verbose_name_plural = _("tài liệu đính kèm")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name
