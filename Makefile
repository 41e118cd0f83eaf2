# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-browser browser-deps install lint format check-migrations clean bench bench-smoke

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# One worker per core (pytest-xdist); each worker gets its own test database.
PYTEST_WORKERS ?= auto

test: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

# Debian's chromium and chromedriver for the browser tests (tests/browser/), installed only
# when missing. Never a browser download of a test tool's own: only Debian's packages.
browser-deps:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
	  echo "chromium and chromedriver are installed"; \
	else \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	    chromium chromium-driver fonts-liberation; \
	fi

# The performance benchmark on PostgreSQL (README, "Performance"): BENCH_SCALE=1 builds
# 100,000 cases and 1,000,000 postings once (then reuses them), and times every page.
BENCH_SCALE ?= 1

bench: $(STAMP)
	$(BIN)/python -m tests.bench --scale $(BENCH_SCALE)

# CI's smoke run: two small scales; fails on an error page or a query count that grows with
# the data (never on time).
bench-smoke: $(STAMP)
	$(BIN)/python -m tests.bench --scale 0.02 --compare 0.005 --runs 3 --command-runs 1

# The house's rules, checked by tools (CI runs the same): style, the import floors
# (pyproject.toml [tool.importlinter]), types (mypy with django-stubs), templates (djLint).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy
	$(BIN)/djlint templates --lint

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles
