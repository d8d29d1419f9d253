#!/usr/bin/env bash
# Start a throw-away Redis (Debian's redis-server, installed with apt-get when missing) on 127.0.0.1,
# daemonized, without persistence, with its pid/log/dir under $SERVICES_DIR/redis; wait for PONG.
# Does nothing when REDIS_URL is set or something already answers PING on 127.0.0.1:$REDIS_PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.env
if [ -n "${REDIS_URL:-}" ]; then
  echo "redis: using REDIS_URL=$REDIS_URL"; exit 0
fi
url="redis://127.0.0.1:$REDIS_PORT/0"

ping() { command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

if ping; then
  echo "redis: already running at $url"; exit 0
fi

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "redis: redis-server is missing and we are not root; install Debian's redis-server package" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "redis: installing Debian's redis-server package (apt-get)"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  # The package may start a system-wide server on the default port.
  if ping; then
    echo "redis: already running at $url (started by the package)"; exit 0
  fi
fi

root="$PWD/$SERVICES_DIR/redis-$REDIS_PORT"
mkdir -p "$root"
echo "redis: starting $(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p') on $url (dir $root, no persistence)"
redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
  --dir "$root" --pidfile "$root/redis.pid" --logfile "$root/redis.log" \
  --save "" --appendonly no

for _ in $(seq 1 60); do
  if ping; then
    echo "redis: ready at $url"; exit 0
  fi
  sleep 0.5
done
echo "redis: no PONG on 127.0.0.1:$REDIS_PORT after 30 s; see $root/redis.log" >&2
exit 1
