#!/usr/bin/env bash
# `make cluster`: the demo as a national deployment runs it, on one machine: a three-node
# Elasticsearch cluster (HTTP 9200-9202, transport 9300-9302, 512 MB heap each) whose indices have
# 3 primaries and 1 replica, PostgreSQL (database `torchfin`), Redis, two RQ workers and gunicorn.
# Stop a `make demo` first: its single node holds port 9200. `make stop` stops the servers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.env
export ES_NODES=3
bash scripts/es-start.sh
bash scripts/redis-start.sh
bash scripts/pg-start.sh
nodes=""
for i in 0 1 2; do nodes+="${nodes:+,}http://127.0.0.1:$((ES_PORT + i))"; done
export ELASTICSEARCH_URL="$nodes" SEARCH_SHARDS="${SEARCH_SHARDS:-3}" SEARCH_REPLICAS="${SEARCH_REPLICAS:-1}"
export DATABASE_URL="postgresql+psycopg://torchfin@127.0.0.1:$PG_PORT/torchfin"
# Its own queues, so jobs left in Redis by a single-node demo never reach these workers.
export RQ_QUEUE_PREFIX=torchfin-cluster DEMO_WORKERS=2
echo "cluster: Elasticsearch $ELASTICSEARCH_URL ($SEARCH_SHARDS shards, $SEARCH_REPLICAS replica),"\
  "PostgreSQL ${DATABASE_URL#*@}, $DEMO_WORKERS workers"
exec bash scripts/demo.sh
