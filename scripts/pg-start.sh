#!/usr/bin/env bash
# Create (initdb, once) and start a local PostgreSQL cluster under $SERVICES_DIR/postgres, listening only on
# 127.0.0.1:$PG_PORT with trust auth, then create the role `torchfin` and the databases `torchfin` and
# `torchfin_test` it owns. Always manages this local cluster; callers decide whether to use it
# (export the printed DATABASE_URL). Installs Debian's `postgresql` package when no server binaries exist.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.env
source scripts/lib.sh

root="$PWD/$SERVICES_DIR/postgres"
data="$root/data"
logs="$root/log"
url="postgresql+psycopg://torchfin@127.0.0.1:$PG_PORT/torchfin_test"

find_bindir() {
  local dir
  # Newest Debian major first (sort -V), then whatever initdb is on PATH.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(readlink -f "$(command -v initdb)")"
  fi
}

bindir="$(find_bindir)"
if [ -z "$bindir" ]; then
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "postgres: no PostgreSQL server binaries and we are not root; install Debian's postgresql package" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "postgres: installing Debian's postgresql package (apt-get)"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bindir="$(find_bindir)"
  [ -n "$bindir" ] || { echo "postgres: installed postgresql but found no initdb/pg_ctl" >&2; exit 1; }
fi
for tool in initdb pg_ctl pg_isready psql; do
  [ -x "$bindir/$tool" ] || { echo "postgres: $bindir/$tool is missing" >&2; exit 1; }
done

# initdb and postgres refuse to run as root: as root, run them as the `postgres` system user.
run_as=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "postgres: creating system user postgres"
    useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home --shell /bin/bash postgres
  fi
  run_as=(runuser -u postgres --)
fi

mkdir -p "$root" "$logs"
if [ "$(id -u)" = 0 ]; then
  chown postgres "$root" "$logs"
  make_traversable postgres "$root"
fi

pg() { (cd / && "${run_as[@]}" "$bindir/$@"); }

if [ ! -f "$data/PG_VERSION" ]; then
  echo "postgres: initdb $data (PostgreSQL $("$bindir/postgres" --version | awk '{print $3}'), UTF8, trust auth)"
  pg initdb -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$logs/initdb.log" \
    || { echo "postgres: initdb failed; see $logs/initdb.log" >&2; exit 1; }
  echo "include_if_exists = 'torchfin.conf'" >>"$data/postgresql.conf"
fi

# Settings owned by this script, rewritten on every start so a changed PG_PORT takes effect.
conf="listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''"
if [ "$(cat "$data/torchfin.conf" 2>/dev/null)" != "$conf" ]; then
  printf '%s\n' "$conf" >"$data/torchfin.conf"
  [ "$(id -u)" != 0 ] || chown postgres "$data/torchfin.conf"
fi

if pg pg_ctl -D "$data" status >/dev/null 2>&1; then
  echo "postgres: already running (cluster $data)"
elif "$bindir/pg_isready" -q -U postgres -d postgres -h 127.0.0.1 -p "$PG_PORT"; then
  # Like es-start.sh and redis-start.sh: a server already answering on the port is used as it is
  # (for example the cluster of another checkout); the role and databases are ensured below.
  echo "postgres: a server already listens on 127.0.0.1:$PG_PORT; using it"
else
  echo "postgres: starting on 127.0.0.1:$PG_PORT (log $logs/postgres.log)"
  pg pg_ctl -D "$data" -l "$logs/postgres.log" -w -t 60 start >/dev/null \
    || { echo "postgres: pg_ctl start failed; see $logs/postgres.log" >&2; exit 1; }
fi

for _ in $(seq 1 60); do
  "$bindir/pg_isready" -q -U postgres -d postgres -h 127.0.0.1 -p "$PG_PORT" && break
  sleep 0.5
done
"$bindir/pg_isready" -q -U postgres -d postgres -h 127.0.0.1 -p "$PG_PORT" \
  || { echo "postgres: not accepting connections on 127.0.0.1:$PG_PORT after 30 s; see $logs/postgres.log" >&2; exit 1; }

sql() { "$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }
if [ -z "$(sql "SELECT 1 FROM pg_roles WHERE rolname = 'torchfin'")" ]; then
  echo "postgres: creating role torchfin"
  sql "CREATE ROLE torchfin LOGIN CREATEDB"
fi
for db in torchfin torchfin_test; do
  if [ -z "$(sql "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    echo "postgres: creating database $db owned by torchfin"
    sql "CREATE DATABASE $db OWNER torchfin ENCODING 'UTF8'"
  fi
done

echo "postgres: ready; use DATABASE_URL=$url"
