"""Settings for Thi đua, read from the environment through django-environ.

Every value has a safe default for a developer's machine (SQLite, eager Celery,
console email). A malformed value stops start-up with ImproperlyConfigured and
names the variable, never silently falls back to a default.
"""

import datetime as dt
import re
import warnings
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _read(name: str, cast, default):
    """Read one variable, turning a parse error into a message naming it."""
    try:
        return cast(name, default=default)
    except (ValueError, TypeError, environ.ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name} has an invalid value "
            f"({env.str(name, default='')!r}): {exc}"
        ) from exc


def _read_url(name: str, parser, default: str, required_key: str | None = None):
    raw = env.str(name, default=default)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            config = parser(raw)
    except (ValueError, TypeError, KeyError, environ.ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name} is not a valid URL ({raw!r}): {exc}"
        ) from exc
    if required_key and not config.get(required_key):
        raise ImproperlyConfigured(
            f"Environment variable {name} is not a valid URL ({raw!r}): unknown scheme."
        )
    return config


def _strict_bool(name: str, default: bool) -> bool:
    """django-environ reads any unknown word as False; we refuse it instead."""
    raw = env.str(name, default="")
    if raw == "":
        return default
    truthy = {"1", "true", "yes", "on"}
    falsy = {"0", "false", "no", "off"}
    if raw.strip().lower() in truthy:
        return True
    if raw.strip().lower() in falsy:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be True or False, not {raw!r}.")


DEBUG = _strict_bool("DJANGO_DEBUG", False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is not True "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = _read(
    "DJANGO_ALLOWED_HOSTS", env.list, ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is not True.")
CSRF_TRUSTED_ORIGINS = _read("DJANGO_CSRF_TRUSTED_ORIGINS", env.list, [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "units.apps.LoginAttemptsConfig",  # django-axes
    "units",
    "campaigns",
    "awards",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "emulation.middleware.WorkingLanguageMiddleware",
    "emulation.middleware.SiteURLMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "emulation.middleware.HtmxLoginRequiredMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "emulation.urls"
WSGI_APPLICATION = "emulation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                # After auth: its `perms` asks the rules alone (no query per check).
                "units.context_processors.rule_perms",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": _read_url(
        "DATABASE_URL",
        environ.Env.db_url_config,
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        required_key="ENGINE",
    )
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
DATABASES["default"]["CONN_MAX_AGE"] = _read("DJANGO_CONN_MAX_AGE", env.int, 60)
# A persistent connection is checked (SELECT 1) at the first query of each request
# and reopened when the database dropped it (a restart, a failover, an idle timeout),
# so a dropped connection costs no request a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a management command writes; IMMEDIATE
    # transactions make a second writer wait (timeout) instead of failing at once
    # with "database is locked" when it upgrades a read lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL;", transaction_mode="IMMEDIATE", timeout=20
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "units.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any backend checks the password.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Source strings are English; the working language is Vietnamese.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# locale/django holds Vietnamese for the Django 6.1 and django-axes strings their own
# catalogues lack (the admin's "Run", "Show counts"...); the project's comes first.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "django"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["emulation.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

CACHES = {
    "default": _read_url("CACHE_URL", environ.Env.cache_url_config, "locmemcache://", "BACKEND")
}

# Email: console on a developer's machine, the local MTA in production;
# EMAIL_URL=smtp+tls://user:pass@host:587 for another server.
_email = _read_url(
    "EMAIL_URL",
    environ.Env.email_url_config,
    "consolemail://" if DEBUG else "smtp://localhost:25",
    "EMAIL_BACKEND",
)
_EMAIL_OPTION_NAMES = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {option: _email[key] for key, option in _EMAIL_OPTION_NAMES.items() if key in _email}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Thi đua <thidua@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: a real broker when CELERY_BROKER_URL is set, otherwise tasks run in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
if CELERY_BROKER_URL and "://" not in CELERY_BROKER_URL:
    raise ImproperlyConfigured(
        f"Environment variable CELERY_BROKER_URL is not a valid URL ({CELERY_BROKER_URL!r})."
    )
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
# At-least-once delivery, made exactly-once by the tasks themselves (a report build
# claims its row with its attempt token, reports.builder): a message is acknowledged
# only after its task ends (acks late), a worker process that dies hands its message
# back (reject on worker lost), and a worker reserves no more messages than it runs,
# so a killed worker holds back no task it had not started (prefetch 1).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis hands an unacknowledged message to another worker after the visibility
# timeout, whether or not its worker is still running it: it must be longer than any
# task may run (CELERY_TASK_TIME_LIMIT, 15 min) plus the longest countdown of a retry
# (2 min), or live tasks would run twice. It no longer decides how soon a dead
# worker's report is rebuilt (the every-minute tick does, within three minutes); it
# only brings back other tasks' messages lost with a worker killed outright.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 20 * 60}
CELERY_BEAT_SCHEDULE = {
    # Small daily ticks that read their dates from the database.
    "send-reminders": {
        "task": "campaigns.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "build-due-reports": {
        "task": "reports.daily",
        "schedule": crontab(hour=6, minute=30),
    },
    # Every minute: report builds whose enqueue failed (the broker was down), that no
    # worker took, or whose worker stopped beating are queued again, each once. A tick
    # not taken within the minute is dropped, so ticks do not pile up while no worker
    # runs.
    "requeue-stalled-reports": {
        "task": "reports.requeue_stalled",
        "schedule": dt.timedelta(minutes=1),
        "options": {"expires": 55},
    },
}

# Security. With DEBUG off the defaults pass `manage.py check --deploy`; behind a
# TLS-terminating proxy that sets X-Forwarded-Proto they are what production wants.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _strict_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = _strict_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = _read("DJANGO_SECURE_HSTS_SECONDS", env.int, 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = _strict_bool("DJANGO_SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS >= 31536000)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
}
SILENCED_SYSTEM_CHECKS: list[str] = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every login at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}

# Login throttling (django-axes, units/lockout.py). Failures are counted per
# username (whether or not it exists, so a lockout tells nothing about accounts)
# and per client address, over the cool-off window; either limit reached pauses
# logins for that username or address until the cool-off has passed since the
# last failure, or until an emulation officer unlocks it (/units/locked-accounts/).
AXES_FAILURE_LIMIT = _read("THIDUA_LOGIN_FAILURES_PER_ACCOUNT", env.int, 5)
LOGIN_FAILURES_PER_ADDRESS = _read("THIDUA_LOGIN_FAILURES_PER_ADDRESS", env.int, 20)
AXES_COOLOFF_TIME = timedelta(minutes=_read("THIDUA_LOGIN_COOLOFF_MINUTES", env.int, 15))
if (
    AXES_FAILURE_LIMIT < 1
    or LOGIN_FAILURES_PER_ADDRESS < 1
    or AXES_COOLOFF_TIME.total_seconds() < 60
):
    raise ImproperlyConfigured(
        "THIDUA_LOGIN_FAILURES_PER_ACCOUNT and THIDUA_LOGIN_FAILURES_PER_ADDRESS must be "
        "at least 1, THIDUA_LOGIN_COOLOFF_MINUTES at least 1."
    )
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # this order: LockoutHandler reads it
AXES_HANDLER = "units.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "units.lockout.lockout_response"
# The lockout lasts the cool-off from the last counted failure; attempts while
# locked out are refused without moving that time, so the time shown holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful login clears that username's failures (not the address's).
AXES_RESET_ON_SUCCESS = True
# Failures are what is kept; successful logins are not logged a second time.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# The client address: REMOTE_ADDR, unless the app runs behind reverse proxies that
# append the client to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for). Then
# DJANGO_TRUSTED_PROXY_COUNT is how many there are; the address is read that many
# places from the right of the chain, so a client cannot choose it. Only set it when
# gunicorn cannot be reached except through those proxies.
TRUSTED_PROXY_COUNT = _read("DJANGO_TRUSTED_PROXY_COUNT", env.int, 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be 0 or more.")
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # django-ipware counts the proxies listed in the header: all but the last one,
    # whose address gunicorn sees as REMOTE_ADDR.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    AXES_IPWARE_PROXY_COUNT = None

# Password reset links are valid for a day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# The product's own settings.
SITE_NAME = env.str("THIDUA_SITE_NAME", default="Thi đua")
# The ministry's sector: the rule set in force is the one of this sector (awards.rulesets).
RULESET_SECTOR = env.str("THIDUA_RULESET_SECTOR", default="tnmt")
# The letterhead of the reports to the Minister (Decree 30/2020 layout).
REPORT_PLACE = env.str("THIDUA_REPORT_PLACE", default="Hà Nội")
REPORT_ISSUER = env.str("THIDUA_REPORT_ISSUER", default="Vụ Tổ chức cán bộ")
REPORT_ISSUER_ABBR = env.str("THIDUA_REPORT_ISSUER_ABBR", default="TCCB")
REPORT_SIGNER_TITLE = env.str("THIDUA_REPORT_SIGNER_TITLE", default="Vụ trưởng")
REPORT_RECIPIENTS = [
    "Bộ trưởng (để báo cáo)",
    "Các Thứ trưởng (để báo cáo)",
    f"Lưu: VT, {REPORT_ISSUER_ABBR}",
]
# The address users reach the site at, for links in emails. Unset, links start with
# the address each request came in on (units.links); set it in production.
SITE_URL = env.str("THIDUA_SITE_URL", default="").rstrip("/")
if SITE_URL and not re.fullmatch(r"https?://[^/\s]+", SITE_URL):
    raise ImproperlyConfigured(
        f"THIDUA_SITE_URL={SITE_URL!r} is not an address such as https://thidua.example.gov.vn"
        " (a scheme and a host, no path)."
    )
DEMO_PASSWORD = "ThiDua@2024"  # noqa: S105 — only load_demo uses it, and it refuses to run in production
