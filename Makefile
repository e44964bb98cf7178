# Level-2 Smart Operations Center — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)/plugins
export AIRFLOW_HOME ?= $(CURDIR)/.airflow
SCALE  ?= 1
DAYS   ?= 1
WORKERS ?= 2

.PHONY: venv browser postgres15 redis setup run demo cluster test test-pg15 test-cluster bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

# The console's browser test drives Debian's chromium (and CJK fonts for its screenshots); Playwright's
# own browser download is never used. Installed with apt only when missing (CI runs as root).
browser:
	@if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  if [ "$$(id -u)" != 0 ]; then echo "make browser: as root run 'apt-get install -y chromium fonts-noto-cjk'" >&2; exit 1; fi; \
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
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" != 0 ]; then echo "make redis: as root run 'apt-get install -y redis-server'" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	fi

setup: venv              ## databases up, demo data seeded, warehouse + Airflow migrated
	$(PY) -m smartops setup --scale $(SCALE)

run: venv                ## Airflow standalone on the embedded defaults
	$(PY) -m smartops run --scale $(SCALE)

demo: venv               ## one headless daily cycle (DAYS=7 for a week)
	$(PY) -m smartops demo --scale $(SCALE) --days $(DAYS)

cluster: venv redis     ## the compose topology as processes: CeleryExecutor, WORKERS=2 workers (Ctrl-C stops)
	$(PY) -m smartops cluster --scale $(SCALE) --workers $(WORKERS)

test: venv browser       ## lint, then the test suite (real PostgreSQL, Airflow, Soda and Chromium)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

test-pg15: venv postgres15  ## backflow, aggregation, scenario and quality tests on PostgreSQL 15
	$(PY) -m tests.older_postgres 15

test-cluster: venv redis  ## a daily cycle on two Celery workers, then a worker killed mid-sync
	$(PY) -m pytest tests/cluster -s -p no:xdist -o addopts="-ra --strict-markers -p no:cacheprovider"

bench: venv              ## benchmarks; prints tables, writes bench-results/*.json
	PYTHONPATH=$(CURDIR)/plugins:$(CURDIR) $(PY) -m bench $(PART)

clean:                   ## stop the embedded PostgreSQL and remove local state
	-$(PY) -c "from smartops import embedded; embedded.stop()"
	rm -rf .local .airflow
