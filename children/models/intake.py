"""Tips and intake reports (phản ánh) with their receipt codes."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dongnguyen.models import default_ward_id
from dongnguyen.roles import Role, group_ids_of, in_ward, role_of
from dongnguyen.validators import NotFutureValidator
from dongnguyen.versioning import Versioned

from .register import Child


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
    # The health station and mass organisations report what they detect (plan IV.2, IV.6).
    AGENCY = "agency", _("Cơ quan, đoàn thể")


class IntakeQuerySet(models.QuerySet):
    def for_user(self, user):
        return in_ward(self, user, "ward")._for_role(user)

    def _for_role(self, user):
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
        if role in (Role.HEALTH, Role.MASS_ORG):
            # They act on referrals, not on raw tips (which may name the reporter): only the
            # reports they made themselves (issue 14).
            return self.filter(received_by=user)
        # Finance sees no personal data.
        return self.none()

    def late(self, now=None):
        """Received over 12 hours ago and not yet decided (new or still being verified):
        Decree 56 wants the first assessment within 12 hours of receipt. The home page's tile,
        the intake list's "late" filter and the task list all count these."""
        return self.filter(late_intake_q(now))


def late_intake_q(now=None) -> Q:
    """`IntakeQuerySet.late` as a condition, for a count beside others in one aggregate."""
    now = now or timezone.now()
    return Q(status__in=["new", "verifying"], received_at__lt=now - timedelta(hours=12))


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

    ward = models.ForeignKey(
        "dongnguyen.Ward",
        on_delete=models.PROTECT,
        default=default_ward_id,
        related_name="+",
        verbose_name=_("phường, xã"),
    )
    history = HistoricalRecords()
    objects = IntakeQuerySet.as_manager()

    class Meta:
        verbose_name = _("phản ánh, tố giác")
        verbose_name_plural = _("phản ánh, tố giác")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self):
        return f"{self.receipt_code} ({self.received_at:%d/%m/%Y})"

    def clean(self):
        super().clean()
        # A report belongs to one ward: its residential group must be of that ward.
        if self.group_id and self.ward_id and self.group.ward_id != self.ward_id:
            raise ValidationError(
                {"group": _("Tổ dân phố này không thuộc phường, xã của phản ánh.")}
            )
