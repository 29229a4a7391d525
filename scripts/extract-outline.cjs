// Serbia, Kosovo and their neighbours from Natural Earth (1:50m, through the npm package
// world-atlas), as a small GeoJSON FeatureCollection: the map's base layer when no tile
// server is configured. Run through scripts/extract-outline.sh, which installs the two
// packages in a temporary folder (never in the repository's package.json).
//
//   node scripts/extract-outline.cjs <node_modules folder>  > static/geo/serbia-region.geojson
"use strict";

const path = require("path");
const modules = process.argv[2];
if (!modules) {
  console.error("usage: node scripts/extract-outline.cjs <folder holding world-atlas and topojson-client>");
  process.exit(2);
}
const topojson = require(path.resolve(modules, "topojson-client"));
const atlas = require(path.resolve(modules, "world-atlas/countries-50m.json"));
const version = require(path.resolve(modules, "world-atlas/package.json")).version;

// Natural Earth's names (its de facto boundaries, as published; no position is implied).
const FOCUS = new Set(["Serbia", "Kosovo"]);
const NEIGHBOURS = new Set([
  "Hungary", "Romania", "Bulgaria", "Macedonia", "Albania", "Montenegro",
  "Bosnia and Herz.", "Croatia",
]);
const DECIMALS = 3; // about 100 m: finer than 1:50m data is anyway

const round = (x) => Math.round(x * 10 ** DECIMALS) / 10 ** DECIMALS;

function roundRing(ring) {
  const out = [];
  for (const [lon, lat] of ring) {
    const point = [round(lon), round(lat)];
    const last = out[out.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push(point);
  }
  return out;
}

function polygons(geometry) {
  return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
}

function ringArea(ring) {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return Math.abs(sum / 2);
}

function inside([x, y], ring) {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function distanceToRing([x, y], ring, scale) {
  let best = Infinity;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const ax = ring[j][0] * scale, ay = ring[j][1];
    const bx = ring[i][0] * scale, by = ring[i][1];
    const px = x * scale;
    const dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, ((px - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, Math.hypot(px - ax - t * dx, y - ay - t * dy));
  }
  return best;
}

// Where a name goes: the point of the largest polygon farthest from its edge (a grid
// search; a centroid can fall outside a crescent-shaped country such as Croatia).
function labelPoint(geometry) {
  const ring = polygons(geometry)
    .map((polygon) => polygon[0])
    .sort((a, b) => ringArea(b) - ringArea(a))[0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const scale = Math.cos(((Math.min(...ys) + Math.max(...ys)) / 2) * (Math.PI / 180));
  let best = null;
  for (let x = Math.min(...xs); x <= Math.max(...xs); x += 0.05) {
    for (let y = Math.min(...ys); y <= Math.max(...ys); y += 0.05) {
      if (!inside([x, y], ring)) continue;
      const d = distanceToRing([x, y], ring, scale);
      if (!best || d > best.d) best = { d, point: [round(x), round(y)] };
    }
  }
  return best.point;
}

const countries = topojson.feature(atlas, atlas.objects.countries).features;
const features = countries
  .filter((f) => FOCUS.has(f.properties.name) || NEIGHBOURS.has(f.properties.name))
  .sort((a, b) => a.properties.name.localeCompare(b.properties.name))
  .map((f) => {
    const coordinates = polygons(f.geometry).map((polygon) => polygon.map(roundRing));
    return {
      type: "Feature",
      properties: {
        name: f.properties.name,
        focus: FOCUS.has(f.properties.name),
        label: labelPoint(f.geometry),
      },
      geometry:
        coordinates.length === 1
          ? { type: "Polygon", coordinates: coordinates[0] }
          : { type: "MultiPolygon", coordinates },
    };
  });
const found = new Set(features.map((f) => f.properties.name));
for (const name of [...FOCUS, ...NEIGHBOURS]) {
  if (!found.has(name)) throw new Error(`${name} is not in world-atlas ${version}`);
}

// One feature per line: small diffs when the source changes.
const lines = features.map((f) => JSON.stringify(f));
process.stdout.write(
  `{"type":"FeatureCollection","source":"Natural Earth 1:50m admin 0 countries, via world-atlas ${version} (countries-50m.json)","features":[\n` +
    lines.join(",\n") +
    "\n]}\n",
);
