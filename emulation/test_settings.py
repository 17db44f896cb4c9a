"""Test settings: only test concerns differ from emulation.settings."""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "True")

from .settings import *  # noqa: E402,F403
from .settings import AUTHENTICATION_BACKENDS, CELERY_BROKER_URL, STORAGES  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# client.login() authenticates without a request, which django-axes' backend refuses;
# logins over HTTP are throttled as in production (tests/axes_backend.py).
AUTHENTICATION_BACKENDS = [
    "tests.axes_backend.RequestOptionalAxesBackend",
    *AUTHENTICATION_BACKENDS[1:],
]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="thidua-test-media-")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
# The PostgreSQL + Redis run of .ci/run sets CELERY_BROKER_URL; the suite still runs
# tasks in-process except in tests marked celery_worker, which use the real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_REAL_BROKER_URL = CELERY_BROKER_URL if CELERY_BROKER_URL != "memory://" else ""

# A file, not SQLite's shared in-memory database: the browser tests' live server
# answers requests in threads, and only a file database makes a second writer wait
# instead of failing with "table is locked".
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"thidua-test-{os.getpid()}.sqlite3")
    }
WHITENOISE_AUTOREFRESH = True  # serve from the finders: no collectstatic before tests
