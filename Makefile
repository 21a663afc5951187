# leerreview — everyday commands. `make run` to try it, `make test` for the full check (what CI runs),
# `make lock` after changing the dependencies in pyproject.toml.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_LOGIN := onderzoeker.a@example.org / demo-leerreview

# pip output (including harmless warnings about extra indexes) goes to a log, shown only when pip fails.
PIP_INSTALL = $(BIN)/python -m pip install --quiet --disable-pip-version-check
# Exact versions and sha256 hashes (scripts/lock.py, `make lock`): requirements.lock for the service,
# requirements-test.lock for the service with the test and dev tools. pyproject.toml keeps the ranges.
LOCK := $(BIN)/python scripts/lock.py

.DEFAULT_GOAL := help
.PHONY: help run test test-fast lint fmt messages bench clean lock lock-upgrade lock-check

help:
	@echo "make run       start leerreview on http://$(HOST):$(PORT) with the demo case (HOST=, PORT= to change)"
	@echo "make test      the full check, as CI runs it: lock, ruff, mypy, hadolint, pytest incl. PostgreSQL and Chromium"
	@echo "make test-fast the quick loop: pytest without the Chromium and PostgreSQL tests"
	@echo "make lint      ruff check, ruff format --check, mypy, hadolint Dockerfile"
	@echo "make fmt       ruff format and ruff check --fix"
	@echo "make lock      regenerate requirements*.lock after a change to pyproject.toml's dependencies (keeps pins)"
	@echo "make lock-upgrade [PACKAGES='fastapi starlette']  move pins to the newest allowed versions (all, or these)"
	@echo "make messages  extract translatable strings into app/locale/messages.pot"
	@echo "make bench     every benchmark figure of README (wrk, SQLite and PostgreSQL; ~15-20 min)"
	@echo "make clean     remove the virtualenv, caches and test artifacts (keeps data/)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The installer first (requirements-pip.lock, hash-checked): Python 3.11's own pip refuses the locks below.
$(VENV)/.pip: requirements-pip.lock | $(BIN)/python
	@$(PIP_INSTALL) --require-hashes -r requirements-pip.lock >$(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@

# Install from the lock, hash-checked, then the project itself without dependencies and without build isolation
# (setuptools is in the lock too): nothing is fetched that the lock does not name. Re-installed only when a lock
# or pyproject.toml changed (the stamp files live inside the virtualenv).
define install_locked
	@echo "Installing $(1) into $(VENV) (log: $(VENV)/pip.log)"
	@{ $(PIP_INSTALL) --require-hashes -r $(1) && $(PIP_INSTALL) --no-deps --no-build-isolation -e . ; } \
		>$(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
endef

$(VENV)/.installed: requirements.lock pyproject.toml $(VENV)/.pip
	$(call install_locked,requirements.lock)
	@touch $@

# The test venv is exactly the test lock: packages it does not list are removed (scripts/lock.py sync).
$(VENV)/.installed-test: requirements-test.lock pyproject.toml $(VENV)/.pip
	$(call install_locked,requirements-test.lock)
	@$(LOCK) sync requirements-test.lock
	@touch $@ $(VENV)/.installed

# Fails, naming `make lock`, when pyproject.toml's dependencies are not the ones the lock files were made from.
lock-check: | $(BIN)/python
	@$(LOCK) check

lock: $(VENV)/.installed-test
	$(LOCK) write --uv $(BIN)/uv

lock-upgrade: $(VENV)/.installed-test
	$(LOCK) write --uv $(BIN)/uv --upgrade $(PACKAGES)

run: lock-check $(VENV)/.installed
	$(BIN)/leerreview migrate
	$(BIN)/leerreview demo --if-empty
	@echo ""
	@echo "  leerreview:  http://$(HOST):$(PORT)/"
	@echo "  demo login:  $(DEMO_LOGIN)  (owner of the demo case 'gezin Bakker')"
	@echo "  stop with Ctrl+C"
	@echo ""
	$(BIN)/leerreview serve --host $(HOST) --port $(PORT)

test: lock-check $(VENV)/.installed-test
	@$(LOCK) verify requirements-test.lock
	VENV_BIN=$(BIN) bash scripts/test.sh

test-fast: $(VENV)/.installed-test
	$(BIN)/pytest -q -m "not browser and not postgres"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

fmt: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg --sort-by-file --no-wrap --project=leerreview -k _ -k N_ -k gettext -k ngettext:1,2 -o app/locale/messages.pot .

# Every figure of README's "Benchmarks" in one run (installs wrk, starts a throw-away PostgreSQL): ~15–20 min.
bench: $(VENV)/.installed-test
	VENV_BIN=$(BIN) bash scripts/bench.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis tests/artifacts build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
