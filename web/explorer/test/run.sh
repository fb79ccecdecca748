#!/usr/bin/env bash
# Browser tests of the explorer (/explore) and the playground (/) in real headless
# Chromium: builds the server, starts it on a free loopback port with a fresh
# embedded store (the seed graph loads on first start), waits for /readyz, runs
# web/explorer/test/*.test.mjs with node --test, and stops the server.
#
#   web/explorer/test/run.sh
#
# Environment:
#   ARTIFACTS_DIR   screenshots, downloads and the server log (default /tmp/actorgraph-artifacts)
#   CHROMIUM        the browser (default /usr/bin/chromium; Debian package "chromium")
#   ACTORGRAPH_BIN  test this binary instead of building ./cmd/actorgraph
# Exits non-zero when a test fails or the server does not come up.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
web="$(cd "$here/.." && pwd)"
repo="$(cd "$web/../.." && pwd)"
export ARTIFACTS_DIR="${ARTIFACTS_DIR:-/tmp/actorgraph-artifacts}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
mkdir -p "$ARTIFACTS_DIR"

if [[ ! -x $CHROMIUM ]]; then
  echo "run.sh: no browser at $CHROMIUM (apt-get install -y chromium, or set CHROMIUM)" >&2
  exit 1
fi
if [[ ! -f $web/node_modules/playwright-core/package.json ]]; then
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

tmp="$(mktemp -d)"
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

bin="${ACTORGRAPH_BIN:-}"
if [[ -z $bin ]]; then
  (cd "$repo" && go build -o "$tmp/actorgraph" ./cmd/actorgraph)
  bin="$tmp/actorgraph"
fi

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
base="http://127.0.0.1:$port"
# The embedded store on a fresh data dir, whatever the caller's environment
# says (CI exports NEO4J_URI for the Go tests; the browser tests need the
# seed graph exactly).
env -u NEO4J_URI -u NEO4J_USER -u NEO4J_PASSWORD -u NEO4J_DATABASE -u ACTORGRAPH_KEYS_FILE -u ACTORGRAPH_API_KEYS \
  "$bin" serve --listen "127.0.0.1:$port" --data-dir "$tmp/data" >"$ARTIFACTS_DIR/server.log" 2>&1 &
pid=$!

# status URL prints the HTTP status of a GET, or 000 when nothing answers.
status() {
  node -e 'fetch(process.argv[1]).then(r=>console.log(r.status),()=>console.log("000"))' "$1"
}
for i in $(seq 1 120); do
  if [[ $(status "$base/readyz") == 200 ]]; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "run.sh: the server exited; its log:" >&2
    cat "$ARTIFACTS_DIR/server.log" >&2
    exit 1
  fi
  if [[ $i == 120 ]]; then
    echo "run.sh: $base/readyz not ready after 60 s" >&2
    exit 1
  fi
  sleep 0.5
done
if [[ $(status "$base/explore") != 200 ]]; then
  echo "run.sh: $base/explore is not served: mount explorer.Handler() in internal/server (see internal/explorer)" >&2
  exit 1
fi

echo "run.sh: server at $base; artifacts in $ARTIFACTS_DIR" >&2
cd "$web"
BASE_URL="$base" node --test --test-concurrency=1 --test-timeout=120000 --test-reporter=spec test/
