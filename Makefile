# debtboard: `make run` sets everything up and serves the UI; `make test` runs lint, contracts and the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# The newest interpreter >= 3.12 wins: radon and flake8 parse scanned code with the running grammar.
PYTHON_CANDIDATES := python3.13 python3.12 python3
PY := $(shell for p in $(PYTHON_CANDIDATES); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	command -v $$p; break; fi; done)

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
REPO ?= $(CURDIR)
export DJANGO_DEBUG ?= true

.PHONY: run test bench lint contracts worker demo install migrate clean serve

$(STAMP): pyproject.toml
	@if [ -z "$(PY)" ]; then echo "debtboard needs Python 3.12 or newer (python3.13, python3.12 or python3 >= 3.12 on PATH); none was found." >&2; exit 1; fi
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py ensure_admin
	-$(BIN)/python manage.py demo --repo "$(REPO)"
	@echo "debtboard is serving http://$(HOST):$(PORT)/ with its scan worker beside it (Ctrl-C stops both)"
	$(BIN)/python manage.py serve $(HOST):$(PORT)

demo: migrate
	$(BIN)/python manage.py demo --repo "$(REPO)"

# The bar debtboard sets for its users: radon cyclomatic complexity <= 10 per function.
RADON_EXCLUDE := */migrations/*,.venv/*,var/*,artifacts/*
# Functions allowed above the bar, as path:name, one per line with its reason.
COMPLEXITY_EXCEPTIONS :=

# radon lists each file, then its functions ranked C or worse (CC > 10) as "F line:col name - rank (cc)".
lint: install
	$(BIN)/flake8 .
	@over="$$(set -o pipefail; $(BIN)/radon cc --show-complexity --min C --exclude '$(RADON_EXCLUDE)' . | awk \
		-v allowed='$(strip $(COMPLEXITY_EXCEPTIONS))' \
		'BEGIN { n = split(allowed, names, " "); for (i = 1; i <= n; i++) skip[names[i]] = 1 } \
		/^[^ ]/ { file = $$1; next } \
		!((file ":" $$3) in skip) { print "  " file ":" $$2 " " $$3 " " $$5 " " $$6 }')" || exit 1; \
	if [ -n "$$over" ]; then echo "Functions above radon's complexity bar of 10:" >&2; echo "$$over" >&2; exit 1; fi

contracts: install
	$(BIN)/lint-imports

test: install lint contracts
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# With CELERY_BROKER_URL set: a Celery worker. The solo pool: a prefork child is a daemonic process, which may
# not start the analysis process pool. --beat runs the stale-scan reaper on its schedule; with several
# workers give exactly one of them BEAT=--beat (or run `celery -A debtboard.celery beat` once).
BEAT ?= --beat
worker: migrate
	$(BIN)/celery -A debtboard.celery worker --pool solo --loglevel=INFO $(BEAT)

clean:
	rm -rf $(VENV) var artifacts
