"""Optional two-factor sign-in: a TOTP code from an authenticator app (django-otp).

- **Enrol** (`two_factor`): the page makes an unconfirmed TOTP device and shows its QR code
  and its secret to type by hand; a first code from the app confirms it.
- **Sign in**: the password first (`WardLoginView`, axes and login_limits as before); a user
  with a confirmed device is then not signed in yet: the session remembers who passed the
  password for a few minutes and `login_code` asks for the 6-digit code. A wrong code counts
  as a failed sign-in of that username (the `user_login_failed` signal), so axes' lock-out of
  the (username, address) pair and the slower per-username limit of login_limits apply to
  codes exactly as to passwords.
- **Disable** (`two_factor_disable`): with a current code. The admin resets a user's device
  (the user admin's action, or django-otp's TOTP device admin).
- **Mandatory** for the roles in settings.OTP_REQUIRED_ROLES (empty by default): such a user
  without a verified device is sent to the enrol page before any other page
  (`TwoFactorMiddleware`).

The admin's own login page leads to this sign-in (dongnguyen/admin.py), so the code cannot be
skipped by signing in there.
"""

import base64
import time
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import OTPCodeForm
from .login_limits import username_refused
from .roles import role_of

# Who passed the password and waits for the code step: {"user", "backend", "at", "next"}.
PENDING_KEY = "dn_2fa_pending"
PENDING_SECONDS = 300


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_required_for(user) -> bool:
    return role_of(user) in settings.OTP_REQUIRED_ROLES


def _safe_next(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


# ------------------------------------------------------------------------------------ sign-in
class WardLoginView(LoginView):
    """Django's login page; a user with a confirmed device goes on to the code step."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        # Not signed in yet: no user_logged_in (axes keeps the failures it counted).
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("login_code")


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


def _locked_out(request, username: str) -> bool:
    """The (username, address) pair locked by axes, or the username over its hourly limit
    from an unknown address (login_limits): the same refusal as on the password step."""
    from axes.handlers.proxy import AxesProxyHandler

    credentials = {"username": username}
    if not AxesProxyHandler.is_allowed(request, credentials) or username_refused(request, username):
        request.axes_locked_out = True  # AxesMiddleware answers with the lock-out page
        request.axes_credentials = credentials
        return True
    return False


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request):
    """The second step of sign-in: the 6-digit code of the user's authenticator app."""
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, _("Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại."))
        return redirect("login")
    device = confirmed_device(user)
    if device is None:  # reset by the admin meanwhile: the password was enough after all
        request.session.pop(PENDING_KEY, None)
        login(request, user, backend=pending["backend"])
        return redirect(_safe_next(request, pending.get("next", "")))
    username = user.get_username()
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST":
        if _locked_out(request, username):
            return render(request, "registration/locked_out.html", status=429)
        if form.is_valid():
            allowed, _why = device.verify_is_allowed()
            if not allowed:
                form.add_error("code", _("Vui lòng chờ vài giây rồi nhập lại mã."))
            elif device.verify_token(form.cleaned_data["code"]):
                request.session.pop(PENDING_KEY, None)
                login(request, user, backend=pending["backend"])
                otp_login(request, device)
                return redirect(_safe_next(request, pending.get("next", "")))
            else:
                form.add_error("code", _("Mã xác thực không đúng hoặc đã hết hạn."))
                # Counted by axes and login_limits as a failed sign-in of this username.
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=request
                )
                if getattr(request, "axes_locked_out", False):
                    return render(request, "registration/locked_out.html", status=429)
    return render(
        request,
        "registration/login_code.html",
        {"form": form, "title": _("Mã xác thực")},
    )


# ---------------------------------------------------------------------------------- the account
def _qr_data_uri(url: str) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (img-src allows data:, and an
    <img> carries no inline style for the CSP to block)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _secret(device: TOTPDevice) -> str:
    """The key in base32 as authenticator apps ask for it, in groups of four."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@sensitive_post_parameters("code")
@login_required
@never_cache
def two_factor(request):
    """Two-factor status; enrolment (QR code, secret, confirm with a code) when there is none."""
    device = confirmed_device(request.user)
    required = is_required_for(request.user)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if device is not None:
        return render(
            request,
            "dongnguyen/two_factor.html",
            {
                "device": device,
                "required": required,
                "form": OTPCodeForm(),
                "breadcrumbs": [(_("Xác thực hai bước"), None)],
            },
        )
    pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("-pk").first()
    if pending is None:
        pending = TOTPDevice.objects.create(
            user=request.user, name=_("Ứng dụng xác thực"), confirmed=False
        )
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pending.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user).exclude(pk=pending.pk).delete()
                pending.confirmed = True
                pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            messages.success(
                request,
                _("Đã bật xác thực hai bước. Từ lần sau, đăng nhập cần cả mã trên điện thoại."),
            )
            return redirect(_safe_next(request, next_url) if next_url else "two_factor")
        form.add_error("code", _("Mã xác thực không đúng hoặc đã hết hạn."))
    return render(
        request,
        "dongnguyen/two_factor.html",
        {
            "device": None,
            "required": required,
            "form": form,
            "qr": _qr_data_uri(pending.config_url),
            "secret": _secret(pending),
            "next": next_url,
            "breadcrumbs": [(_("Xác thực hai bước"), None)],
        },
    )


@sensitive_post_parameters("code")
@login_required
@require_POST
def two_factor_disable(request):
    """Turn two-factor sign-in off, with a current code."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("two_factor")
    form = OTPCodeForm(request.POST)
    if form.is_valid() and device.verify_token(form.cleaned_data["code"]):
        TOTPDevice.objects.filter(user=request.user).delete()
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Đã tắt xác thực hai bước."))
        return redirect("two_factor")
    if form.is_valid():
        form.add_error("code", _("Mã xác thực không đúng hoặc đã hết hạn."))
    return render(
        request,
        "dongnguyen/two_factor.html",
        {
            "device": device,
            "required": is_required_for(request.user),
            "form": form,
            "breadcrumbs": [(_("Xác thực hai bước"), None)],
        },
        status=400,
    )


# --------------------------------------------------------------------------------- middleware
class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware.

    - A session verified by a device that is gone (reset by the admin) is signed out.
    - With settings.OTP_REQUIRED_ROLES, a user of such a role whose session is not verified
      is sent to the enrol page (or, with a device, back to sign in with the code) before any
      other page, the API's session requests included. Costs no query when the setting is
      empty and the session has no device.
    """

    # Pages such a user may still open: the enrol page itself, signing out, the language.
    EXEMPT_NAMES = ("two_factor", "logout", "set_language", "login_code", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def _exempt(self, request) -> bool:
        path = request.path_info
        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        return any(path == reverse(name) for name in self.EXEMPT_NAMES)

    def __call__(self, request):
        # Read before request.user: OTPMiddleware drops the key of a device that is gone.
        had_device = DEVICE_ID_SESSION_KEY in request.session
        user = request.user
        if user.is_authenticated:
            if had_device:
                if not user.is_verified():
                    auth_logout(request)
                    return redirect_to_login(request.get_full_path())
            elif (
                settings.OTP_REQUIRED_ROLES and is_required_for(user) and not self._exempt(request)
            ):
                if confirmed_device(user) is not None:
                    # Signed in without the code (a session from before the device).
                    auth_logout(request)
                    return redirect_to_login(request.get_full_path())
                target = reverse("two_factor")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)
