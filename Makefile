# Developer entry points. Two commands get a working site on a fresh machine:
#   make run    -> virtualenv, PostgreSQL, migrations, seed data, demo login, dev server
#   make test   -> the same checks CI runs
# Requires GNU make, python3 (with venv) and PostgreSQL (a running server, or initdb/pg_ctl).

VENV := .venv
PY := $(VENV)/bin/python
RUFF := $(VENV)/bin/ruff
STAMP := $(VENV)/.installed
# axe-core for the accessibility tests, from the npm registry (package.json, package-lock.json).
NODE_STAMP := node_modules/.installed
PYTEST_ARGS ?=
# Debian's Chromium for the end-to-end tests; E2E=0 leaves them out.
# RESILIENCE=0 leaves out tests/deploy/test_under_gunicorn.py (private PostgreSQL restarted and
# stopped under load; about 2 minutes). CI runs it.
CHROMIUM ?= /usr/bin/chromium
E2E ?= 1
# The database role the application runs as under `make run` (the owner migrates).
RUNTIME_ROLE ?= tracker_app

# Each recipe runs in one bash process that stops at the first failing command.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

.PHONY: help install db run test lint bench bench-import bench-bulk clean-db serve

# help: list the targets.
help:
	@echo "make install   create $(VENV) and install requirements-dev.txt; npm ci (axe-core, for tests)"
	@echo "make db        make sure PostgreSQL and the database exist; print DATABASE_URL"
	@echo "make run       set everything up and serve http://127.0.0.1:8000/"
	@echo "make test      checks, migration drift, ruff, import contracts and pytest (PYTEST_ARGS=...;"
	@echo "               RESILIENCE=0 leaves out the gunicorn/PostgreSQL outage tests)"
	@echo "make lint      ruff check"
	@echo "make bench     time reports on generated data vs raw SQL and naive ORM (BENCH_ARGS=...),"
	@echo "               then the ACLED import vs COPY and one-by-one saves (IMPORT_BENCH_ARGS=...)"
	@echo "make bench-import  the ACLED import benchmark alone"
	@echo "make bench-bulk    audited bulk inserts at two sizes, and the CSV exports vs psql \\copy"
	@echo "               (BULK_BENCH_ARGS=...)"
	@echo "make clean-db  stop the project-local PostgreSQL under .pgdata/ (if any)"
	@echo "make serve     production: migrate, collectstatic, gunicorn (settings from the environment)"

# The virtualenv itself; created once.
$(PY):
	python3 -m venv $(VENV)

# install: (re)install dependencies only when a requirements file or the npm lock changed since
# last time. The application itself needs no Node: only the browser tests read node_modules/.
install: $(STAMP) $(NODE_STAMP)
$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# db: start or create PostgreSQL and the database as needed; prints the URL to use.
db: $(STAMP)
	$(PY) scripts/ensure_postgres.py

# run: development server with migrations, seed data and a demo lead account. load_seeds only
# adds missing seed rows: rows someone changed are kept and counted (load_seeds --reset
# --reason "..." makes them match the files again).
run: $(STAMP)
	# Two roles: the owner migrates; the application runs as tracker_app, which cannot
	# rewrite the audit trail (README, Security).
	owner=$$($(PY) scripts/ensure_postgres.py)
	app=$$($(PY) scripts/ensure_postgres.py --runtime-role $(RUNTIME_ROLE))
	export DEBUG=1
	DATABASE_URL="$$owner" DATABASE_RUNTIME_ROLE=$(RUNTIME_ROLE) $(PY) manage.py migrate --noinput
	export DATABASE_URL="$$app"
	$(PY) manage.py load_seeds
	$(PY) manage.py ensure_demo_lead
	exec $(PY) manage.py runserver 127.0.0.1:8000

# test: system checks, migration drift, lint, then the test suite against real PostgreSQL.
test: install
	url=$$($(PY) scripts/ensure_postgres.py)
	export DATABASE_URL="$$url" DJANGO_SETTINGS_MODULE=config.settings_test
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(RUFF) check .
	# The one direction of imports (pyproject.toml: tracker -> agreements -> history).
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest --ignore=tests/e2e $(PYTEST_ARGS)
	# Browser tests run on their own: they alone need DJANGO_ALLOW_ASYNC_UNSAFE.
	if [ "$(E2E)" = "0" ]; then
		echo "Browser tests not run (E2E=0)."
	elif [ -x "$(CHROMIUM)" ]; then
		$(PY) -m pytest tests/e2e
	else
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
		echo "!!! BROWSER TESTS SKIPPED: no Chromium at $(CHROMIUM).                      !!!"
		echo "!!! Install it with: apt-get install chromium   (CI installs it itself)      !!!"
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
	fi

# lint: static checks only (no database needed).
lint: $(STAMP)
	$(RUFF) check .

# bench: reports on a generated large dataset (database tracker_bench, rebuilt each time),
# timed against hand-written SQL and a naive ORM loop; e.g. BENCH_ARGS="--incidents 300000".
BENCH_ARGS ?=
bench: $(STAMP)
	url=$$($(PY) scripts/ensure_postgres.py)
	DATABASE_URL="$$url" $(PY) bench/reports_bench.py $(BENCH_ARGS)
	DATABASE_URL="$$url" $(PY) bench/import_bench.py $(IMPORT_BENCH_ARGS)
	DATABASE_URL="$$url" $(PY) bench/bulk_bench.py $(BULK_BENCH_ARGS)

# bench-import: the ACLED import (database tracker_bench_import, rebuilt each time) against
# COPY of the same rows and one-by-one ORM saves; e.g. IMPORT_BENCH_ARGS="--rows 1000000".
IMPORT_BENCH_ARGS ?=
bench-import: $(STAMP)
	url=$$($(PY) scripts/ensure_postgres.py)
	DATABASE_URL="$$url" $(PY) bench/import_bench.py $(IMPORT_BENCH_ARGS)

# bench-bulk: every audited table's INSERT ... SELECT at 10k and 100k rows (per-row cost ratio),
# then the audit trail and incident CSV exports against psql \copy (database tracker_bench_bulk,
# rebuilt each time unless --reuse); e.g. BULK_BENCH_ARGS="--export-incidents 1000000".
BULK_BENCH_ARGS ?=
bench-bulk: $(STAMP)
	url=$$($(PY) scripts/ensure_postgres.py)
	DATABASE_URL="$$url" $(PY) bench/bulk_bench.py $(BULK_BENCH_ARGS)

# clean-db: stop the project-local cluster; `rm -rf .pgdata` afterwards discards its data.
clean-db:
	@if [ -x $(PY) ]; then p=$(PY); else p=python3; fi
	if [ -d .pgdata ]; then $$p scripts/ensure_postgres.py --stop; else echo "no .pgdata/; nothing to stop"; fi

# serve: production. Settings come only from the environment (DATABASE_URL, SECRET_KEY,
# ALLOWED_HOSTS, ...; see README, Deployment); WEB_CONCURRENCY sets gunicorn's workers.
serve: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	exec $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi
