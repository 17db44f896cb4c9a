from django.conf import settings
from django.utils import translation


class WorkingLanguageMiddleware:
    """The interface speaks the working language (Vietnamese) unless the user chose
    another with the language switch; the browser's Accept-Language is not asked,
    so a ministry computer set up in English still opens in Vietnamese.

    Replaces django.middleware.locale.LocaleMiddleware (no language in the URLs)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        response.headers.setdefault("Vary", "Cookie")
        return response
