from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import translation

from units import links


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


class HtmxLoginRequiredMiddleware:
    """An htmx request whose session has expired gets 401, not the login page.

    htmx follows redirects silently, so the login form would be swapped into the
    answer being saved. With 401 nothing is swapped: what the user typed stays on
    the page, and static/js/app.js says the session expired and how to save."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code == 302
            and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL))
        ):
            return HttpResponse(status=401)
        return response


class SiteURLMiddleware:
    """Links in the emails sent while answering a request start with the address the
    request came in on, unless THIDUA_SITE_URL is set (units.links)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with links.for_request(request):
            return self.get_response(request)
