#!/usr/bin/env bash
# Builds the graph explorer served at /explore into the Go embed tree.
#
#   web/explorer/build.sh           install pinned packages (npm ci), bundle src/ with
#                                   esbuild and write internal/explorer/assets/
#   web/explorer/build.sh --check   same build into a temp dir; fail if the committed
#                                   assets are missing, differ, or include extra files (CI)
#
# Output (deterministic: pinned esbuild, no source maps, no timestamps or paths):
#   index.html      the page (a Go html/template: the Go side adds versioned asset URLs)
#   explorer.js     src/main.js with Cytoscape.js and cytoscape-fcose, minified IIFE
#   explorer.css    src/explorer.css, minified
#   licenses.txt    licences of the bundled npm packages (all MIT)
#
# Versions are pinned by web/explorer/package.json + package-lock.json; to upgrade,
# edit package.json, run `npm install --no-audit --no-fund` in web/explorer, then run
# this script and commit the lock file together with the changed assets.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
assets="$repo/internal/explorer/assets"

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)

dest="$assets"
if [[ $check == 1 ]]; then
  dest="$(mktemp -d)"
  trap 'rm -rf "$dest"' EXIT
else
  # Start clean so a renamed output cannot linger in the embed tree.
  rm -rf "$assets"
fi
mkdir -p "$dest"

# Bundled packages, in the order their licences are listed.
bundled=(cytoscape cytoscape-fcose cose-base layout-base)

version() { node -p "require('$here/node_modules/$1/package.json').version"; }
banner="/*! actorgraph explorer. Bundles"
for p in "${bundled[@]}"; do banner+=" $p $(version "$p") (MIT),"; done
banner="${banner%,}; licences: /explore/assets/licenses.txt */"

esbuild="$here/node_modules/.bin/esbuild"
(
  cd "$here"
  "$esbuild" src/main.js --bundle --minify --format=iife --target=es2020 --platform=browser \
    --charset=utf8 --legal-comments=none --banner:js="$banner" \
    --log-level=warning --outfile="$dest/explorer.js"
  "$esbuild" src/explorer.css --bundle --minify --charset=utf8 --legal-comments=none \
    --log-level=warning --outfile="$dest/explorer.css"
)
cp "$here/src/index.html" "$dest/index.html"

{
  echo "Third-party software bundled into explorer.js"
  echo
  for p in "${bundled[@]}"; do
    dir="$here/node_modules/$p"
    lic="$(ls "$dir"/LICENSE* 2>/dev/null | head -n 1 || true)"
    if [[ -z $lic ]]; then
      echo "build.sh: $p has no LICENSE file" >&2
      exit 1
    fi
    echo "================================================================"
    echo "$p $(version "$p") ($(node -p "require('$dir/package.json').license"))"
    echo "================================================================"
    cat "$lic"
    echo
  done
} > "$dest/licenses.txt"

if [[ $check == 1 ]]; then
  if ! diff -r "$dest" "$assets" >/dev/null 2>&1; then
    echo "build.sh --check: internal/explorer/assets differs from a fresh build of web/explorer:" >&2
    diff -rq "$dest" "$assets" | sed "s#$dest#<fresh build>#; s#$repo/##" >&2 || true
    echo "run web/explorer/build.sh and commit the result" >&2
    exit 1
  fi
  echo "build.sh --check: internal/explorer/assets is up to date"
else
  size="$(wc -c < "$dest/explorer.js")"
  gz="$(gzip -9 -c "$dest/explorer.js" | wc -c)"
  echo "build.sh: wrote internal/explorer/assets (explorer.js $size bytes, $gz gzipped)"
fi
