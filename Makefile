# e-Musrenbang — two commands for a fresh Debian 12 machine: `make run` and `make test`.
SHELL := /bin/bash
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The Python requirements set-up installs: dev (requirements-dev.txt) or runtime (requirements.txt only).
PERSYARATAN ?= dev
export PERSYARATAN

# Test workers (pytest-xdist, one test database each; N=0: none): 2 pays on this 2-core machine.
N ?= 2

.PHONY: setup run test test-cepat test-segar lint migrations-check messages demo produksi

setup:  ## apt packages, .venv, PostgreSQL + PostGIS, role and database (idempotent)
	bash scripts/setup.sh
	$(PY) manage.py compilemessages --ignore=.venv -v 0

run: setup  ## migrate, load the demo data, serve on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py muat_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

produksi:  ## production: set-up with the runtime requirements only, check --deploy, migrate, collectstatic, nginx -> gunicorn + notification worker (README)
	$(MAKE) --no-print-directory setup PERSYARATAN=runtime
	bash scripts/produksi.sh

test: setup  ## lint, migration check, then the whole suite (browser tests included) on PostGIS
	$(MAKE) --no-print-directory lint migrations-check
	@# Exit status 5 = nothing selected (a PYTEST_ARGS subset with no test of that half).
	$(PY) -m pytest -n $(N) -m "not sistem and not peramban" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	@# The browser tests one at a time: they wait on emulated 3G and service workers, and beside a
	@# CPU-bound test, or another browser test, a service worker sometimes never took over in 60 s.
	$(PY) -m pytest -m "peramban and not sistem" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	@# Processes and servers (gunicorn, nginx, slow clients, pg_dump) one at a time, after the rest:
	@# some time their clients, and none should share the machine with a parallel run.
	$(PY) -m pytest -m sistem $(PYTEST_ARGS) || [ $$? -eq 5 ]

test-cepat:  ## the everyday loop: everything but the browser, system and thorough-sweep tests, in parallel, databases kept
	$(PY) -m pytest -n $(N) --reuse-db -m "not peramban and not sistem and not lambat" $(PYTEST_ARGS)

test-segar:  ## (root) the README's set-up and a subset of the suite in a pristine Debian 12 root made by debootstrap
	bash scripts/uji_segar.sh

# mypy: django-stubs imports the settings, read here without a developer's .env (as on a fresh clone).
lint:  ## ruff, then mypy with the Django plugin over the apps (pyproject.toml; warm cache in .mypy_cache)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	MUSRENBANG_ENV_FILE= DEBUG=true .venv/bin/mypy

migrations-check:
	$(PY) manage.py makemigrations --check --dry-run

messages:  ## refresh the English catalogue after changing user-facing strings
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete
	$(PY) manage.py makemessages -d djangojs -l en --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv
