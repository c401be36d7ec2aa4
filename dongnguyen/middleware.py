from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation


class WardLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked another language with the switcher (cookie).

    The browser's Accept-Language is ignored on purpose: ward computers often run an English
    browser, and the ward works in Vietnamese."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        codes = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AnonymousBodyLimitMiddleware:
    """Answer 413 to an anonymous request whose body is larger than ANONYMOUS_MAX_BODY_BYTES.

    It runs before any view or the CSRF check reads request.POST, so a huge anonymous
    multipart post is refused on its declared length, never parsed or spooled to disk. A
    request without Content-Length has an empty body for Django. Signed-in users keep the
    global limits (DATA_UPLOAD_MAX_MEMORY_SIZE, the attachment and import limits)."""

    # Other ways a request may be signed in than the session, registered by the apps that
    # provide them (the API's personal tokens, api/apps.py): request -> user or None. Asked
    # only about a body over the limit, so an ordinary request pays nothing.
    authenticators: list = []

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.ANONYMOUS_MAX_BODY_BYTES and not self._signed_in(request):
                return render(
                    request,
                    "413.html",
                    {"limit_kb": settings.ANONYMOUS_MAX_BODY_BYTES // 1024},
                    status=413,
                )
        return self.get_response(request)

    def _signed_in(self, request) -> bool:
        return any(authenticate(request) is not None for authenticate in self.authenticators)
