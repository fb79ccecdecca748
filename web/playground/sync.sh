#!/usr/bin/env bash
# Vendors the offline GraphiQL playground assets from npm into the Go embed tree.
#
#   web/playground/sync.sh           install pinned packages (npm ci) and copy the
#                                    browser bundles to internal/playground/assets/vendor/
#   web/playground/sync.sh --check   same install, but copy into a temp dir and fail if
#                                    any committed vendor file is missing or differs (CI)
#
# Versions are pinned by web/playground/package.json + package-lock.json; to upgrade,
# edit package.json, run `npm install --no-audit --no-fund` in web/playground, then
# run this script and commit the lock file together with the changed vendor files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
vendor="$repo/internal/playground/assets/vendor"

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# source path under node_modules -> file name in assets/vendor
files=(
  "graphiql/graphiql.min.js:graphiql.min.js"
  "graphiql/graphiql.min.css:graphiql.min.css"
  "react/umd/react.production.min.js:react.production.min.js"
  "react-dom/umd/react-dom.production.min.js:react-dom.production.min.js"
)

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)

dest="$vendor"
if [[ $check == 1 ]]; then
  dest="$(mktemp -d)"
  trap 'rm -rf "$dest"' EXIT
fi
mkdir -p "$dest"

for f in "${files[@]}"; do
  src="$here/node_modules/${f%%:*}"
  if [[ ! -s "$src" ]]; then
    echo "sync.sh: $src is missing or empty (package layout changed?)" >&2
    exit 1
  fi
  cp "$src" "$dest/${f##*:}"
done

if [[ $check == 1 ]]; then
  fail=0
  for f in "${files[@]}"; do
    name="${f##*:}"
    if [[ ! -f "$vendor/$name" ]]; then
      echo "sync.sh --check: internal/playground/assets/vendor/$name is missing; run web/playground/sync.sh" >&2
      fail=1
    elif ! cmp -s "$dest/$name" "$vendor/$name"; then
      echo "sync.sh --check: internal/playground/assets/vendor/$name differs from npm package; run web/playground/sync.sh" >&2
      fail=1
    fi
  done
  if [[ $fail == 1 ]]; then exit 1; fi
  echo "sync.sh --check: vendored playground assets are up to date"
else
  echo "sync.sh: copied ${#files[@]} files to internal/playground/assets/vendor"
fi
