# Shell functions shared by the service scripts (sourced, not run).

# make_traversable USER DIR: a server running as USER must reach DIR, so every folder above it
# gets o+x where USER cannot enter it yet (a clone under /root, a 750 home directory).
make_traversable() {
  local user="$1" dir="$2"
  while [ "$dir" != / ]; do
    dir="$(dirname "$dir")"
    if ! runuser -u "$user" -- test -x "$dir"; then
      echo "making $dir traversable (chmod o+x) for user $user"
      chmod o+x "$dir"
    fi
  done
}

# es_node_dir ROOT NODES PORT: the folder of the Elasticsearch node on PORT (data, logs, pid). A cluster
# node's folder differs from the single node's on the same port: their data belong to different clusters.
es_node_dir() {
  if [ "$2" = 1 ]; then echo "$1/node-$3"; else echo "$1/cluster-node-$3"; fi
}
