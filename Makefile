# The two commands of the README: `make run` and `make test`. Each sets itself up.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: setup setup-web run run-scaled services train test test-fast lint validate nlu-report bench lock clean

setup:
	@./scripts/setup.sh

# Browser and widget: Debian's chromium for the browser test, the widget from npm;
# Pango (summary PDF) and poppler-utils (PDF page to PNG in the tests) from Debian.
setup-web:
	@if [ -x scripts/setup_browser.sh ]; then ./scripts/setup_browser.sh; fi
	@./scripts/setup_handoff.sh

run: setup setup-web
	@$(PY) -m runtime.run

# The production topology on one machine: nginx on port 5005 in front of N Rasa processes
# (RASA_PROCESSES, default 2) and M action servers (ACTION_SERVERS, default 2), PostgreSQL
# tracker store and Redis lock store (Debian packages, data in var/scaled). docs/deployment.md
run-scaled: setup services
	@$(PY) -m runtime.scaled

# Debian packages of the scaled setup: postgresql, redis-server, nginx (apt-get if missing).
services:
	@./scripts/services/install.sh

train: setup
	@$(PY) -m runtime.train

validate: setup
	@$(PY) -m rasa data validate --domain domain.yml --data data --config config.yml

# The whole suite: unit, property, data validation, real servers, real browser.
test: setup setup-web train
	@$(PY) -m ruff check .
	@$(PY) -m pytest

# Only the tests that need no server and no browser.
test-fast: setup setup-web
	@$(PY) -m pytest -m "not e2e and not browser"

lint: setup
	@$(PY) -m ruff check .

nlu-report: setup
	@./scripts/nlu_report.sh

bench: setup train
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# Rebuild requirements.lock from requirements.in in a throw-away Python 3.10 venv.
lock:
	@./scripts/lock.sh

clean:
	rm -rf models results var test-output .pytest_cache
