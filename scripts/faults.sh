#!/usr/bin/env bash
# `make faults`: run the fault tests against an Elasticsearch and a Redis of their own (other ports),
# which the tests stop and start, then the node-loss test against a three-node cluster of its own;
# print the report of what was killed and what was checked.
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
  env -u DATABASE_URL .venv/bin/python -m pytest -m "faults and not cluster" \
  tests/faults tests/finance/test_worker_killed.py || status=$?
bash scripts/services-stop.sh elasticsearch

# A node lost under load: a three-node cluster of its own (HTTP 9211-9213, transport 9311-9313),
# indices with 3 primaries and 1 replica, the client given every node.
export ES_PORT="${FAULT_CLUSTER_PORT:-9211}" ES_NODES=3
bash scripts/es-start.sh
nodes="http://127.0.0.1:$ES_PORT,http://127.0.0.1:$((ES_PORT + 1)),http://127.0.0.1:$((ES_PORT + 2))"
ELASTICSEARCH_URL="$nodes" SEARCH_SHARDS=3 SEARCH_REPLICAS=1 REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" \
  env -u DATABASE_URL .venv/bin/python -m pytest -m "faults and cluster" tests/faults || status=$?
echo
echo "== fault report =="
cat "$FAULTS_REPORT" 2>/dev/null || echo "(no report written)"
bash scripts/services-stop.sh elasticsearch redis
exit "$status"
