# Thi đua — the two commands of a fresh machine are `make run` and `make test`.
# The Makefile stays thin: it finds a Python >= 3.12, keeps .venv in step with
# pyproject.toml, and calls manage.py or pytest.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test bench bench-pages lint format worker beat migrate demo messages messages-compiled venv clean

$(STAMP): pyproject.toml
	@set -e; \
	if [ ! -x "$(PY)" ]; then \
	  PYBIN=$$(scripts/find-python); \
	  echo "Creating $(VENV) with $$PYBIN"; \
	  "$$PYBIN" -m venv $(VENV); \
	fi; \
	$(PY) -m pip install --quiet --upgrade pip; \
	$(PY) -m pip install --quiet -e ".[dev]"; \
	touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-True} $(PY) manage.py migrate --noinput

demo: migrate
	DJANGO_DEBUG=$${DJANGO_DEBUG:-True} $(PY) manage.py load_demo

run: demo messages-compiled
	@echo "Thi đua: http://$(HOST):$(PORT)/  (demo accounts: see README.md)"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-True} $(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP) messages-compiled
	env -u DATABASE_URL -u CELERY_BROKER_URL $(PY) -m pytest -q -m "not celery_worker and not postgres" $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) tests/bench/run_report_bench.py $(BENCH_ARGS)

# Needs PostgreSQL (--server, default postgres://postgres@127.0.0.1:5432).
bench-pages: $(STAMP)
	$(PY) tests/bench/run_page_bench.py $(BENCH_PAGES_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_DEBUG=True $(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The compiled .mo is committed; recompile when gettext is there (it is on our machines).
messages-compiled: $(STAMP)
	@if command -v msgfmt >/dev/null; then \
	  env -u DATABASE_URL -u CELERY_BROKER_URL DJANGO_DEBUG=True $(PY) manage.py compilemessages --ignore=.venv -v0; \
	else echo "gettext (msgfmt) not installed: using the committed translations"; fi

messages: $(STAMP)
	DJANGO_DEBUG=True $(PY) manage.py makemessages -l vi --ignore=.venv --ignore=staticfiles --no-obsolete
	DJANGO_DEBUG=True $(PY) manage.py compilemessages --ignore=.venv

worker: $(STAMP)
	$(VENV)/bin/celery -A emulation worker --loglevel=INFO --concurrency=2

beat: $(STAMP)
	$(VENV)/bin/celery -A emulation beat --loglevel=INFO --schedule=$${CELERY_BEAT_SCHEDULE_FILE:-/tmp/thidua-celerybeat-schedule}

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
