#!/usr/bin/env bash
# Serve the platform on http://127.0.0.1:5000 with demo data and a running RQ worker.
# Assumes `make services` ran (Elasticsearch and Redis up). Ctrl-C stops the server and the worker.
set -euo pipefail
cd "$(dirname "$0")/.."
flask=(.venv/bin/flask --app wsgi)

echo "demo: applying database migrations"
"${flask[@]}" db upgrade

echo "demo: seeding demo data (skipped when already seeded) and indexing"
"${flask[@]}" demo seed

mkdir -p instance
echo "demo: starting the RQ worker (log: instance/worker.log)"
"${flask[@]}" rq worker >instance/worker.log 2>&1 &
worker=$!
echo "demo: starting the periodic job scheduler (log: instance/cron.log)"
"${flask[@]}" rq cron >instance/cron.log 2>&1 &
cron=$!
trap 'kill "$worker" "$cron" 2>/dev/null || true' EXIT INT TERM

echo "demo: serving on http://127.0.0.1:5000 (API docs: http://127.0.0.1:5000/api/v1/docs)"
.venv/bin/gunicorn --bind 127.0.0.1:5000 --workers 2 --threads 4 --access-logfile - wsgi:app
