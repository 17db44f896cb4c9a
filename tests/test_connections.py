"""A persistent database connection that PostgreSQL dropped (a restart, a failover,
an idle timeout) costs no request a 500: the connection is checked at the first query
of the next request and reopened. On PostgreSQL (run by .ci/run).

The requests go through Django's WSGI handler as a server calls it: the test client
turns off the connection checks at the start and end of a request, which are what
is tested here."""

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _get(path: str, cookies: str = "") -> tuple[str, bytes]:
    environ = RequestFactory().get(path, HTTP_COOKIE=cookies).environ
    statuses = []
    response = WSGIHandler()(
        environ, lambda status, headers, exc_info=None: statuses.append(status)
    )
    try:
        body = b"".join(response)
    finally:
        response.close()  # request_finished: the connection is kept (CONN_MAX_AGE)
    return statuses[0], body


def _terminate(pid: int) -> None:
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


def test_a_dropped_connection_costs_no_request_a_500(client, officer):
    assert connection.vendor == "postgresql", "run with DATABASE_URL on PostgreSQL"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    client.force_login(officer)
    cookies = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    status, _ = _get(reverse("reports:index"), cookies)
    assert status.startswith("200")
    pid = connection.connection.info.backend_pid  # kept open for the next request

    _terminate(pid)
    statuses = [_get(reverse("reports:index"), cookies)[0] for _ in range(4)]
    health, body = _get("/healthz")

    assert statuses == ["200 OK"] * 4
    assert (health, body) == ("200 OK", b"ok\n")
    assert connection.connection.info.backend_pid != pid
