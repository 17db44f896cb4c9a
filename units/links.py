"""The address that links in emails start with.

THIDUA_SITE_URL (settings.SITE_URL) when it is set: in production, the public
address, whatever Host header a request came with. When it is not set (a developer's
`make run` on any port), links start with the address the request came in on:
SiteURLMiddleware keeps the request for the time it is answered, and a Celery task
queued meanwhile is handed that address (base_url=) and runs with it. Outside any
request and without the setting (a daily tick), links start with DEFAULT_SITE_URL."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

DEFAULT_SITE_URL = "http://127.0.0.1:8000"

# What gives the base address of the request (or task) being served: computed only
# when an email needs it, so a request never fails for the sake of a link.
_current: ContextVar[Callable[[], str | None] | None] = ContextVar("site_url", default=None)


def site_url(base_url: str | None = None) -> str:
    """The base address of links, without a trailing slash; base_url is one captured
    earlier (current_base_url) by work that ends after its request or task."""
    return settings.SITE_URL or base_url or current_base_url() or DEFAULT_SITE_URL


def absolute(path: str, base_url: str | None = None) -> str:
    """path (as reverse() gives it) as a full link."""
    return site_url(base_url) + path


def current_base_url() -> str | None:
    """The address of the request (or the task's, see using_base_url) being served."""
    source = _current.get()
    return source() if source else None


def base_url_for_task() -> str | None:
    """What to hand a task queued now so that its emails link where this request came
    from; None when the setting decides (or there is no request)."""
    return None if settings.SITE_URL else current_base_url()


def request_base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@contextmanager
def serving(source: Callable[[], str | None]) -> Iterator[None]:
    token = _current.set(source)
    try:
        yield
    finally:
        _current.reset(token)


def using_base_url(base_url: str | None):
    """Run a task with the base address captured when it was queued (None: none was)."""
    return serving(lambda: base_url)


def for_request(request):
    """Answer request with links on the address it came in on."""
    return serving(lambda: request_base_url(request))
