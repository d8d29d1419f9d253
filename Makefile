# Torchfin: `make demo` serves the platform with demo data; `make test` runs the suite.
SHELL := /bin/bash
PY := .venv/bin/python
FLASK := .venv/bin/flask --app wsgi
PG_TEST_URL := postgresql+psycopg://torchfin@127.0.0.1:5433/torchfin_test

.PHONY: demo cluster test test-sqlite test-postgres faults services bootstrap lint stop

bootstrap:
	bash scripts/bootstrap.sh

services: bootstrap
	bash scripts/es-start.sh
	bash scripts/redis-start.sh

demo: services
	bash scripts/demo.sh

# The demo on a three-node Elasticsearch cluster (9200-9202), PostgreSQL, Redis and two workers.
cluster: bootstrap
	bash scripts/cluster.sh

test: services
	bash scripts/browser-deps.sh
	[ -n "$${TEST_POSTGRES_URL:-}" ] || bash scripts/pg-start.sh
	$(MAKE) --no-print-directory test-sqlite test-postgres

# Each pass runs in PYTEST_WORKERS parallel processes (default 3), then the `serial` tests alone.
test-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL bash scripts/test-suite.sh

test-postgres:
	@echo "== test suite on PostgreSQL =="
	DATABASE_URL=$${TEST_POSTGRES_URL:-$(PG_TEST_URL)} bash scripts/test-suite.sh

faults: bootstrap
	bash scripts/faults.sh

lint: bootstrap
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache

stop:
	bash scripts/services-stop.sh
