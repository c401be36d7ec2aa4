"""Dashboard numbers at most 5 minutes stale after a change (DESIGN.md "Scale path").

The core announces every committed write of a domain model (dongnguyen/events.py,
`records_changed`); this module listens (reports/apps.py). On each announcement the snapshots
are marked stale (a cache key holding the time of the first
change since the last recompute) and, with a broker, one recompute of the current periods is
queued DEBOUNCE seconds later: a burst of writes causes one recompute, not one per write.

Without a broker (eager Celery) a write does nothing more than set the key; the dashboard
recomputes the current periods itself when the oldest unrecomputed change is DEBOUNCE seconds
old, at most once at a time. It does the same with a broker when the queued recompute has not
run within STALE_LIMIT (the worker or the broker is down).
"""

import hashlib
import logging

from django.core.cache import cache
from django.db.models import Count, Max, Value
from django.utils import timezone
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

STALE_KEY = "kpi:stale-since"
QUEUED_KEY = "kpi:recompute-queued"
REFRESH_LOCK = "kpi:refreshing"
DEBOUNCE = 120  # seconds between the first change and its recompute
STALE_LIMIT = 300  # the promise: never show numbers older than this after a change


def on_records_changed(sender=None, labels=frozenset(), **kwargs) -> None:
    """Receiver of dongnguyen.events.records_changed (already after the commit)."""
    _mark_stale()


def _mark_stale() -> None:
    # add(): keeps the time of the oldest change not yet recomputed.
    cache.add(STALE_KEY, timezone.now().timestamp(), None)
    from .tasks import snapshot_current_periods

    app = snapshot_current_periods.app
    if app.conf.task_always_eager:
        return  # the dashboard recomputes when due (refresh_if_due)
    if not cache.add(QUEUED_KEY, 1, DEBOUNCE + STALE_LIMIT):
        return  # a recompute is already queued and will see this change
    try:
        snapshot_current_periods.apply_async(countdown=DEBOUNCE, retry=False)
    except Exception:  # broker down: the dashboard falls back after STALE_LIMIT
        cache.delete(QUEUED_KEY)
        logger.exception("Không xếp hàng được việc tính lại chỉ tiêu")


def stale_since() -> float | None:
    return cache.get(STALE_KEY)


def clear() -> None:
    """Called by the recompute as it starts: changes committed from now on mark it again."""
    cache.delete_many([STALE_KEY, QUEUED_KEY])


def refresh_if_due() -> bool:
    """On a dashboard view: recompute the current periods now if a change has waited too long
    (DEBOUNCE without a worker, STALE_LIMIT with one). True when it recomputed."""
    since = stale_since()
    if since is None:
        return False
    from .tasks import snapshot_current_periods

    eager = snapshot_current_periods.app.conf.task_always_eager
    wait = DEBOUNCE if eager else STALE_LIMIT
    if timezone.now().timestamp() - since < wait:
        return False
    if not cache.add(REFRESH_LOCK, 1, 600):
        return False  # another request is recomputing
    try:
        snapshot_current_periods()
    finally:
        cache.delete(REFRESH_LOCK)
    return True


# ---------------------------------------------------------------------------------------------
# Cached parts of the dashboards, keyed by what the stored snapshots are now

PART_TIMEOUT = 24 * 3600  # a key is never stale (it names the snapshots); this only frees memory


def snapshot_token(*snapshots) -> str:
    """What the given snapshot rows (KpiSnapshot querysets) are now: per queryset their number,
    the highest id and the latest computation, in one indexed query (several querysets: their
    aggregates UNION ALL'd, so that each is read by the index on its own period where one
    filter ORing the periods falls back to a bitmap scan of the heap). A recompute deletes and
    re-creates the rows of its ward and period (new ids, a new computed_at), so any new
    snapshot gives a new token: a part cached under it is never shown after the snapshots
    changed, in any process, whatever the cache backend (no invalidation message to lose)."""
    sets = [
        rows.order_by()
        .annotate(i=Value(i))
        .values("i")
        .annotate(n=Count("pk"), last=Max("pk"), at=Max("computed_at"))
        for i, rows in enumerate(snapshots)
    ]
    combined = sets[0].union(*sets[1:], all=True) if len(sets) > 1 else sets[0]
    # An empty set gives no row: each token names its set, so which one is empty shows too.
    return "/".join(f"{t['i']}:{rows_token(t)}" for t in sorted(combined, key=lambda t: t["i"]))


def rows_token(t: dict) -> str:
    """The token of an aggregate of rows: their number `n`, highest id `last` and latest time
    `at` (a change of the rows changes at least one of them)."""
    at = t["at"].timestamp() if t["at"] else 0
    return f"{t['n']}.{t['last'] or 0}.{at:.6f}"


def part_key(kind: str, *parts) -> str:
    """A cache key of a dashboard part: its kind, the viewer's scope first (a ward's part is
    keyed by that ward: another ward never reads it), the language, then the rest."""
    digest = hashlib.sha256(repr((get_language(), *parts)).encode()).hexdigest()[:32]
    return f"kpi-part:{kind}:{parts[0]}:{digest}"


def cached_part(key: str, build, *, keep=None):
    """The part cached under `key`, built when missing and cached unless `keep(part)` says no
    (numbers computed live, not read from snapshots, are never cached)."""
    value = cache.get(key)
    if value is None:
        value = build()
        if keep is None or keep(value):
            cache.set(key, value, PART_TIMEOUT)
    return value
