#!/usr/bin/env bash
# `make faults`: run the fault tests against an Elasticsearch and a Redis of their own (other ports),
# which the tests stop and start, then print the report of what was killed and what was checked.
set -euo pipefail
cd "$(dirname "$0")/.."
export ES_PORT="${FAULT_ES_PORT:-9201}" REDIS_PORT="${FAULT_REDIS_PORT:-6380}"
unset ELASTICSEARCH_URL REDIS_URL
bash scripts/es-start.sh
bash scripts/redis-start.sh
mkdir -p instance
export FAULTS_REPORT="$PWD/instance/faults-report.txt"
rm -f "$FAULTS_REPORT"
status=0
ELASTICSEARCH_URL="http://127.0.0.1:$ES_PORT" REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" \
  env -u DATABASE_URL .venv/bin/python -m pytest -m faults tests/faults tests/finance/test_worker_killed.py \
  || status=$?
echo
echo "== fault report =="
cat "$FAULTS_REPORT" 2>/dev/null || echo "(no report written)"
bash scripts/services-stop.sh elasticsearch redis
exit "$status"
