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


def _is_debug_page(response) -> bool:
    """Django's technical 404/500 page (a page of ours answered 404 on purpose is kept)."""
    if getattr(response, "streaming", False):
        return False
    return b"<code>DEBUG = True</code>" in response.content


class ProductErrorPagesMiddleware:
    """With DEBUG on (the demo of `make run`), answer a page that is not found, or a server
    error, with the ward's Vietnamese pages instead of Django's English debug pages (which
    also print the whole URL map). A developer who wants the debug pages sets
    DEBUG_ERROR_PAGES=1. Only HTML pages are replaced: the API keeps its JSON answers. The
    error itself is still logged by Django."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and not settings.DEBUG_ERROR_PAGES
            and response.status_code in (404, 500)
            and response.get("Content-Type", "").startswith("text/html")
            and _is_debug_page(response)
        ):
            template = f"{response.status_code}.html"
            try:
                page = render(request, template, status=response.status_code)
            except Exception:  # the error page itself failed: the plain 500 page
                page = render(request, "500.html", {}, status=response.status_code)
            return page
        return response
