# Two commands: `make run` serves the app with demo data on SQLite; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
FLASK  := $(BIN)/flask --app auditapp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_BIN := /usr/lib/postgresql/15/bin

.PHONY: run test setup test-deps chromium postgres bench messages clean

$(BIN)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# The compiled catalogues (.mo) are built from the committed .po files, never by hand, and not committed.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard auditapp/translations/*/LC_MESSAGES/messages.po))

%.mo: %.po $(BIN)/.installed
	$(BIN)/pybabel compile -i $< -o $@

setup: $(BIN)/.installed $(CATALOGUES)

run: setup
	$(FLASK) db upgrade
	$(FLASK) concepts import service_concepts
	$(FLASK) demo --if-empty
	@echo ""
	@echo "  auditapp is serving on http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@echo ""
	$(BIN)/gunicorn --workers 2 --threads 4 --bind $(HOST):$(PORT) --access-logfile - 'auditapp:create_app()'

# Debian's Chromium for the browser tests, and PostgreSQL 15 for the database tests.
chromium:
	@[ -x /usr/bin/chromium ] || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

postgres:
	@[ -x $(PG_BIN)/initdb ] || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15; }

test-deps: setup chromium postgres

# One pytest worker per core (xdist): each has its own PostgreSQL cluster, servers and browser.
test: test-deps
	$(BIN)/python -m pytest -n auto

bench: setup
	$(BIN)/python bench/photos.py
	$(BIN)/python bench/form_weight.py
	$(BIN)/python bench/sync_traffic.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/login_timing.py

# Extract every user-facing string into the catalogue template and merge it into each language's catalogue;
# the test suite fails while a string has no translation (tests/test_translations.py).
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --sort-by-file --project auditapp --copyright-holder auditapp -o auditapp/translations/messages.pot .
	$(BIN)/pybabel update -i auditapp/translations/messages.pot -d auditapp/translations --no-fuzzy-matching -w 120

clean:
	rm -rf $(VENV) instance .pytest_cache
