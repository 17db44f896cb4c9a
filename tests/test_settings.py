"""Start-up configuration: safe defaults, loud failures, a clean deploy check."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": "a-production-secret-key-that-is-long-and-random-Zq8vR2pLk9XwTn4Jd7",
    "DJANGO_ALLOWED_HOSTS": "thidua.example.vn",
}


def _run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.pop("CELERY_BROKER_URL", None)
    clean.pop("EMAIL_URL", None)
    return subprocess.run(  # noqa: S603 — our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "emulation.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG must be True or False"),
        ("DATABASE_URL", "not-a-url", "DATABASE_URL is not a valid URL"),
        ("EMAIL_URL", "carrier-pigeon://x", "EMAIL_URL is not a valid URL"),
        ("CELERY_BROKER_URL", "redis-at-localhost", "CELERY_BROKER_URL is not a valid URL"),
        ("DJANGO_SECURE_HSTS_SECONDS", "a year", "DJANGO_SECURE_HSTS_SECONDS has an invalid value"),
        ("DJANGO_TRUSTED_PROXY_COUNT", "one", "DJANGO_TRUSTED_PROXY_COUNT has an invalid value"),
        ("DJANGO_TRUSTED_PROXY_COUNT", "-1", "DJANGO_TRUSTED_PROXY_COUNT must be 0 or more"),
        ("THIDUA_LOGIN_COOLOFF_MINUTES", "0", "THIDUA_LOGIN_COOLOFF_MINUTES at least 1"),
        ("THIDUA_LOGIN_FAILURES_PER_ACCOUNT", "five", "FAILURES_PER_ACCOUNT has an invalid value"),
        ("THIDUA_SITE_URL", "thidua.example.vn", "THIDUA_SITE_URL='thidua.example.vn' is not"),
        ("THIDUA_SITE_URL", "https://thidua.example.vn/app", "(a scheme and a host, no path)"),
    ],
)
def test_malformed_setting_stops_startup_with_clear_message(variable, value, message):
    result = _run_manage("check", env={**PRODUCTION_ENV, variable: value})

    assert result.returncode == 1
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}

    result = _run_manage("check", env=env)

    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_defaults_need_no_configuration():
    script = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.MAILERS['default']['BACKEND'], s.LANGUAGE_CODE, s.TIME_ZONE, s.DEBUG)"
    )

    result = _run_manage("shell", "-c", script, env={"DJANGO_DEBUG": "True"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-6:] == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "vi",
        "Asia/Ho_Chi_Minh",
        "True",
    ]


def test_services_come_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://thidua:pw@db.example.vn:5432/thidua",
        "CELERY_BROKER_URL": "redis://redis.example.vn:6379/0",
        "EMAIL_URL": "smtp+tls://mailer:pw@mail.example.vn:587",
    }
    script = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "m = s.MAILERS['default']; "
        "print(d['ENGINE'], d['HOST'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, "
        "m['BACKEND'], m['OPTIONS']['host'], m['OPTIONS']['use_tls'])"
    )

    result = _run_manage("shell", "-c", script, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-7:] == [
        "django.db.backends.postgresql",
        "db.example.vn",
        "redis://redis.example.vn:6379/0",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.vn",
        "True",
    ]


def test_login_throttling_and_the_proxy_come_from_the_environment():
    script = (
        "from django.conf import settings as s; "
        "print(s.AUTHENTICATION_BACKENDS[0], s.AXES_FAILURE_LIMIT, s.LOGIN_FAILURES_PER_ADDRESS, "
        "int(s.AXES_COOLOFF_TIME.total_seconds()), s.AXES_IPWARE_PROXY_COUNT, "
        "','.join(s.AXES_IPWARE_META_PRECEDENCE_ORDER))"
    )
    default = _run_manage("shell", "-c", script, env=PRODUCTION_ENV)
    configured = _run_manage(
        "shell",
        "-c",
        script,
        env={
            **PRODUCTION_ENV,
            "THIDUA_LOGIN_FAILURES_PER_ACCOUNT": "3",
            "THIDUA_LOGIN_FAILURES_PER_ADDRESS": "50",
            "THIDUA_LOGIN_COOLOFF_MINUTES": "30",
            # a load balancer, then nginx, in front of gunicorn
            "DJANGO_TRUSTED_PROXY_COUNT": "2",
        },
    )

    assert default.returncode == 0, default.stderr
    assert default.stdout.split()[-6:] == [
        "axes.backends.AxesStandaloneBackend",
        "5",
        "20",
        "900",
        "None",
        "REMOTE_ADDR",
    ]
    assert configured.returncode == 0, configured.stderr
    assert configured.stdout.split()[-6:] == [
        "axes.backends.AxesStandaloneBackend",
        "3",
        "50",
        "1800",
        "1",
        "HTTP_X_FORWARDED_FOR,REMOTE_ADDR",
    ]


@pytest.mark.django_db
def test_migrations_are_in_step_with_models():
    out = StringIO()

    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert out.getvalue().strip() == "No changes detected"
