"""Notification centre (DESIGN.md "Notifications").

A `Notification` is one event for one user, unique on (kind, object, threshold, recipient): it
is written before anything is sent, so a second pass of the reminder job (or a second worker)
finds it and sends nothing. Each channel leaving the app (email, SMS, Zalo) gets a `Delivery`
row of its own, claimed by a conditional UPDATE before sending, retried when the send fails.

Messages that leave the app carry only codes, the kind of deadline, the due time and a link.
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INTAKE_NEW = "intake_new", _("Phản ánh mới")
    ASSESS_DUE = "assess_due", _("Hạn đánh giá ban đầu (12 giờ)")
    PLAN_DUE = "plan_due", _("Hạn xây dựng kế hoạch (5 ngày làm việc)")
    APPROVAL_WAITING = "approval_waiting", _("Kế hoạch chờ phê duyệt")
    REFERRAL_UNANSWERED = "referral_unanswered", _("Chuyển gửi chưa được xử lý")
    FOLLOWUP_MISSING = "followup_missing", _("Quá 30 ngày chưa theo dõi")
    FOLLOWUP_TOMORROW = "followup_tomorrow", _("Lịch theo dõi ngày mai")
    VIOLATION_OVERDUE = "violation_overdue", _("Vi phạm quá hạn xử lý")
    REPORT_DUE = "report_due", _("Báo cáo định kỳ sắp đến hạn")
    ASSIGNED = "assigned", _("Hồ sơ được giao, chuyển gửi đến tôi")
    MEETING_ACTION_DUE = "meeting_action_due", _("Việc được giao tại cuộc họp đến hạn")
    AGENCY_INPUT_DUE = "agency_input_due", _("Báo cáo của cơ quan, tổ dân phố đến hạn gửi")


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """A user sees their own notifications only (whatever their role or ward)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("người nhận"),
    )
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    # The record it is about; object_id is text so a report not yet created ("2026-H1") can be
    # named too.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    # Which reminder of the event ("8h", "12h", "day4", "overdue", a date…).
    threshold = models.CharField(_("mốc"), max_length=32, blank=True)
    code = models.CharField(_("mã hồ sơ"), max_length=40)
    due_at = models.DateTimeField(_("hạn"), null=True, blank=True)
    escalated = models.BooleanField(_("báo cáo lãnh đạo"), default=False)
    link = models.CharField(_("đường dẫn"), max_length=300)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "threshold", "recipient"],
                name="notification_once_per_event",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}"

    @property
    def key(self) -> str:
        return (
            f"{self.kind}:{self.content_type_id}:{self.object_id}:{self.threshold}:"
            f"{self.recipient_id}"
        )


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi, sẽ thử lại")
        GAVE_UP = "gave_up", _("Gửi lỗi, đã dừng")
        SKIPPED = "skipped", _("Không gửi (thiếu địa chỉ)")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    # event:content type:object:threshold:recipient:channel — one send per key, ever.
    key = models.CharField(_("khóa"), max_length=200, unique=True)
    digest = models.BooleanField(_("gửi trong bản tin 7 giờ"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần tới"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Random token of the worker that claimed it (conditional UPDATE): only it sends.
    claim = models.CharField(max_length=16, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    error = models.TextField(_("lỗi lần gửi cuối"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lần gửi thông báo")
        verbose_name_plural = _("lần gửi thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "digest", "next_attempt_at"])]

    def __str__(self):
        return self.key


class Preference(models.Model):
    """Which events reach a user by which channel. No row: email on, SMS and Zalo off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    email = models.BooleanField(_("thư điện tử"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)
    zalo = models.BooleanField(_("Zalo"), default=False)
    # Email once a day at 07:00 with everything of the day instead of one email per event.
    digest = models.BooleanField(_("gộp vào bản tin 7 giờ"), default=False)

    class Meta:
        verbose_name = _("tùy chọn nhận thông báo")
        verbose_name_plural = _("tùy chọn nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")
        ]

    def __str__(self):
        return f"{self.user} {self.kind}"

    def channels(self) -> list[str]:
        return [c for c in Channel.values if getattr(self, c)]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A private iCalendar address. Only the token's hash is stored: the address is shown
    once, when made; revoking it (or making a new one) ends it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch riêng (iCalendar)")
        verbose_name_plural = _("lịch riêng (iCalendar)")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} {self.created_at:%d/%m/%Y}"
