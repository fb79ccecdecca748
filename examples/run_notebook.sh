#!/usr/bin/env bash
# Runs examples/analyst.ipynb end to end against a fresh server, as CI does:
#   1. a Python venv with examples/requirements.txt, cached under
#      ${XDG_CACHE_HOME:-~/.cache}/actorgraph/nbvenv and rebuilt only when
#      requirements.txt (or the Python version) changes;
#   2. the Go binary, built into a temp dir;
#   3. `actorgraph serve` on a free loopback port with a temp data dir (so the
#      seed graph is loaded fresh) and a read-only API key, which the notebook
#      sends as "Authorization: Bearer";
#   4. the notebook executed with nbclient (120 s per cell, kernel python3 from
#      the venv); any failing cell fails this script.
# The executed notebook, the chart and the server log land in
# ${ARTIFACTS_DIR:-/tmp/actorgraph-artifacts}. Needs go and python3 (>= 3.11,
# with venv), and network access to PyPI the first time.
# With --url URL it runs against that server instead (steps 2 and 3 are
# skipped; ACTORGRAPH_API_KEY, when set, is sent as the key):
#   examples/run_notebook.sh --url http://127.0.0.1:8080
set -euo pipefail

given_url=
while [[ $# -gt 0 ]]; do
	case $1 in
	--url) given_url=${2:?--url needs a URL}; shift 2 ;;
	--url=*) given_url=${1#--url=}; shift ;;
	-h | --help) sed -n '2,22p' "$0"; exit 0 ;;
	*) echo "run_notebook: unknown argument $1 (use --url URL)" >&2; exit 2 ;;
	esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
notebook="$here/analyst.ipynb"
requirements="$here/requirements.txt"
python=${PYTHON:-python3}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/actorgraph"
venv="$cache/nbvenv"
artifacts="${ARTIFACTS_DIR:-/tmp/actorgraph-artifacts}"
cell_timeout=120
started=$SECONDS

log() { printf 'run_notebook: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
on_err() { local rc=$?; log "failed (status $rc) at line $1: ${BASH_COMMAND%%$'\n'*}"; }
trap 'on_err $LINENO' ERR

command -v go >/dev/null || die "go is not on PATH"
command -v "$python" >/dev/null || die "$python is not on PATH (set PYTHON=...)"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
	die "$("$python" --version 2>&1) is too old: the pinned pandas needs Python >= 3.11"
[[ -f $notebook && -f $requirements ]] || die "missing $notebook or $requirements"

# The committed notebook must be clean: no outputs, no execution counts.
"$python" - "$notebook" <<'PY' || die "clear the outputs of examples/analyst.ipynb before committing it"
import json, sys
nb = json.load(open(sys.argv[1], encoding="utf-8"))
dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
if dirty:
    print(f"run_notebook: code cells {dirty} of {sys.argv[1]} have outputs or execution counts", file=sys.stderr)
    sys.exit(1)
PY

tmp=$(mktemp -d "${TMPDIR:-/tmp}/actorgraph-nb.XXXXXX")
server_pid=
cleanup() {
	local rc=$?
	if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	[[ -f $tmp/server.log ]] && cp "$tmp/server.log" "$artifacts/notebook-server.log" 2>/dev/null
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$artifacts" "$cache"

# --- 1. the venv (one builder at a time; reused while the hash matches) -----
want=$({ cat "$requirements"; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)
stamp="$venv/.requirements.sha256"
{
	if command -v flock >/dev/null; then flock 9; fi
	if [[ ! -x $venv/bin/python || ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
		log "building the venv in $venv"
		rm -rf "$venv"
		"$python" -m venv "$venv" ||
			die "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
		"$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$requirements"
		# The kernel the notebook runs in: the venv's own python.
		"$venv/bin/python" -m ipykernel install --prefix "$venv" --name python3 --display-name "Python 3 (actorgraph)" >/dev/null
		echo "$want" >"$stamp"
	else
		log "reusing the venv in $venv"
	fi
} 9>"$cache/nbvenv.lock"

# The notebook's client: the repo's own package, installed fresh each run.
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q "$root/clients/python"

if [[ -n $given_url ]]; then
	url=${given_url%/}
	api_key=${ACTORGRAPH_API_KEY:-}
	"$venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$url/readyz" ||
		die "no server answers at $url/readyz"
	log "running against the given server $url"
else
# --- 2. the server binary -----------------------------------------------------
log "building actorgraph"
(cd "$root" && go build -o "$tmp/actorgraph" ./cmd/actorgraph)

# --- 3. a fresh server with a read-only API key --------------------------------
# The server must not pick up the caller's store, address or keys (CI sets NEO4J_URI for the
# Go tests): it runs on the embedded store in a temp dir with a key file made here.
server_env=(env -u NEO4J_URI -u NEO4J_USER -u NEO4J_PASSWORD -u NEO4J_DATABASE
	-u ACTORGRAPH_LISTEN -u ACTORGRAPH_DATA_DIR -u ACTORGRAPH_KEYS_FILE -u ACTORGRAPH_API_KEYS)
created=$("${server_env[@]}" "$tmp/actorgraph" keys create --name notebook --role read --keys-file "$tmp/keys")
api_key=${created%%$'\n'*} # the key is the first line; the rest is a note
[[ -n $api_key ]] || die "could not create an API key"

free_port() {
	"$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
ready() {
	"$venv/bin/python" -c 'import sys, urllib.request
try:
    sys.exit(urllib.request.urlopen(sys.argv[1], timeout=2).status != 200)
except Exception:
    sys.exit(1)' "$1"
}
url=
for attempt in 1 2 3; do
	port=$(free_port)
	rm -rf "$tmp/data"
	"${server_env[@]}" "$tmp/actorgraph" serve --listen "127.0.0.1:$port" --data-dir "$tmp/data" \
		--keys-file "$tmp/keys" >"$tmp/server.log" 2>&1 &
	server_pid=$!
	for _ in $(seq 300); do
		if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
		if ready "http://127.0.0.1:$port/readyz"; then url="http://127.0.0.1:$port"; break; fi
		sleep 0.2
	done
	[[ -n $url ]] && break
	if kill -0 "$server_pid" 2>/dev/null; then
		die "the server did not become ready within 60 s; its log: $artifacts/notebook-server.log"
	fi
	wait "$server_pid" 2>/dev/null || true
	server_pid=
	grep -q 'address already in use' "$tmp/server.log" || {
		cat "$tmp/server.log" >&2
		die "the server exited before it was ready"
	}
	log "port $port was taken; trying another"
done
[[ -n $url ]] || die "could not start the server on a free port"
log "server ready at $url"
fi

# --- 4. execute the notebook ---------------------------------------------------
export ACTORGRAPH_URL="$url" ACTORGRAPH_API_KEY="$api_key" ARTIFACTS_DIR="$artifacts"
export PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv" MPLBACKEND=Agg PYTHONNOUSERSITE=1
export IPYTHONDIR="$tmp/ipython" JUPYTER_RUNTIME_DIR="$tmp/jupyter-runtime" JUPYTER_PLATFORM_DIRS=1
export MPLCONFIGDIR="$tmp/matplotlib"
unset PYTHONPATH JUPYTER_PATH
log "executing $notebook"
"$venv/bin/python" - "$notebook" "$artifacts/analyst.executed.ipynb" "$cell_timeout" "$tmp/cells" <<'PY'
import sys

import pathlib
import re

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

src, out, timeout, count_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
nb = nbformat.read(src, as_version=4)
from jupyter_client.kernelspec import KernelSpecManager
kernel_python = KernelSpecManager().get_kernel_spec("python3").argv[0]
if not kernel_python.startswith(sys.prefix):
    sys.exit(f"run_notebook: kernel python3 runs {kernel_python}, not the venv's python in {sys.prefix}")
client = NotebookClient(
    nb,
    timeout=timeout,
    kernel_name="python3",
    allow_errors=False,
    resources={"metadata": {"path": str(pathlib.Path(src).parent)}},
)
failed = None
try:
    client.execute()
except (CellExecutionError, CellTimeoutError) as e:
    failed = e
finally:
    nbformat.write(nb, out)

code = [c for c in nb.cells if c.cell_type == "code"]
errors = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(o.get("output_type") == "error" for o in c.get("outputs", []))]
unrun = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("execution_count") is None]
if failed is not None or errors or unrun:
    print(f"run_notebook: FAILED (cells with errors: {errors}, not executed: {len(unrun)}); executed notebook: {out}", file=sys.stderr)
    if failed is not None:
        print(re.sub(r"\x1b\[[0-9;]*m", "", str(failed))[-4000:], file=sys.stderr)
    sys.exit(1)
print(f"run_notebook: executed notebook written to {out}", file=sys.stderr)
with open(count_file, "w") as f:
    f.write(str(len(code)))
PY
log "done in $((SECONDS - started)) s"
echo "notebook: $(cat "$tmp/cells") cells executed OK"
