"""Ways a notification leaves the app. Email goes through Django's email backends (SMTP
settings from the environment; the console backend under `make run`). SMS and Zalo go through
a pluggable backend named in settings (NOTIFICATIONS_SMS_BACKEND, NOTIFICATIONS_ZALO_BACKEND):
a class with `send(phone, text)`; the default only logs, so nothing leaves by accident.

Every text is rendered from templates/notifications/messages/ with only codes, the kind of
deadline, the due time and a link (see `message_context`): the templates are never given a
model instance, so a name or an address cannot slip into a message.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from .models import Channel, Notification

logger = logging.getLogger(__name__)


class LogBackend:
    """The default SMS/Zalo backend: writes what would be sent to the log."""

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, phone: str, text: str) -> None:
        logger.info("[%s → %s] %s", self.channel, phone, text)


def phone_backend(channel: str):
    path = getattr(
        settings, f"NOTIFICATIONS_{channel.upper()}_BACKEND", "notifications.channels.LogBackend"
    )
    return import_string(path)(channel)


def absolute(link: str) -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + link


def message_context(n: Notification) -> dict:
    """Everything a message template may show: nothing personal."""
    return {
        "kind": n.kind,
        "kind_label": n.get_kind_display(),
        "code": n.code,
        "threshold": n.threshold,
        "escalated": n.escalated,
        "due_at": timezone.localtime(n.due_at) if n.due_at else None,
        "link": absolute(n.link),
        "ward_name": _recipient_ward_name(n),
    }


def _recipient_ward_name(n: Notification) -> str:
    """The recipient's ward (the first ward's name, from the settings, for users of none)."""
    profile = getattr(n.recipient, "profile", None)
    ward = profile.ward if profile is not None and profile.ward_id else None
    return ward.name if ward is not None else settings.WARD_NAME


def render_text(n: Notification) -> str:
    """The one-line text of the event (its own template), as shown in the app and in SMS."""
    return render_to_string(f"notifications/messages/{n.kind}.txt", message_context(n)).strip()


def render_email(notifications: list[Notification], digest: bool = False) -> tuple[str, str]:
    items = [{"text": render_text(n), **message_context(n)} for n in notifications]
    ward_name = items[0]["ward_name"] if items else settings.WARD_NAME
    context = {"items": items, "digest": digest, "ward_name": ward_name}
    subject = render_to_string("notifications/email_subject.txt", context).strip()
    body = render_to_string("notifications/email.txt", context)
    return " ".join(subject.split()), body


def send(channel: str, user, notifications: list[Notification], digest: bool = False) -> bool:
    """Send one message by `channel`; False when the user has no address for it (skipped).
    Errors propagate: the caller records them and retries."""
    with translation.override(settings.LANGUAGE_CODE):
        if channel == Channel.EMAIL:
            if not user.email:
                return False
            subject, body = render_email(notifications, digest=digest)
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
            return True
        profile = getattr(user, "profile", None)
        phone = profile.phone if profile is not None else ""
        if not phone:
            return False
        text = " | ".join(f"{render_text(n)} {absolute(n.link)}" for n in notifications)
        phone_backend(channel).send(phone, text)
        return True
