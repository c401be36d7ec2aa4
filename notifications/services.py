"""Writes of the notification centre, and the one reminder pass.

Exactly once: a `Notification` (unique on event, object, threshold, recipient) and its
`Delivery` rows (unique key, one per channel) are written in one transaction BEFORE anything
is sent. A send first claims its delivery with a conditional UPDATE (status and attempt count
as read), so of two workers only one sends; a failed send is retried with a growing pause and
given up after MAX_ATTEMPTS (both shown in the admin).
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import channels
from .models import (
    CalendarFeed,
    Channel,
    Delivery,
    Notification,
    Preference,
    hash_token,
)
from .reminders import WORKDAY_START, Event, due_events

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(minutes=5)
# A delivery claimed longer ago than this by a worker that then died is sent again.
STALE_CLAIM = timedelta(minutes=10)
DIGEST_HOUR = WORKDAY_START


def _default_channels() -> tuple[list[str], bool]:
    return [Channel.EMAIL], False


def preferences_of(user_ids, kind: str) -> dict[int, tuple[list[str], bool]]:
    found = {
        p.user_id: (p.channels(), p.digest)
        for p in Preference.objects.filter(user_id__in=user_ids, kind=kind)
    }
    return {uid: found.get(uid, _default_channels()) for uid in user_ids}


def existing_keys(events: list[Event]) -> set[tuple]:
    """(kind, content type id, object id, threshold, recipient id) already recorded for these
    events: one query per kind, whatever the number of events."""
    by_kind: dict[str, set[str]] = {}
    for e in events:
        by_kind.setdefault(e.kind, set()).add(e.object_id)
    keys: set[tuple] = set()
    for kind, object_ids in by_kind.items():
        keys.update(
            Notification.objects.filter(kind=kind, object_id__in=object_ids).values_list(
                "kind", "content_type_id", "object_id", "threshold", "recipient_id"
            )
        )
    return keys


def record_event(event: Event, now: datetime, existing: set[tuple] | None = None):
    """Write the event's notifications (and their deliveries) for recipients who do not have
    it yet; returns those written. Safe against a concurrent pass: the unique constraint
    decides, the loser skips."""
    ct = ContentType.objects.get_for_model(event.model)
    if existing is None:
        existing = existing_keys([event])
    todo = [
        r
        for r in event.recipients
        if (event.kind, ct.pk, event.object_id, event.threshold, r.user_id) not in existing
    ]
    if not todo:
        return []
    prefs = preferences_of([r.user_id for r in todo], event.kind)
    written = []
    for r in todo:
        try:
            with transaction.atomic():
                n = Notification.objects.create(
                    recipient_id=r.user_id,
                    kind=event.kind,
                    content_type=ct,
                    object_id=event.object_id,
                    threshold=event.threshold,
                    code=event.code,
                    due_at=event.due_at,
                    escalated=r.escalated,
                    link=event.link,
                    created_at=now,
                )
                chans, digest = prefs[r.user_id]
                Delivery.objects.bulk_create(
                    [
                        Delivery(
                            notification=n,
                            channel=c,
                            key=f"{n.key}:{c}",
                            digest=digest and c == Channel.EMAIL,
                            next_attempt_at=now,
                            created_at=now,
                        )
                        for c in chans
                    ]
                )
        except IntegrityError:
            continue  # another pass wrote it first
        written.append(n)
    return written


def _claim(queryset, now: datetime) -> str:
    """Mark the deliveries of `queryset` that are still claimable as ours; returns our token."""
    token = secrets.token_hex(8)
    queryset.update(
        status=Delivery.Status.SENDING, claimed_at=now, claim=token, attempts=F("attempts") + 1
    )
    return token


def _claimable(now: datetime):
    return Q(
        status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED], next_attempt_at__lte=now
    ) | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)


def _finish(deliveries: list[Delivery], now: datetime, error: Exception | None, sent: bool):
    ids = [d.pk for d in deliveries]
    if error is None:
        status = Delivery.Status.SENT if sent else Delivery.Status.SKIPPED
        Delivery.objects.filter(pk__in=ids).update(status=status, sent_at=now, error="")
        return
    attempts = max(d.attempts for d in deliveries)
    gave_up = attempts >= MAX_ATTEMPTS
    Delivery.objects.filter(pk__in=ids).update(
        status=Delivery.Status.GAVE_UP if gave_up else Delivery.Status.FAILED,
        error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=now + RETRY_BASE * (2 ** (attempts - 1)),
    )
    logger.warning("Gửi thông báo lỗi (%s lần): %s", attempts, error)


def _send(deliveries: list[Delivery], now: datetime, digest: bool = False) -> int:
    first = deliveries[0]
    try:
        sent = channels.send(
            first.channel,
            first.notification.recipient,
            [d.notification for d in deliveries],
            digest=digest,
        )
    except Exception as exc:  # noqa: BLE001 — any backend failure is recorded and retried
        _finish(deliveries, now, exc, False)
        return 0
    _finish(deliveries, now, None, sent)
    return len(deliveries) if sent else 0


def send_pending(now: datetime | None = None) -> int:
    """Send every single (not digest) delivery that is due; returns how many were sent."""
    now = now or timezone.now()
    candidates = list(
        Delivery.objects.filter(_claimable(now), digest=False).values_list(
            "pk", "status", "attempts"
        )
    )
    sent = 0
    for pk, status, attempts in candidates:
        token = _claim(
            Delivery.objects.filter(_claimable(now), pk=pk, status=status, attempts=attempts), now
        )
        mine = list(
            Delivery.objects.filter(pk=pk, claim=token).select_related(
                "notification__recipient__profile"
            )
        )
        if mine:
            sent += _send(mine, now)
    return sent


def last_digest_time(now: datetime) -> datetime:
    local = timezone.localtime(now)
    at = local.replace(hour=DIGEST_HOUR.hour, minute=DIGEST_HOUR.minute, second=0, microsecond=0)
    return at if local >= at else at - timedelta(days=1)


def send_digests(now: datetime | None = None) -> int:
    """At 07:00: one email per user with every digest delivery recorded before 07:00 (and
    failed ones due for a retry). Returns how many emails were sent."""
    now = now or timezone.now()
    cutoff = last_digest_time(now)
    due = Delivery.objects.filter(_claimable(now), digest=True, created_at__lt=cutoff)
    users = set(due.values_list("notification__recipient_id", flat=True))
    emails = 0
    for user_id in sorted(users):
        token = _claim(due.filter(notification__recipient_id=user_id), now)
        mine = list(
            Delivery.objects.filter(claim=token)
            .select_related("notification__recipient__profile")
            .order_by("notification__created_at", "pk")
        )
        if mine and _send(mine, now, digest=True):
            emails += 1
    return emails


def run_pass(now: datetime | None = None) -> dict:
    """One pass of the reminder job: record what is due, then send."""
    now = now or timezone.now()
    events = due_events(now)
    existing = existing_keys(events)
    recorded = sum(len(record_event(event, now, existing)) for event in events)
    sent = send_pending(now)
    digests = send_digests(now)
    return {"recorded": recorded, "sent": sent, "digests": digests}


def retry_deliveries(queryset, now: datetime | None = None) -> int:
    """The admin's "send again": failed or given-up deliveries go back to the queue."""
    return queryset.filter(
        status__in=[Delivery.Status.FAILED, Delivery.Status.GAVE_UP, Delivery.Status.SKIPPED]
    ).update(status=Delivery.Status.PENDING, attempts=0, next_attempt_at=now or timezone.now())


# --- In the app ---------------------------------------------------------------------------


def mark_read(*, user, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user, rows: dict[str, dict]) -> None:
    """rows: kind → {"email": bool, "sms": bool, "zalo": bool, "digest": bool}."""
    for kind, values in rows.items():
        Preference.objects.update_or_create(user=user, kind=kind, defaults=values)


# --- Calendar feeds -----------------------------------------------------------------------


@transaction.atomic
def feed_issue(*, user) -> tuple[CalendarFeed, str]:
    """Revoke the user's feed and make a new one; the token is returned once, never stored."""
    feed_revoke(user=user)
    token = secrets.token_urlsafe(32)
    return CalendarFeed.objects.create(user=user, token_hash=hash_token(token)), token


def feed_revoke(*, user) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def feed_user(token: str):
    """The user of an active feed token, or None."""
    feed = (
        CalendarFeed.objects.active()
        .select_related("user")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user
