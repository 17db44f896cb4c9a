"""A real Celery worker for the tests that need one (marker celery_worker).

The worker is a separate process started with the test database's name in
DATABASE_URL, so it sees what transactional tests commit. It needs
CELERY_BROKER_URL (Redis) and a PostgreSQL DATABASE_URL: .ci/run sets both."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

from emulation.celery import app

ROOT = Path(__file__).resolve().parent.parent


def _database_url_for_test_db() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("Tests marked celery_worker need DATABASE_URL pointing at PostgreSQL.")
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def celery_workers(transactional_db, tmp_path):
    """start() starts one more real worker and returns its process; every worker
    started is stopped at the end (a test may kill one and start another)."""
    broker = settings.CELERY_REAL_BROKER_URL
    if not broker:
        pytest.fail("Tests marked celery_worker need CELERY_BROKER_URL (Redis); see .ci/run.")
    backend = broker.rsplit("/", 1)[0] + "/14"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "emulation.settings",
        "DJANGO_DEBUG": "True",
        "DATABASE_URL": _database_url_for_test_db(),
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": backend,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    started = []

    def start():
        n = len(started) + 1
        log_path = tmp_path / f"worker-{n}.log"
        log = log_path.open("w")
        worker = subprocess.Popen(  # noqa: S603 — our own interpreter and module
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "emulation",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                f"--hostname=test-{os.getpid()}-{n}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append((worker, log))
        _wait_until_ready(worker, log_path)
        return worker

    saved = (app.conf.task_always_eager, app.conf.result_backend, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.result_backend = backend
    app.conf.broker_url = broker
    app._local.__dict__.pop("backend", None)  # the backend is cached per thread
    try:
        yield start
    finally:
        for worker, log in started:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
            log.close()
        _close_connections()
        app.conf.task_always_eager, app.conf.result_backend, app.conf.broker_url = saved
        app._local.__dict__.pop("backend", None)


@pytest.fixture
def celery_worker_process(celery_workers):
    return celery_workers()


@contextmanager
def broker_down():
    """Within it, this process sends its messages to a port where nothing listens, as
    if Redis were down; the worker keeps the real broker. (Celery reads the producer's
    URL from CELERY_BROKER_WRITE_URL before its settings.)"""
    _close_connections()
    os.environ["CELERY_BROKER_WRITE_URL"] = "redis://127.0.0.1:1/0"
    try:
        yield
    finally:
        del os.environ["CELERY_BROKER_WRITE_URL"]
        _close_connections()


def _wait_until_ready(worker, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"The Celery worker exited:\n{log_path.read_text()}")
        if "ready." in log_path.read_text():
            return
        time.sleep(0.3)
    pytest.fail(f"The Celery worker did not start in {timeout} s:\n{log_path.read_text()}")


def _close_connections() -> None:
    """Close this process's sockets to Redis (result backend and broker pool), which
    would otherwise be reported as unclosed when the test ends."""
    backend = app._local.__dict__.get("backend")
    client = getattr(backend, "client", None)
    if client is not None:
        client.connection_pool.disconnect()
    if app._pool is not None:
        app._pool.force_close_all()
    # kombu keeps process-wide pools keyed by connection: clear them so the next
    # test starts fresh ones instead of acquiring from a closed pool.
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
