#!/usr/bin/env bash
# Fetch (from Maven Central), unpack and start Elasticsearch on 127.0.0.1, then wait until healthy:
# one single-node server on $ES_PORT, or with ES_NODES=3 (`make cluster`) a cluster of three nodes
# on HTTP ports $ES_PORT.. and transport ports $ES_TRANSPORT_PORT.., each with its own folder.
# A node already answering on its port is left as it is, so this also restarts one lost node.
# Does nothing when ELASTICSEARCH_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.env
source scripts/lib.sh
if [ -n "${ELASTICSEARCH_URL:-}" ]; then
  echo "elasticsearch: using ELASTICSEARCH_URL=$ELASTICSEARCH_URL"; exit 0
fi
nodes="$ES_NODES"
url="http://127.0.0.1:$ES_PORT"
# answers PORT: some HTTP server listens on PORT (a node that lost its cluster still answers, 503).
answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/")" != 000 ]; }
# cluster_of PORT: the name of the cluster of the node on PORT (empty when it cannot say).
cluster_of() {
  curl -fsS "http://127.0.0.1:$1/_nodes/_local?filter_path=cluster_name" 2>/dev/null \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["cluster_name"])' 2>/dev/null || true
}
cluster_name="elasticsearch"
[ "$nodes" = 1 ] || cluster_name="torchfin-$ES_PORT"
# A server of another shape on one of the ports (the single node where a cluster is wanted, or
# the reverse) would never form the cluster asked for: say so instead of waiting for it.
for i in $(seq 0 $((nodes - 1))); do
  found="$(cluster_of $((ES_PORT + i)))"
  if [ -n "$found" ] && [ "$found" != "$cluster_name" ]; then
    echo "elasticsearch: port $((ES_PORT + i)) answers for cluster '$found', not '$cluster_name';" \
      "stop it first (make stop)" >&2
    exit 1
  fi
done
if [ "$nodes" = 1 ] && answers "$ES_PORT"; then
  echo "elasticsearch: already running at $url"; exit 0
fi

root="$PWD/$SERVICES_DIR/elasticsearch"
home="$root/elasticsearch-$ES_VERSION"
zip="$root/elasticsearch-$ES_VERSION.zip"
for i in $(seq 0 $((nodes - 1))); do mkdir -p "$(es_node_dir "$root" "$nodes" $((ES_PORT + i)))"; done

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
  make_traversable torchfin-es "$root"
  run_as=(runuser -u torchfin-es --)
fi

# start_node PORT TRANSPORT_PORT: one server process with its data, logs and pid in its node folder.
start_node() {
  local port="$1" transport="$2" node discovery=()
  node="$(es_node_dir "$root" "$nodes" "$port")"
  if [ "$nodes" = 1 ]; then
    discovery=(-E discovery.type=single-node)
  else
    local seeds="" masters="" i
    for i in $(seq 0 $((nodes - 1))); do
      seeds+="${seeds:+,}127.0.0.1:$((ES_TRANSPORT_PORT + i))"
      masters+="${masters:+,}node-$((ES_PORT + i))"
    done
    discovery=(-E cluster.name="$cluster_name" -E node.name="node-$port"
      -E discovery.seed_hosts="$seeds" -E transport.port="$transport")
    # Only a cluster's very first start may name its initial masters; later starts rejoin it.
    [ -d "$node/data/_state" ] || discovery+=(-E cluster.initial_master_nodes="$masters")
  fi
  echo "elasticsearch: starting $ES_VERSION on http://127.0.0.1:$port (JDK $java_home)"
  "${run_as[@]}" env ES_JAVA_HOME="$java_home" JAVA_HOME="$java_home" ES_JAVA_OPTS="$ES_HEAP" \
    "$home/bin/elasticsearch" -d -p "$node/es.pid" \
    "${discovery[@]}" -E xpack.security.enabled=false \
    -E network.host=127.0.0.1 -E http.port="$port" \
    -E path.data="$node/data" -E path.logs="$node/logs" \
    -E cluster.routing.allocation.disk.threshold_enabled=false >"$node/startup.log" 2>&1 \
    || { echo "elasticsearch: failed to start; see $node/startup.log" >&2; tail -20 "$node/startup.log" >&2; exit 1; }
}

for i in $(seq 0 $((nodes - 1))); do
  answers $((ES_PORT + i)) || start_node $((ES_PORT + i)) $((ES_TRANSPORT_PORT + i))
done

# Yellow: every primary is assigned, so every document can be written and read.
for _ in $(seq 1 180); do
  if curl -fsS "$url/_cluster/health?wait_for_status=yellow&wait_for_nodes=$nodes&timeout=1s" >/dev/null 2>&1; then
    echo "elasticsearch: healthy at $url ($nodes node(s))"; exit 0
  fi
  sleep 1
done
echo "elasticsearch: $nodes node(s) did not become healthy in 180 s; see $root/*node-*/logs" >&2
exit 1
