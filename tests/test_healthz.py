import pytest
from django.db import OperationalError, connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain"


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


def test_healthz_needs_no_login_and_runs_one_query(client, django_assert_num_queries):
    # SELECT 1
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
