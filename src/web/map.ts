// Maps drawn on the node: an inline SVG of where listings are, projected
// with d3-geo from the outlines in atlas.ts, so a page shows a map without a
// tile server, without JavaScript and without any request leaving the node.
// Path strings are ours (d3's numbers) and go in through raw(); every label
// goes through html's escaping.
import { type GeoProjection, geoEqualEarth, geoMercator, geoPath } from "d3-geo";
import type { MultiLineString, MultiPoint } from "geojson";
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ListingKind } from "../domain/public-listings.ts";
import { type Box, linesWithin, type StateOutlines, stateOutlines, worldOutlines, worldWithin } from "./atlas.ts";

export interface MapPoint {
  lat: number;
  lon: number;
  /** Who or what is there: the marker's accessible name and its label. */
  label: string;
  /** Where the marker leads: a path on this node or an http(s) URL; anything else draws no link. */
  href: string;
  kind?: ListingKind;
}

export interface MapOptions {
  /** The map's accessible name, e.g. "Where the 12 results are". */
  title: string;
  description?: string;
  /** Prefix for the ids the SVG uses for its title, unique within the page. */
  id?: string;
}

export const MAP_WIDTH = 800;
const REGION_HEIGHT = 500;
const WORLD_HEIGHT = 420;
const MARGIN = 24;
/** One point, or points close together, show at least this much country around them. */
const MIN_SPAN_KM = 400;
const KM_PER_DEGREE = 111.045;
/** Points spread wider than this (degrees) are shown on the whole world. */
const WORLD_LON_SPAN = 100;
const WORLD_LAT_SPAN = 60;
/** Roughly the contiguous US, Alaska and Hawaii: views that touch it get state borders. */
const US_BOX = { west: -180, east: -66, south: 18, north: 72 };
const LABEL_CHARS = 24;

export const KIND_COLOURS: Record<ListingKind, string> = {
  offer: "#1b6b3a",
  capacity: "#1d4e89",
  need: "#9a3412",
};
const KIND_NAMES: Record<ListingKind, string> = { offer: "Offer", capacity: "Capacity", need: "Need" };
const NO_KIND_COLOUR = "#3f3f46";

interface View {
  projection: GeoProjection;
  height: number;
  world: boolean;
  /** The view's extent in degrees, for choosing which outlines to draw. */
  box: { west: number; east: number; south: number; north: number };
}

function isPlace(p: MapPoint): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;
}

/** The projection: the points' extent with padding and a minimum span, or the world when they are far apart. */
export function viewOf(points: Pick<MapPoint, "lat" | "lon">[]): View {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const south = Math.min(...lats);
  const north = Math.max(...lats);
  const west = Math.min(...lons);
  const east = Math.max(...lons);
  if (east - west > WORLD_LON_SPAN || north - south > WORLD_LAT_SPAN) {
    const projection = geoEqualEarth().fitExtent(
      [
        [MARGIN, MARGIN],
        [MAP_WIDTH - MARGIN, WORLD_HEIGHT - MARGIN],
      ],
      { type: "Sphere" },
    );
    return { projection, height: WORLD_HEIGHT, world: true, box: { west: -180, east: 180, south: -90, north: 90 } };
  }
  const midLat = (south + north) / 2;
  const midLon = (west + east) / 2;
  const minLatSpan = MIN_SPAN_KM / KM_PER_DEGREE;
  const minLonSpan = minLatSpan / Math.max(Math.cos((midLat * Math.PI) / 180), 0.2);
  // A fifth of the span on each side, so markers and labels stay off the edge.
  const halfLat = Math.max((north - south) * 1.4, minLatSpan) / 2;
  const halfLon = Math.max((east - west) * 1.4, minLonSpan) / 2;
  const box = {
    west: midLon - halfLon,
    east: midLon + halfLon,
    south: Math.max(midLat - halfLat, -85),
    north: Math.min(midLat + halfLat, 85),
  };
  const corners: MultiPoint = {
    type: "MultiPoint",
    coordinates: [
      [box.west, box.south],
      [box.east, box.south],
      [box.west, box.north],
      [box.east, box.north],
      [midLon, box.south],
      [midLon, box.north],
    ],
  };
  const projection = geoMercator()
    .fitExtent(
      [
        [MARGIN, MARGIN],
        [MAP_WIDTH - MARGIN, REGION_HEIGHT - MARGIN],
      ],
      corners,
    )
    .clipExtent([
      [0, 0],
      [MAP_WIDTH, REGION_HEIGHT],
    ]);
  return { projection, height: REGION_HEIGHT, world: false, box };
}

/**
 * What a regional map shows, in degrees: its corners taken back through the
 * projection (the fit can show more than the box on one axis), with a margin
 * so an outline just off the edge still clips cleanly. null for the world.
 */
export function visibleBox(view: View): Box | null {
  if (view.world || !view.projection.invert) return null;
  const [west, north] = view.projection.invert([0, 0]) ?? [];
  const [east, south] = view.projection.invert([MAP_WIDTH, view.height]) ?? [];
  if ([west, north, east, south].some((v) => v === undefined || !Number.isFinite(v))) return null;
  const [w, e, s, n] = [west as number, east as number, south as number, north as number];
  const pad = Math.max(e - w, n - s) * 0.1;
  const box = { west: w - pad, east: e + pad, south: s - pad, north: n + pad };
  // Across the antimeridian the projection wraps: draw everything, as for the world.
  return w >= e || box.west < -180 || box.east > 180 ? null : box;
}

function statesWithin(states: StateOutlines, box: Box | null): MultiLineString {
  return box ? linesWithin(states.borderPieces, box) : states.borders;
}

function touchesUs(box: View["box"]): boolean {
  return box.west < US_BOX.east && box.east > US_BOX.west && box.south < US_BOX.north && box.north > US_BOX.south;
}

function safeHref(href: string): string | null {
  return /^(https?:\/\/|\/(?!\/))/i.test(href) ? href : null;
}

function shortLabel(label: string): string {
  const clean = label.replace(/\s+/g, " ").trim();
  return clean.length > LABEL_CHARS ? `${clean.slice(0, LABEL_CHARS - 1).trimEnd()}…` : clean;
}

/** Marker positions: projected, and nudged apart when two would cover each other. */
function place(points: MapPoint[], projection: GeoProjection, height: number): [number, number][] {
  const placed: [number, number][] = [];
  for (const [i, p] of points.entries()) {
    let [x, y] = projection([p.lon, p.lat]) ?? [MAP_WIDTH / 2, height / 2];
    for (let turn = 1; placed.some(([px, py]) => Math.hypot(px - x, py - y) < 16) && turn < 12; turn++) {
      const angle = (i + turn) * 2.4;
      x += Math.cos(angle) * 18;
      y += Math.sin(angle) * 18;
    }
    placed.push([Math.min(Math.max(x, 10), MAP_WIDTH - 10), Math.min(Math.max(y, 10), height - 10)]);
  }
  return placed;
}

function marker(p: MapPoint, n: number, [x, y]: [number, number]): HtmlEscapedString {
  const colour = p.kind ? KIND_COLOURS[p.kind] : NO_KIND_COLOUR;
  const label = shortLabel(p.label);
  const toLeft = x > MAP_WIDTH - 200;
  const name = `${n}: ${p.label}${p.kind ? ` (${KIND_NAMES[p.kind].toLowerCase()})` : ""}`;
  const shape = html`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="12" fill="${colour}" stroke="#fff" stroke-width="2"></circle>
<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" class="map-number" text-anchor="middle" dominant-baseline="central" font-size="13" font-weight="700" fill="#fff" aria-hidden="true">${n}</text>`;
  // The shortened label sits outside the link: a link's visible text must be
  // part of its accessible name, and "Cut and sew line, Februa…" is not.
  const text = html`<text class="map-label" x="${(toLeft ? x - 15 : x + 15).toFixed(1)}" y="${(y + 5).toFixed(1)}" text-anchor="${toLeft ? "end" : "start"}" font-size="15" fill="#1c1917" stroke="#fff" stroke-width="4" paint-order="stroke" aria-hidden="true">${label}</text>`;
  const href = safeHref(p.href);
  return (
    href
      ? html`<a class="map-marker" href="${href}" aria-label="${name}">${shape}</a>${text}`
      : html`<g class="map-marker" role="img" aria-label="${name}">${shape}</g>${text}`
  ) as HtmlEscapedString;
}

function legend(points: MapPoint[]): HtmlEscapedString {
  const kinds = (Object.keys(KIND_NAMES) as ListingKind[]).filter((k) => points.some((p) => p.kind === k));
  const swatch = (colour: string) =>
    html`<svg class="map-swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true"><circle cx="7" cy="7" r="6" fill="${colour}"></circle></svg>`;
  return html`<figcaption class="map-legend">
${kinds.length > 0 ? html`<ul class="map-kinds">${kinds.map((k) => html`<li>${swatch(KIND_COLOURS[k])} ${KIND_NAMES[k]}</li>`)}</ul>` : ""}
${points.length > 1 ? html`<ol class="map-key">${points.map((p) => html`<li>${p.label}</li>`)}</ol>` : ""}
<p class="map-source">${points.length > 1 ? "Numbers on the map match this list. " : ""}Outlines: Natural Earth and US Census, drawn on this node.</p>
</figcaption>` as HtmlEscapedString;
}

/**
 * The map of `points`, or null when there is nothing to place (the caller
 * then shows its list alone). One point shows the region around it; points
 * across continents show the world; views touching the US add state borders.
 */
export async function renderMap(points: MapPoint[], options: MapOptions): Promise<HtmlEscapedString | null> {
  const shown = points.filter(isPlace);
  if (shown.length === 0) return null;
  const view = viewOf(shown);
  const path = geoPath(view.projection).digits(1);
  const world = await worldOutlines();
  const shownBox = visibleBox(view);
  const drawn = shownBox ? worldWithin(world, shownBox) : world;
  const land = path(drawn.countries) ?? "";
  const borders = path(drawn.borders) ?? "";
  const stateBorders =
    !view.world && touchesUs(view.box) ? (path(statesWithin(await stateOutlines(), shownBox)) ?? "") : "";
  const sphere = view.world ? (path({ type: "Sphere" }) ?? "") : "";
  const positions = place(shown, view.projection, view.height);
  const id = options.id ?? "map";
  const description =
    options.description ??
    `${shown.length === 1 ? "One place" : `${shown.length} places`} on a map${view.world ? " of the world" : ""}; the list below names each.`;
  return html`<figure class="map">
<svg class="map-svg" viewBox="0 0 ${MAP_WIDTH} ${view.height}" role="group" aria-labelledby="${id}-title" aria-describedby="${id}-desc" preserveAspectRatio="xMidYMid meet">
<title id="${id}-title">${options.title}</title>
<desc id="${id}-desc">${description}</desc>
<rect width="${MAP_WIDTH}" height="${view.height}" fill="${view.world ? "#fff" : "#dbe9f4"}"></rect>
${sphere ? html`<path d="${raw(sphere)}" fill="#dbe9f4"></path>` : ""}
<path class="map-land" d="${raw(land)}" fill="#f4efe6" stroke="#8a8378" stroke-width="0.8"></path>
${borders ? html`<path d="${raw(borders)}" fill="none" stroke="#8a8378" stroke-width="0.8"></path>` : ""}
${stateBorders ? html`<path class="map-states" d="${raw(stateBorders)}" fill="none" stroke="#8a8378" stroke-width="0.8" stroke-dasharray="3 2"></path>` : ""}
${shown.map((p, i) => marker(p, i + 1, positions[i] as [number, number]))}
</svg>
${legend(shown)}
</figure>` as HtmlEscapedString;
}
