#!/usr/bin/env bash
# Runs the Python client's tests against real servers on both stores:
# the embedded store (seeded on first start) and, when NEO4J_URI is set,
# Neo4j loaded with the same graph (exported as JSON from the first server,
# imported with `actorgraph import --format json`).
# Usage: clients/python/run_tests.sh PYTHON   (a python with the client and pytest)
# With NOTEBOOK_ON_NEO4J=1 (CI) the analyst notebook also runs against the
# Neo4j server (examples/run_notebook.sh --url; it runs on the embedded store
# by itself).
set -euo pipefail
py=${1:?usage: run_tests.sh PYTHON}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
go build -o "$tmp/actorgraph" "$root/cmd/actorgraph"

wait_up() { for _ in $(seq 1 120); do curl -sf "$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "server at $1 did not start"; return 1; }

port=$((20000 + RANDOM % 20000))
NEO4J_URI= "$tmp/actorgraph" serve --listen "127.0.0.1:$port" --data-dir "$tmp/data" >"$tmp/embedded.log" 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$port"
echo "python client tests, embedded store"
ACTORGRAPH_URL="http://127.0.0.1:$port" "$py" -m pytest -q "$root/clients/python/tests"

if [ -n "${NEO4J_URI:-}" ]; then
  # The tests expect the seed graph alone, and the Go tests leave their data
  # in the launcher's Neo4j: restart it (neo4jctl wipes its database on every
  # start). A Neo4j of your own must be empty.
  if [ -n "${NEO4J_STATE_DIR:-}" ] && [ -f "$NEO4J_STATE_DIR/neo4j.pid" ]; then
    "$root/neo4j-launcher/neo4jctl" stop >/dev/null
    uri_line=$("$root/neo4j-launcher/neo4jctl" start)
    export "${uri_line?}"
  fi
  curl -sf "http://127.0.0.1:$port/export/json" >"$tmp/graph.json"
  # A generous transaction timeout: the whole seed is one batch, and a
  # freshly started Neo4j on a busy CI machine can take longer than 10s.
  "$tmp/actorgraph" import --neo4j-tx-timeout 60s --format json "$tmp/graph.json" >/dev/null
  nport=$((port + 1))
  "$tmp/actorgraph" serve --listen "127.0.0.1:$nport" >"$tmp/neo4j.log" 2>&1 &
  pids+=($!)
  wait_up "http://127.0.0.1:$nport"
  echo "python client tests, Neo4j"
  ACTORGRAPH_URL="http://127.0.0.1:$nport" "$py" -m pytest -q "$root/clients/python/tests"
  if [ "${NOTEBOOK_ON_NEO4J:-}" = 1 ]; then
    echo "analyst notebook, Neo4j"
    ACTORGRAPH_API_KEY= ARTIFACTS_DIR="${ARTIFACTS_DIR:-/tmp/actorgraph-artifacts}/neo4j" \
      "$root/examples/run_notebook.sh" --url "http://127.0.0.1:$nport"
  fi
fi
