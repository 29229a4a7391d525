#!/usr/bin/env bash
# Rebuild static/geo/serbia-region.geojson (the map's base layer without tiles) from
# Natural Earth through the npm packages world-atlas and topojson-client, installed in a
# temporary folder: they are not dependencies of the project.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --prefix "$work" --no-save --no-package-lock --silent \
    world-atlas@2.0.2 topojson-client@3.1.0
node scripts/extract-outline.cjs "$work/node_modules" > static/geo/serbia-region.geojson
echo "Wrote static/geo/serbia-region.geojson ($(wc -c < static/geo/serbia-region.geojson) bytes)"
