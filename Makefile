# leerreview — everyday commands. `make run` to try it, `make test` for the full check (what CI runs).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_LOGIN := onderzoeker.a@example.org / demo-leerreview

# pip output (including harmless warnings about extra indexes) goes to a log, shown only when pip fails.
PIP_INSTALL = $(BIN)/python -m pip install --quiet --disable-pip-version-check

.DEFAULT_GOAL := help
.PHONY: help run test test-fast lint fmt messages bench clean

help:
	@echo "make run       start leerreview on http://$(HOST):$(PORT) with the demo case (HOST=, PORT= to change)"
	@echo "make test      the full check, as CI runs it: ruff, mypy, pytest incl. PostgreSQL and Chromium tests"
	@echo "make test-fast the quick loop: pytest without the Chromium and PostgreSQL tests"
	@echo "make lint      ruff check, ruff format --check, mypy"
	@echo "make fmt       ruff format and ruff check --fix"
	@echo "make messages  extract translatable strings into app/locale/messages.pot"
	@echo "make bench     run the benchmarks in bench/"
	@echo "make clean     remove the virtualenv, caches and test artifacts (keeps data/)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml changed (the stamp files live inside the virtualenv).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing leerreview into $(VENV) (log: $(VENV)/pip.log)"
	@$(PIP_INSTALL) -e . >$(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	@echo "Installing leerreview with its test tools into $(VENV) (log: $(VENV)/pip.log)"
	@$(PIP_INSTALL) -e '.[test]' >$(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/leerreview migrate
	$(BIN)/leerreview demo --if-empty
	@echo ""
	@echo "  leerreview:  http://$(HOST):$(PORT)/"
	@echo "  demo login:  $(DEMO_LOGIN)  (owner of the demo case 'gezin Bakker')"
	@echo "  stop with Ctrl+C"
	@echo ""
	$(BIN)/leerreview serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	VENV_BIN=$(BIN) bash scripts/test.sh

test-fast: $(VENV)/.installed-test
	$(BIN)/pytest -q -m "not browser and not postgres"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --sort-by-file --no-wrap --project=leerreview -k _ -k N_ -k gettext -k ngettext:1,2 -o app/locale/messages.pot .

bench: $(VENV)/.installed-test
	@set -e; found=0; for script in bench/*.py; do \
		[ -f "$$script" ] || continue; found=1; \
		echo "==> $$script"; $(BIN)/python "$$script"; \
	done; [ $$found = 1 ] || echo "No benchmarks in bench/ yet."

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis tests/artifacts build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
