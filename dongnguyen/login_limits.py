"""Sign-in limits beside django-axes, so that a stranger cannot lock an officer out.

axes locks a (username, address) pair after AXES_FAILURE_LIMIT failures: guessing from one
address stops, and the officer at their own desk is not affected. A guesser spreading tries
over many addresses meets the slower per-username limit here: past
LOGIN_USERNAME_FAILURES_PER_HOUR failures in an hour, that username may sign in only from an
address where it signed in successfully in the last LOGIN_KNOWN_ADDRESS_DAYS days. Counters
live in the shared `limits` cache (dongnguyen/limits.py).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django_ratelimit.core import is_ratelimited

from .limits import address_key, client_ip

GROUP = "login_username"


def _rate() -> str:
    return f"{settings.LOGIN_USERNAME_FAILURES_PER_HOUR}/h"


def _username_failures_over(request, username: str, *, count: bool) -> bool:
    return is_ratelimited(
        request,
        group=GROUP,
        key=lambda _group, _request: username.strip().lower(),
        rate=_rate(),
        increment=count,
    )


def _known_key(user_pk, request) -> str:
    return f"login_known:{user_pk}:{address_key(client_ip(request))}"


def _known_address(request, username: str) -> bool:
    user_model = get_user_model()
    pk = (
        user_model.objects.filter(**{user_model.USERNAME_FIELD: username})
        .values_list("pk", flat=True)
        .first()
    )
    return pk is not None and bool(
        caches[settings.RATELIMIT_USE_CACHE].get(_known_key(pk, request))
    )


def username_refused(request, username: str) -> bool:
    """The username is over its hourly failure limit and the request comes from an address it
    has not signed in from: refused (the password step here, the code step in two_factor)."""
    return _username_failures_over(request, username, count=False) and not _known_address(
        request, username
    )


class UsernameLimitBackend:
    """Refuses, before the password is checked, a username over its hourly failure limit when
    the attempt comes from an address it has not signed in from. Authenticates no one itself.

    The refusal shows the same lock-out page as axes (AxesMiddleware renders it for
    request.axes_locked_out)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None
        if username_refused(request, username):
            request.axes_locked_out = True
            raise PermissionDenied
        # No get_user(): a session never names this backend (Client.force_login and
        # django.contrib.auth pick the first backend that has one).
        return None


@receiver(user_login_failed, dispatch_uid="dongnguyen.login_limits.failed")
def _count_failure(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username")
    if request is not None and username:
        _username_failures_over(request, username, count=True)


@receiver(user_logged_in, dispatch_uid="dongnguyen.login_limits.logged_in")
def _remember_address(sender, request, user, **kwargs):
    if request is not None:
        caches[settings.RATELIMIT_USE_CACHE].set(
            _known_key(user.pk, request), 1, settings.LOGIN_KNOWN_ADDRESS_DAYS * 86400
        )
