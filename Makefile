# Level-2 Smart Operations Center — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# plugins/: the product (smartops); the repository root: the workbench (workbench/) and tests.
export PYTHONPATH := $(CURDIR)/plugins:$(CURDIR)
export AIRFLOW_HOME ?= $(CURDIR)/.airflow
SCALE  ?= 1
DAYS   ?= 1
WORKERS ?= 2

.PHONY: venv browser postgres15 redis setup run demo cluster test test-pg15 test-cluster bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else "make: Python %d.%d found, the project needs Python 3.11 (Soda Core 3 runs on it): make PYTHON=python3.11 ..." % v)'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

# The console's browser test drives Debian's chromium (and CJK fonts for its screenshots); Playwright's
# own browser download is never used. Installed with apt only when missing (CI runs as root).
# Not root and missing: the browser tests skip, saying so in one loud line (CI, as root, installs and runs them).
browser:
	@if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  if [ "$$(id -u)" != 0 ]; then echo "make browser: chromium or CJK fonts missing and not root: the browser tests will SKIP; as root run 'apt-get install -y chromium fonts-noto-cjk'" >&2; exit 0; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# Debian's PostgreSQL 15 for the older-major tests (the binaries only; the tests start a private server).
postgres15:
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "make postgres15: as root run 'apt-get install -y postgresql-15'" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null; \
	fi

# Redis for the Celery broker of `make cluster` when REDIS_URL does not answer: Debian's redis-server.
redis:
	@if [ -n "$$REDIS_URL" ] && $(PYTHON) -c "import socket,sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); socket.create_connection((p.hostname or '127.0.0.1', p.port or 6379), 2)" "$$REDIS_URL" 2>/dev/null; then \
	  echo "make redis: using REDIS_URL"; \
	elif ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" != 0 ]; then echo "make redis: as root run 'apt-get install -y redis-server'" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	fi

setup: venv              ## databases up, demo data seeded, warehouse + Airflow migrated
	$(PY) -m workbench setup --scale $(SCALE)

run: venv                ## Airflow standalone on the embedded defaults
	$(PY) -m workbench run --scale $(SCALE)

demo: venv               ## one headless daily cycle (DAYS=7 for a week)
	$(PY) -m workbench demo --scale $(SCALE) --days $(DAYS)

cluster: venv redis     ## the compose topology as processes: CeleryExecutor, WORKERS=2 workers (Ctrl-C stops)
	$(PY) -m workbench cluster --scale $(SCALE) --workers $(WORKERS)

test: venv browser       ## lint, then the test suite (real PostgreSQL, Airflow, Soda and Chromium)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

test-pg15: venv postgres15  ## backflow, aggregation, scenario and quality tests on PostgreSQL 15
	$(PY) -m tests.support.older_postgres 15

test-cluster: venv redis  ## a daily cycle on two Celery workers, then a worker killed mid-sync
	$(PY) -m pytest tests/e2e/cluster -s -p no:xdist -o addopts="-ra --strict-markers -p no:cacheprovider"

bench: venv              ## benchmarks; prints tables, writes bench-results/*.json
	$(PY) -m workbench.bench $(PART)

clean:                   ## stop the embedded PostgreSQL and remove local state
	-$(PY) -c "from workbench import embedded; embedded.stop()"
	rm -rf .local .airflow
