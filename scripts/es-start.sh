#!/usr/bin/env bash
# Fetch (from Maven Central), unpack and start a single-node Elasticsearch on 127.0.0.1, then wait until healthy.
# Does nothing when ELASTICSEARCH_URL is set or the server already answers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.env
source scripts/lib.sh
if [ -n "${ELASTICSEARCH_URL:-}" ]; then
  echo "elasticsearch: using ELASTICSEARCH_URL=$ELASTICSEARCH_URL"; exit 0
fi
url="http://127.0.0.1:$ES_PORT"
if curl -fsS "$url/_cluster/health" >/dev/null 2>&1; then
  echo "elasticsearch: already running at $url"; exit 0
fi

root="$PWD/$SERVICES_DIR/elasticsearch"
node="$root/node-$ES_PORT"  # data, logs and pid of the server on this port
home="$root/elasticsearch-$ES_VERSION"
zip="$root/elasticsearch-$ES_VERSION.zip"
mkdir -p "$root" "$node"

java_home=""
for candidate in /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/temurin-[3-9]* /usr/lib/jvm/java-2[1-9]-* /usr/lib/jvm/java-[3-9][0-9]-*; do
  if [ -x "$candidate/bin/java" ]; then java_home="$candidate"; break; fi
done
if [ -z "$java_home" ]; then
  echo "elasticsearch: no JDK 21+ under /usr/lib/jvm; install one (e.g. apt-get install openjdk-21-jdk-headless)" >&2; exit 1
fi

if [ ! -d "$home" ]; then
  if [ ! -f "$zip" ]; then
    echo "elasticsearch: fetching $ES_VERSION from Maven Central"
    command -v mvn >/dev/null || { echo "elasticsearch: mvn is required to fetch the distribution" >&2; exit 1; }
    mvn -q dependency:copy \
      -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
      -DoutputDirectory="$root" -Dmdep.stripVersion=false
  fi
  echo "elasticsearch: unpacking into $home"
  (cd "$root" && python3 -m zipfile -e "$zip" . && chmod +x "$home"/bin/*)
fi

# Elasticsearch refuses to run as root: run it as an unprivileged system user that owns its folders.
run_as=()
if [ "$(id -u)" = 0 ]; then
  id torchfin-es >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin torchfin-es
  chown -R torchfin-es "$root"
  make_traversable torchfin-es "$node"
  run_as=(runuser -u torchfin-es --)
fi

echo "elasticsearch: starting $ES_VERSION on $url (JDK $java_home)"
"${run_as[@]}" env ES_JAVA_HOME="$java_home" JAVA_HOME="$java_home" ES_JAVA_OPTS="-Xms512m -Xmx512m" \
  "$home/bin/elasticsearch" -d -p "$node/es.pid" \
  -E discovery.type=single-node -E xpack.security.enabled=false \
  -E network.host=127.0.0.1 -E http.port="$ES_PORT" \
  -E path.data="$node/data" -E path.logs="$node/logs" \
  -E cluster.routing.allocation.disk.threshold_enabled=false >"$node/startup.log" 2>&1 \
  || { echo "elasticsearch: failed to start; see $node/startup.log" >&2; tail -20 "$node/startup.log" >&2; exit 1; }

for _ in $(seq 1 120); do
  if curl -fsS "$url/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; then
    echo "elasticsearch: healthy at $url"; exit 0
  fi
  sleep 1
done
echo "elasticsearch: did not become healthy in 120 s; see $node/logs" >&2
exit 1
