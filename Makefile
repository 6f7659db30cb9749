# The Hub: `make run` to try it on a laptop, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO_PASSWORD ?= hub-demo-password
export DEMO_PASSWORD

DATA_DIR ?= ../shared/datasets

.PHONY: install run test model docs lock clean

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "The Hub needs Python 3.11 or newer: run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	@touch $@

# Chart.js, for the statistics page's charts, exactly as package-lock.json pins it (npm runs no package's scripts).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "The Hub's charts need npm: apt-get install nodejs npm (Node.js 18 or newer), then run make again."; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund || { echo "npm ci failed, so Chart.js (package-lock.json) is not installed: check that the npm registry (or the mirror in npm's registry setting) can be reached, then run make again."; exit 1; }
	@touch $@

install: $(VENV)/.installed node_modules/.installed

# Embedded mode unless DATABASE_URL / CELERY_BROKER_URL are set: SQLite under var/,
# tasks in-process. DEBUG is on here only, for local use.
run: export DJANGO_DEBUG ?= true
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) train_classifier --if-none
	$(MANAGE) seed_demo
	@echo
	@echo "The Hub is starting on http://127.0.0.1:8000"
	@echo "Sign in as volunteer, officer, liaison, admin or partner with the password: $(DEMO_PASSWORD)"
	@echo "Officer, liaison and admin set up two-step sign-in on first sign-in: have an authenticator app ready."
	@echo
	$(MANAGE) runserver 127.0.0.1:8000

# Static checks first: lint and format, no high-severity bandit finding, no model change without its
# migration, the apps importing only downward (.importlinter), no known vulnerability in the pins (where PyPI's data
# can be reached); then the suite.
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit --quiet --recursive hubsite reports triage volunteers wiring bench --exclude '*/migrations/*' --severity-level high
	DJANGO_DEBUG=true $(MANAGE) makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache
	tools/audit-dependencies
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Retrain the shipped model (triage/classifier/shipped/) from the public data sets in DATA_DIR, measure it on
# the dev measures and write the artifact and its manifest; the same data and seed give the same figures.
model: install
	$(MANAGE) migrate --noinput
	$(MANAGE) train_classifier --recipe public --data-dir $(DATA_DIR) --ship

# Draw the apps and the direction of their imports into docs/architecture.md, from the code.
docs: install
	$(BIN)/python tools/architecture_diagram.py

# Re-pin every transitive dependency after changing requirements*.txt.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -r requirements-dev.txt
	.venv-lock/bin/pip freeze --exclude-editable > constraints.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) var .pytest_cache node_modules
