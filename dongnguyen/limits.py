"""Limits on what anonymous clients may do: who the client is, how often, and tokens used once.

Counters live in the shared `limits` cache (settings.CACHES): Redis when CACHE_URL is set, else
the database. Both are shared by every gunicorn worker and survive a restart, which a
per-process memory counter did not. django-ratelimit keeps the fixed windows.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django_ratelimit.core import is_ratelimited


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXY_IPS)))


def client_ip(request) -> str:
    """The client's address ("" if the request has none).

    X-Forwarded-For is read only when the request comes from a proxy that
    settings.TRUSTED_PROXY_IPS names: anyone can send that header, so otherwise it is ignored.
    The header is read from the right, skipping the trusted proxies, so a client cannot choose
    its own address by sending a forged header through the proxy.
    """
    # Empty when unknown (a request built in code): axes then stores no address.
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not settings.TRUSTED_PROXY_IPS or not _trusted(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    client = remote
    for hop in reversed([h for h in hops if h]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            # A malformed entry: nothing to its left was written by a proxy we trust.
            break
        client = hop
        if not _trusted(hop):
            break
    return client


def address_key(address: str) -> str:
    """The key a limit counts an address under: one IPv6 client holds a whole /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def over_limit(request, group: str, value: str, rate: str) -> bool:
    """Count one use of `group` by `value` (an address, a username, "all"); True when over."""
    return is_ratelimited(
        request, group=group, key=lambda _group, _request: value, rate=rate, increment=True
    )


def use_once(name: str, ttl_seconds: int) -> bool:
    """Claim a one-time token: True the first time, False ever after (until ttl expires).

    `add` is atomic on Redis (SET NX) and on the database cache (primary-key insert), so two
    concurrent posts of the same token cannot both win.
    """
    return caches[settings.RATELIMIT_USE_CACHE].add(f"once:{name}", 1, ttl_seconds)
