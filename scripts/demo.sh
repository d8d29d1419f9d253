#!/usr/bin/env bash
# Serve the platform on http://127.0.0.1:5000 with demo data and running RQ workers.
# Assumes `make services` (or `make cluster`'s servers) ran. Ctrl-C stops the server and the workers.
set -euo pipefail
cd "$(dirname "$0")/.."
flask=(.venv/bin/flask --app wsgi)

echo "demo: applying database migrations"
"${flask[@]}" db upgrade

echo "demo: seeding demo data (skipped when already seeded) and indexing"
"${flask[@]}" demo seed

mkdir -p instance
# DEMO_WORKERS RQ workers (default 1; `make cluster` runs 2), each with its own log.
workers=()
for n in $(seq 1 "${DEMO_WORKERS:-1}"); do
  log="instance/worker.log"
  [ "$n" = 1 ] || log="instance/worker-$n.log"
  echo "demo: starting RQ worker $n (log: $log)"
  "${flask[@]}" rq worker >"$log" 2>&1 &
  workers+=($!)
done
echo "demo: starting the periodic job scheduler (log: instance/cron.log)"
"${flask[@]}" rq cron >instance/cron.log 2>&1 &
cron=$!
trap 'kill "${workers[@]}" "$cron" 2>/dev/null || true' EXIT INT TERM

# Money moves as worker jobs, so this needs the worker; a second run leaves finished work alone.
echo "demo: guarantee cases and risk-compensation pools, paid through the worker"
"${flask[@]}" demo finance
# Scoring 3,000 x 600 takes a minute or more on the worker: the pages are served meanwhile.
# `demo deals` waits for the run itself (`flask match status` shows its progress).
echo "demo: scoring matches, then the investor's demo deals, in the background" \
  "(log: instance/demo-matches.log)"
("${flask[@]}" match rescore --no-follow && "${flask[@]}" demo deals) \
  >instance/demo-matches.log 2>&1 &
matching=$!
# Background jobs of a script ignore Ctrl-C: stop the scoring's commands, then their subshell.
trap 'kill "${workers[@]}" "$cron" 2>/dev/null; pkill -P "$matching" 2>/dev/null;
  kill "$matching" 2>/dev/null || true' EXIT INT TERM

echo "demo: serving on http://127.0.0.1:5000 (API docs: http://127.0.0.1:5000/api/v1/docs)"
.venv/bin/gunicorn --bind 127.0.0.1:5000 --workers 2 --threads 4 --access-logfile - wsgi:app
