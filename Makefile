# Level-2 Smart Operations Center — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)/plugins
export AIRFLOW_HOME ?= $(CURDIR)/.airflow
SCALE  ?= 1
DAYS   ?= 1

.PHONY: venv setup run demo test bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

setup: venv              ## databases up, demo data seeded, warehouse + Airflow migrated
	$(PY) -m smartops setup --scale $(SCALE)

run: venv                ## Airflow standalone on the embedded defaults
	$(PY) -m smartops run --scale $(SCALE)

demo: venv               ## one headless daily cycle (DAYS=7 for a week)
	$(PY) -m smartops demo --scale $(SCALE) --days $(DAYS)

test: venv               ## lint, then the test suite (real PostgreSQL, Airflow and Soda)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

bench: venv              ## benchmarks; prints tables, writes bench-results/*.json
	PYTHONPATH=$(CURDIR)/plugins:$(CURDIR) $(PY) -m bench $(PART)

clean:                   ## stop the embedded PostgreSQL and remove local state
	-$(PY) -c "from smartops import embedded; embedded.stop()"
	rm -rf .local .airflow
