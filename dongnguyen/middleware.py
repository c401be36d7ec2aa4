from django.conf import settings
from django.middleware.locale import LocaleMiddleware
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
