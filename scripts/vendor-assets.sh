#!/usr/bin/env bash
# Re-copy the vendored front-end files from node_modules into static/vendor/, so the
# committed copy can be checked against (and rebuilt from) the versions pinned in
# package-lock.json. The demo itself needs no npm: the copy is committed.
#
#   npm ci && scripts/vendor-assets.sh && git diff --stat static/vendor/
set -euo pipefail
cd "$(dirname "$0")/.."

leaflet=node_modules/leaflet
[ -f "$leaflet/package.json" ] || { echo "run 'npm ci' first ($leaflet is missing)" >&2; exit 1; }
target=static/vendor/leaflet
rm -rf "$target"
mkdir -p "$target/images"
# leaflet.js names its source map; the manifest storage of collectstatic wants it present.
cp "$leaflet/dist/leaflet.js" "$leaflet/dist/leaflet.js.map" "$leaflet/dist/leaflet.css" \
   "$leaflet/LICENSE" "$target/"
cp "$leaflet/dist/images/"*.png "$target/images/"
version=$(node -p "require('./$leaflet/package.json').version" 2>/dev/null \
          || sed -n 's/^  "version": "\(.*\)",$/\1/p' "$leaflet/package.json")
echo "Leaflet $version from $leaflet" > "$target/VERSION"
echo "Copied Leaflet $version into $target"
