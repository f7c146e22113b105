# Tribune: common tasks. `make run` serves the site locally, `make test` checks everything.
# Only Python >= 3.11 is needed; everything else is installed into .venv.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# Interpreter used to create .venv: `make run PYTHON=/path/to/python3.12` to choose one.
PYTHON ?=
PYTHON_CANDIDATES := python3.13 python3.12 python3.11 python3

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
DEMO_STAMP := var/.demo-loaded

HOST ?= 127.0.0.1
PORT ?= 8000
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k archive -x"`.
PYTEST_ARGS ?=
# Extra arguments for bench/run.py, e.g. `make bench BENCH_ARGS="--skip-scale10"`.
BENCH_ARGS ?=

.PHONY: help run install install-dev test test-e2e lint format bench clean

help:
	@echo "make run          install, migrate, load demo content once, serve on http://$(HOST):$(PORT)/"
	@echo "make test         ruff (lint + format check) and the test suite without browser tests"
	@echo "make test-e2e     browser, accessibility and HTML validity tests (needs chromium, java, npm)"
	@echo "make bench        load, comment storm and fault runs on PostgreSQL + Redis; writes bench/RESULTS.md"
	@echo "make lint         ruff check and ruff format --check"
	@echo "make format       ruff format and ruff check --fix"
	@echo "make install-dev  install the project with its development tools into $(VENV)"
	@echo "make clean        remove $(VENV) and caches (keeps var/: the local database and media)"

# --- virtual environment -------------------------------------------------------------------

$(PY):
	@if [ -n "$(PYTHON)" ]; then candidates="$(PYTHON)"; else candidates="$(PYTHON_CANDIDATES)"; fi; \
	found=""; \
	for candidate in $$candidates; do \
		if command -v "$$candidate" >/dev/null 2>&1 \
			&& "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then \
			found="$$candidate"; break; \
		fi; \
	done; \
	if [ -z "$$found" ]; then \
		echo "Tribune needs Python >= 3.11; none found among: $$candidates" >&2; \
		echo "Install one, or point to it with: make $(or $(MAKECMDGOALS),run) PYTHON=/path/to/python3" >&2; \
		exit 1; \
	fi; \
	echo "Creating $(VENV) with $$found ($$("$$found" -c 'import sys; print(sys.version.split()[0])'))"; \
	"$$found" -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create $(VENV) (on Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }

# Reinstall only when pyproject.toml changes (or .venv is recreated).
$(STAMP_RUN): pyproject.toml | $(PY)
	$(PIP) install -e .
	@touch $@

$(STAMP_DEV): pyproject.toml | $(PY)
	$(PIP) install -e ".[dev]"
	@touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)

install-dev: $(STAMP_DEV)

# --- local run -----------------------------------------------------------------------------

# A deleted local SQLite database means the demo content has to be loaded again.
run: $(STAMP_RUN)
	@mkdir -p var
	@if [ -z "$${DATABASE_URL:-}" ] && [ ! -f var/tribune.sqlite3 ]; then rm -f $(DEMO_STAMP); fi
	DEBUG=true $(PY) manage.py migrate --noinput
	@if [ -f $(DEMO_STAMP) ]; then \
		echo; \
		echo "Demo content already loaded (delete $(DEMO_STAMP) to load it again)."; \
		echo "Admin logins (http://$(HOST):$(PORT)/admin/), unless changed since:"; \
		echo "  admin / tribune-admin          superuser"; \
		echo "  editor / tribune-editor        group Editors"; \
		echo "  moderator / tribune-moderator  group Moderators"; \
		echo; \
	else \
		echo "DEBUG=true $(PY) manage.py seed_demo"; \
		DEBUG=true $(PY) manage.py seed_demo; \
		touch $(DEMO_STAMP); \
	fi
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# --- checks --------------------------------------------------------------------------------

lint: $(STAMP_DEV)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP_DEV)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# DATABASE_URL passes through from the environment: with a PostgreSQL URL pytest-django
# creates (and afterwards drops) a test_<name> database next to it.
test: lint
	$(PY) -m pytest -m "not e2e" --ignore=tests/e2e $(PYTEST_ARGS)

# The Nu HTML Checker (vnu.jar) comes from npm and runs on Java; nothing is downloaded at run time.
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR): package.json
	npm install --ignore-scripts --no-audit --no-fund
	@touch $@

test-e2e: $(STAMP_DEV) $(VNU_JAR)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

# --- benchmark -----------------------------------------------------------------------------

# Needs PostgreSQL (DATABASE_URL names the server, default the local one), Redis and wrk
# (installed with apt-get when missing and running as root); about 20 minutes.
bench: $(STAMP_RUN)
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-results *.egg-info build
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
