#!/usr/bin/env bash
# Side by side, in one run, on one Neo4j: the harness of ../shared/bench/peer-neo4j-graphql
# ((a) @neo4j/graphql under Apollo, (b) hand Cypher and (c) the library's Cypher through the Go
# driver) and actorgraph on the same generated graph ((d) `actorgraph serve` on that Neo4j, (e) on
# the embedded store), the same four questions, ../shared/bench/loadgen for every load.
#
#   bench/peer/run.sh                # SIZES="small large", C_LIST="1 8", D=10s W=3s; prints the table
#   bench/peer/run.sh smoke          # CI: 200 actors / 2,000 relations, -c 8 only, 1 s loads
#
# Knobs (env): SIZES, C_LIST, D, W, PREWARM (per variant, first size only; 0 = none), RES (results
# dir, default bench/peer/results), NEO_PORT=17690 GQL_PORT=17691 AG_PORT=17692 AGE_PORT=17693,
# PPROF=1 (also write a 15 s CPU profile of each actorgraph server under -c 8 Q2 load to RES).
# The harness is used as it is: its files are copied to a cache dir (../shared is read-only) where
# `npm ci` and the Neo4j prototype's Maven build run once. Without ../shared/bench the run is
# skipped (exit 0), except under CI=true where that is an error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shared=${PEER_SHARED:-$repo/../shared/bench}
if [ ! -f "$shared/peer-neo4j-graphql/gen.mjs" ]; then
    if [ "${CI:-}" = true ]; then echo "peer bench: $shared is missing" >&2; exit 1; fi
    echo "peer bench: skipped ($shared absent)" >&2; exit 0
fi
shared=$(cd "$shared" && pwd)

if [ "${1:-}" = smoke ]; then
    SIZES=${SIZES:-smoke}; C_LIST=${C_LIST:-8}; D=${D:-1s}; W=${W:-1s}; PREWARM=${PREWARM:-0}
fi
SIZES=${SIZES:-small large}; C_LIST=${C_LIST:-1 8}; D=${D:-10s}; W=${W:-3s}; PREWARM=${PREWARM:-3s}
NEO_PORT=${NEO_PORT:-17690}; GQL_PORT=${GQL_PORT:-17691}; AG_PORT=${AG_PORT:-17692}; AGE_PORT=${AGE_PORT:-17693}
RES=${RES:-$here/results}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/actorgraph/peerbench
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
stop_pid() { kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
wait_for() { # wait_for LOG PATTERN PID: until PATTERN is in LOG (the process must stay alive)
    for _ in $(seq 1 300); do grep -q "$2" "$1" && return 0; kill -0 "$3" 2>/dev/null || break; sleep 1; done
    tail -30 "$1" >&2; return 1
}

# The harness, as it is, in the cache: node_modules and the Neo4j build survive between runs.
mkdir -p "$cache/peer" "$cache/neo4j-proto"
if ! cmp -s "$shared/peer-neo4j-graphql/package-lock.json" "$cache/peer/package-lock.json"; then
    rm -rf "$cache/peer/node_modules"
fi
cp -f "$shared"/peer-neo4j-graphql/{package.json,package-lock.json,*.mjs} "$cache/peer/"
rm -rf "$cache/peer/queries" && cp -r "$shared/peer-neo4j-graphql/queries" "$cache/peer/queries"
chmod -R u+w "$cache/peer"
[ -d "$cache/peer/node_modules" ] || (cd "$cache/peer" && npm ci --no-audit --no-fund --loglevel=error >&2)
if ! cmp -s "$shared/neo4j-proto/pom.xml" "$cache/neo4j-proto/pom.xml" || [ ! -f "$cache/neo4j-proto/target/cp.txt" ]; then
    rm -rf "$cache/neo4j-proto" && cp -r "$shared/neo4j-proto" "$cache/neo4j-proto" && chmod -R u+w "$cache/neo4j-proto"
fi
go build -C "$shared/loadgen" -o "$work/loadgen" .
go build -C "$repo" -o "$work/actorgraph" ./cmd/actorgraph
go build -C "$repo" -o "$work/peer" ./bench/peer
LG=$work/loadgen AG=$work/actorgraph PEER=$work/peer
NEO=bolt://127.0.0.1:$NEO_PORT

echo "starting Neo4j (the harness's neo4j-proto) on 127.0.0.1:$NEO_PORT" >&2
"$cache/neo4j-proto/run.sh" "$NEO_PORT" "$work/neo4j-home" >"$work/neo4j.log" 2>&1 &
neo_pid=$!; pids+=("$neo_pid")
wait_for "$work/neo4j.log" NEO4J_READY "$neo_pid"
echo "starting @neo4j/graphql on 127.0.0.1:$GQL_PORT" >&2
(cd "$cache/peer" && NEO4J_URI=$NEO PORT=$GQL_PORT exec node server.mjs) >"$work/server.log" 2>&1 &
gql_pid=$!; pids+=("$gql_pid")
wait_for "$work/server.log" GRAPHQL_READY "$gql_pid"

mkdir -p "$RES"
node -e '
const fs = require("fs"), p = (n) => JSON.parse(fs.readFileSync(`${process.argv[1]}/node_modules/${n}/package.json`)).version;
console.log(JSON.stringify({ node: process.version, "@neo4j/graphql": p("@neo4j/graphql"), "@apollo/server": p("@apollo/server"),
  go: process.argv[2], neo4j: process.argv[3] + " Community (embedded, ../shared/bench/neo4j-proto)", actorgraph: process.argv[4] }));' \
    "$cache/peer" "$(go version | cut -d' ' -f3)" "$(grep -o 'neo4j.version>[^<]*' "$shared/neo4j-proto/pom.xml" | cut -d'>' -f2)" \
    "$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)" | tee "$RES/versions.json" >&2

# load VARIANT QUERY SIZE: one loadgen run per client count, results in $RES/<size>/<q>-<variant>-c<N>.json.
declare -A expect=([q1]='"node":{"id":"' [q2]='"totalCount":' [q3]='"backs":[' [q4]='"country":"')
declare -A agexpect=([q1]='"to":{"id":"' [q2]='"totalCount":' [q3]='"outgoing":{"nodes":[{"to":{"id":"' [q4]='"country":"')
load() {
    local v=$1 q=$2 size=$3 dur=${4:-$D} warm=${5:-$W} c args
    for c in ${6:-$C_LIST}; do
        case $v in
            a) args=(-mode graphql -target "http://127.0.0.1:$GQL_PORT/graphql" -query "$cache/peer/queries/$q.graphql"
                     -vars "$(cat "$cache/peer/queries/$q.vars.json")" -expect "${expect[$q]}") ;;
            b) args=(-mode cypher -target "$NEO" -query "$cache/peer/queries/$q.cypher" -vars "$(cat "$cache/peer/queries/$q.vars.json")") ;;
            c) args=(-mode cypher -target "$NEO" -query "$cache/peer/generated/$q.loadgen.cypher"
                     -vars "$(cat "$cache/peer/generated/$q.loadgen.vars.json")") ;;
            d|e) port=$AG_PORT; [ "$v" = e ] && port=$AGE_PORT
               args=(-mode graphql -target "http://127.0.0.1:$port/graphql" -query "$here/queries/$q.graphql"
                     -vars "$(cat "$here/queries/$q.vars.json")" -expect "${agexpect[$q]}") ;;
        esac
        if [ "$size" = - ]; then "$LG" "${args[@]}" -c "$c" -d "$dur" -warmup 0s >/dev/null || true; continue; fi
        echo "-- $size $q ($v) -c $c" >&2
        "$LG" "${args[@]}" -c "$c" -d "$dur" -warmup "$warm" | tee "$RES/$size/$q-$v-c$c.json" >&2 || echo "($v) failed" >&2
    done
}
# serve_actorgraph VARIANT STORE-FLAGS…: import the converted graph, start the server, echo its pid.
serve_actorgraph() {
    local v=$1 port=$AG_PORT; shift
    [ "$v" = e ] && port=$AGE_PORT
    echo "-- $size: actorgraph import ($v)" >&2
    local t0=$EPOCHREALTIME
    local long=(); [ "$v" = d ] && long=(--neo4j-tx-timeout 10m) # a 5,000-row batch updates every index of its types
    "$AG" import --no-seed --format json "${long[@]}" "$@" "$work/graph.json" >"$out/import-$v.log" 2>&1 || { cat "$out/import-$v.log" >&2; return 1; }
    echo "{\"import_seconds\": $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')}" >"$out/import-$v.json"
    tail -3 "$out/import-$v.log" >&2
    local pprof=()
    [ -n "${PPROF:-}" ] && pprof=(--pprof-listen "127.0.0.1:$((port + 100))")
    "$AG" serve --no-seed --listen "127.0.0.1:$port" "${pprof[@]}" "$@" >"$work/ag-$v.log" 2>&1 &
    ag_pid=$!; pids+=("$ag_pid")
    wait_for "$work/ag-$v.log" '"msg":"serving"' "$ag_pid"
}
run_actorgraph() { # run_actorgraph VARIANT: pre-warm, then every query at every client count
    local v=$1 q port=$AG_PORT
    [ "$v" = e ] && port=$AGE_PORT
    if [ "$PREWARM" != 0 ]; then for q in q1 q2 q3 q4; do load "$v" "$q" - "$PREWARM" 0s 8; done; fi
    for c in $C_LIST; do for q in q1 q2 q3 q4; do load "$v" "$q" "$size" "$D" "$W" "$c"; done; done
    if [ -n "${PPROF:-}" ]; then
        load "$v" q2 - 20s 0s 8 & local lp=$!
        sleep 2; curl -s -o "$out/cpu-$v.pprof" "http://127.0.0.1:$((port + 100))/debug/pprof/profile?seconds=15"; wait "$lp"
    fi
    echo "{\"actorgraph_kib\": $(ps -o rss= -p "$ag_pid" | tr -d ' ')}" >"$out/rss-$v.json"
}

for size in $SIZES; do
    case $size in
        smoke) actors=200; rels=2000 ;;
        small) actors=1000; rels=20000 ;;
        large) actors=10000; rels=200000 ;;
        *) echo "unknown size $size" >&2; exit 1 ;;
    esac
    out=$RES/$size; rm -rf "$out"; mkdir -p "$out"
    echo "== $size: loading $actors actors / $rels relations (gen.mjs)" >&2
    (cd "$cache/peer" && node gen.mjs --uri "$NEO" --actors "$actors" --rels "$rels" --wipe) | tee "$out/load.json" >&2
    (cd "$cache/peer" && node capture.mjs --uri "$NEO" --out generated) | tee "$out/equivalence.json" >&2
    "$PEER" export -uri "$NEO" -o "$work/graph.json"
    if [ "$PREWARM" != 0 ] && [ -z "${warmed:-}" ]; then
        echo "-- pre-warm ($PREWARM per variant, discarded)" >&2
        for q in q1 q2 q3 q4; do for v in a b c; do load "$v" "$q" - "$PREWARM" 0s 8; done; done
        warmed=1
    fi
    for c in $C_LIST; do for q in q1 q2 q3 q4; do for v in a b c; do load "$v" "$q" "$size" "$D" "$W" "$c"; done; done; done
    (cd "$cache/peer" && node profile.mjs --uri "$NEO") >"$out/profile.txt"
    echo "{\"node_kib\": $(ps -o rss= -p "$gql_pid" | tr -d ' '), \"neo4j_kib\": $(ps -o rss= -p "$neo_pid" | tr -d ' ')}" >"$out/rss.json"

    # (d): the same Neo4j, the peer's graph deleted, actorgraph's import of it.
    "$PEER" wipe -uri "$NEO"
    serve_actorgraph d --neo4j-uri "$NEO"
    run_actorgraph d
    stop_pid "$ag_pid"
    "$PEER" wipe -uri "$NEO" -schema # the next size's peer load runs on gen.mjs's own schema

    # (e): the embedded store (Neo4j idles meanwhile).
    serve_actorgraph e --data-dir "$work/embedded-$size"
    run_actorgraph e
    stop_pid "$ag_pid"
    rm -rf "$work/embedded-$size"
done
# Every load must have run without an error (each GraphQL answer is checked for its expected field).
rc=0; "$PEER" table -results "$RES" -check >"$RES/table.md" || rc=$?
cat "$RES/table.md"; exit $rc
