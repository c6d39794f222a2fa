# 综合考核评分系统 — the two commands: `make demo` and `make test`.
# Everything else here is what those two need. Nothing reads ../shared.

SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Parallel test processes (2 cores here; the worker-backed tests start their own).
PYTEST_WORKERS ?= 2

.PHONY: help bootstrap system-deps test-deps demo test check lint typecheck pytest bench bench-engine \
        bench-pipeline \
        messages clean

help:
	@echo "make demo   — run the app on demo data (embedded default: SQLite, file broker)"
	@echo "make test   — the whole suite: lint, types, migrations check, tests"
	@echo "make bench  — benchmarks (docs/performance.md)"

# Debian packages, installed only when missing (apt as root; otherwise the
# command to run is printed): gettext for compiled translations; the tests also
# need Chromium (browser tests) and CJK fonts (pages and documents render).
APT_INSTALL = if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || { echo "apt-get install failed:$$missing" >&2; exit 1; }; \
	  else echo "Please install: sudo apt-get install$$missing" >&2; exit 1; fi; \
	fi

system-deps:
	@missing=""; command -v msgfmt >/dev/null || missing=" gettext"; $(APT_INSTALL)

test-deps: system-deps
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium chromium-driver"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	$(APT_INSTALL)

$(VENV)/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

bootstrap: system-deps $(VENV)/.synced messages

messages: $(VENV)/.synced
	@$(MANAGE) compilemessages -v0 --ignore=.venv --ignore=var --ignore=node_modules

demo: bootstrap
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) demo_setup
	$(MANAGE) rundemo

lint: $(VENV)/.synced
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck: $(VENV)/.synced
	$(VENV)/bin/mypy assessment indicators townships

check: lint typecheck
	$(MANAGE) makemigrations --check --dry-run -v0
	$(MANAGE) check --fail-level WARNING

pytest: bootstrap test-deps
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider $(PYTEST_ARGS)

test: bootstrap check pytest

bench: bench-engine bench-pipeline

bench-engine: bootstrap
	$(PY) -m bench.bench_engine $(BENCH_ARGS)

# One county through import, compute and export on a throwaway PostgreSQL
# database (created and dropped on the server; default 127.0.0.1:5432).
bench-pipeline: bootstrap
	$(PY) -m bench.bench_pipeline $(BENCH_ARGS)

clean:
	rm -rf var/ .venv/ .mypy_cache .ruff_cache
