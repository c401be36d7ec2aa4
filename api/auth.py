"""Personal tokens for scripts and phones (`Authorization: Bearer dn_…`), and throttling per
token (per user for the browser's session)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling

from .models import ApiToken, hash_key


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower().decode() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ.")) from None
        token = (
            ApiToken.objects.usable().select_related("user").filter(key_hash=hash_key(key)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập không đúng, đã hết hạn hoặc đã bị thu hồi.")
            )
        now = timezone.now()
        # At most one write a minute per token, not one per request.
        if token.last_used_at is None or now - token.last_used_at > timezone.timedelta(minutes=1):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def token_user(request):
    """The user of a usable personal token in the request's Authorization header, or None
    (for code outside DRF: the anonymous body limit, dongnguyen/middleware.py)."""
    try:
        found = TokenAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed:
        return None
    return found[0] if found else None


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """API_RATE_PER_HOUR requests per token (a user's tokens are counted apart, so one
    runaway script does not lock its owner out of the others); per user for the session."""

    scope = "api"

    def get_rate(self):
        return f"{settings.API_RATE_PER_HOUR}/hour"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
