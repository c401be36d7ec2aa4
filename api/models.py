"""The API's own rows: personal tokens and the client UUIDs that make creates idempotent."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "dn_"  # noqa: S105 (a prefix, not a secret)


def hash_key(key: str) -> str:
    """Tokens are 256 random bits, so one SHA-256 is enough (no slow hash: it is checked on
    every request); only the hash is stored."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at=None, user__is_active=True).filter(
            models.Q(expires_at=None) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal API token: named, with an expiry, revocable by its user and the admin. The
    key is shown once when made; the database keeps its hash and first characters."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("người dùng"),
    )
    name = models.CharField(_("tên"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("đầu mã"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name: str, days: int | None) -> tuple["ApiToken", str]:
        """A new token and its key (the only time the key exists in clear)."""
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires_at = timezone.now() + timezone.timedelta(days=days) if days else None
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_key(key),
            prefix=key[: len(TOKEN_PREFIX) + 6],
            expires_at=expires_at,
        )
        return token, key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class ClientCreate(models.Model):
    """A create sent with a client-generated UUID (a phone that retries after a lost
    response): the same UUID again answers the first record instead of making a second one.
    Kept here rather than as a column on every model, so the domain apps know nothing of it."""

    client_uuid = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)


class OfflineChange(models.Model):
    """A record created or edited on a phone without signal, as it reached the server: who,
    when it was edited on the phone, when it synced, and whether a conflict was resolved.
    The case officer reads these on the "Đồng bộ ngoại tuyến" page."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Tạo mới")
        UPDATE = "update", _("Sửa")
        MERGED = "merged", _("Sửa, gộp với thay đổi của người khác")
        RESOLVED = "resolved", _("Sửa, đã chọn khi có xung đột")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("người nhập")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    fields = models.CharField(_("các trường"), max_length=500, blank=True)
    edited_at = models.DateTimeField(_("sửa trên máy lúc"), null=True, blank=True)
    synced_at = models.DateTimeField(_("đồng bộ lúc"), auto_now_add=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thay đổi ngoại tuyến")
        verbose_name_plural = _("thay đổi ngoại tuyến")
        ordering = ["-synced_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.content_type.model} #{self.object_id}"
