#!/usr/bin/env bash
# Stop the local services that scripts/{es,redis,pg}-start.sh started, and only those: found through their
# pid files / data directory under $SERVICES_DIR. Servers reached through ELASTICSEARCH_URL, REDIS_URL or
# DATABASE_URL, or started by anything else, are left alone.
# Usage: scripts/services-stop.sh [elasticsearch|redis|postgres ...]   (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.env
root="$PWD/$SERVICES_DIR"

# stop_pidfile NAME PIDFILE EXPECTED_COMMAND: SIGTERM the process named in PIDFILE if it is still that
# program (guards against a recycled pid), then wait up to 60 s for it to exit.
stop_pidfile() {
  local name="$1" pidfile="$2" expected="$3" pid comm
  if [ ! -f "$pidfile" ]; then
    echo "$name: not running (no $pidfile)"; return 0
  fi
  pid="$(tr -dc 0-9 <"$pidfile")"
  comm="$(ps -o comm= -p "${pid:-0}" 2>/dev/null || true)"
  if [ -z "$pid" ] || [ -z "$comm" ]; then
    echo "$name: not running (stale $pidfile)"; rm -f "$pidfile"; return 0
  fi
  case "$comm" in
    *"$expected"*) ;;
    *) echo "$name: pid $pid in $pidfile is '$comm', not $expected; leaving it alone" >&2; return 1 ;;
  esac
  echo "$name: stopping pid $pid"
  kill -TERM "$pid"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; echo "$name: stopped"; return 0; }
    sleep 0.5
  done
  echo "$name: pid $pid still running after 60 s" >&2
  return 1
}

# The single node on ES_PORT, or every node of a cluster started from it (`make cluster`).
stop_elasticsearch() {
  local dir status=0
  for dir in "$root/elasticsearch/node-$ES_PORT" "$root"/elasticsearch/cluster-node-{$ES_PORT,$((ES_PORT + 1)),$((ES_PORT + 2))}; do
    [ -d "$dir" ] || continue
    stop_pidfile "elasticsearch ($(basename "$dir"))" "$dir/es.pid" java || status=1
  done
  [ -d "$root/elasticsearch/node-$ES_PORT" ] || [ -d "$root/elasticsearch/cluster-node-$ES_PORT" ] \
    || echo "elasticsearch: not running (nothing started on $ES_PORT)"
  return $status
}
stop_redis() { stop_pidfile redis "$root/redis-$REDIS_PORT/redis.pid" redis-server; }

stop_postgres() {
  local data="$root/postgres/data" pg_ctl
  if [ ! -f "$data/postmaster.pid" ]; then
    echo "postgres: not running (no $data/postmaster.pid)"; return 0
  fi
  pg_ctl="$(ls -d /usr/lib/postgresql/"$(cat "$data/PG_VERSION")"/bin/pg_ctl 2>/dev/null || command -v pg_ctl || true)"
  [ -n "$pg_ctl" ] || { echo "postgres: pg_ctl not found" >&2; return 1; }
  local run_as=()
  [ "$(id -u)" != 0 ] || run_as=(runuser -u "$(stat -c %U "$data")" --)
  if ! (cd / && "${run_as[@]}" "$pg_ctl" -D "$data" status >/dev/null 2>&1); then
    echo "postgres: not running (stale postmaster.pid)"; return 0
  fi
  echo "postgres: stopping cluster $data"
  (cd / && "${run_as[@]}" "$pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null)
  echo "postgres: stopped"
}

services=("$@")
[ ${#services[@]} -gt 0 ] || services=(elasticsearch redis postgres)
status=0
for service in "${services[@]}"; do
  case "$service" in
    elasticsearch|es) stop_elasticsearch || status=1 ;;
    redis) stop_redis || status=1 ;;
    postgres|postgresql|pg) stop_postgres || status=1 ;;
    *) echo "services-stop: unknown service '$service' (elasticsearch, redis, postgres)" >&2; status=1 ;;
  esac
done
exit $status
