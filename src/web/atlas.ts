// The outlines maps are drawn from, read from the world-atlas and us-atlas
// packages (Natural Earth and the US Census, shipped with the node: no tile
// server, no request leaves the node). A node that never draws a map never
// reads them; the first map reads each file once, keeps only the GeoJSON it
// draws and lets the TopoJSON go. The 110m countries (≈0.1 MB of JSON) are
// precise enough for the regional views a co-op network needs; the 50m file
// would add several MB of resident memory for a finer coastline.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { geoBounds } from "d3-geo";
import type { Feature, FeatureCollection, MultiLineString, Position } from "geojson";
import { feature, mesh } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";

export interface WorldOutlines {
  /** Every country, filled as land. */
  countries: FeatureCollection;
  /** Borders between countries only (coasts come from the fill). */
  borders: MultiLineString;
  /** The same, each piece with its bounds, so a regional map projects only what it shows. */
  countryPieces: Bounded<Feature>[];
  borderPieces: Bounded<Position[]>[];
}

export interface StateOutlines {
  /** Borders between US states (the nation's outline comes from the world). */
  borders: MultiLineString;
  borderPieces: Bounded<Position[]>[];
}

/** A box in degrees; west > east never happens here (pieces across the antimeridian are `everywhere`). */
export interface Box {
  west: number;
  east: number;
  south: number;
  north: number;
}

interface Bounded<T> {
  piece: T;
  /** null: the piece crosses the antimeridian, or is too large to say; always drawn. */
  box: Box | null;
}

function lineBox(line: Position[]): Box | null {
  let [west, east, south, north] = [180, -180, 90, -90];
  for (const [lon = 0, lat = 0] of line) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return east - west > 180 ? null : { west, east, south, north };
}

function featureBox(f: Feature): Box | null {
  const [[west, south], [east, north]] = geoBounds(f);
  return west > east ? null : { west, east, south, north };
}

const overlaps = (a: Box | null, b: Box) =>
  a === null || (a.west <= b.east && a.east >= b.west && a.south <= b.north && a.north >= b.south);

/** The countries and borders that reach into `box`: projecting all 177 countries for a regional map is most of its cost. */
export function worldWithin(
  world: WorldOutlines,
  box: Box,
): { countries: FeatureCollection; borders: MultiLineString } {
  return {
    countries: {
      type: "FeatureCollection",
      features: world.countryPieces.filter((p) => overlaps(p.box, box)).map((p) => p.piece),
    },
    borders: linesWithin(world.borderPieces, box),
  };
}

export function linesWithin(pieces: Bounded<Position[]>[], box: Box): MultiLineString {
  return { type: "MultiLineString", coordinates: pieces.filter((p) => overlaps(p.box, box)).map((p) => p.piece) };
}

const boundedLines = (lines: MultiLineString): Bounded<Position[]>[] =>
  lines.coordinates.map((line) => ({ piece: line, box: lineBox(line) }));

const require = createRequire(import.meta.url);

async function readTopology(module: string): Promise<Topology> {
  return JSON.parse(await readFile(require.resolve(module), "utf8")) as Topology;
}

let world: Promise<WorldOutlines> | undefined;
let states: Promise<StateOutlines> | undefined;

export function worldOutlines(): Promise<WorldOutlines> {
  world ??= readTopology("world-atlas/countries-110m.json").then((topology) => {
    const countries = topology.objects.countries as GeometryCollection;
    const collection = feature(topology, countries) as FeatureCollection;
    // Properties (names) are never drawn; drop them.
    collection.features = collection.features.map((f: Feature) => ({ ...f, properties: {} }));
    const borders = mesh(topology, countries, (a, b) => a !== b);
    return {
      countries: collection,
      borders,
      countryPieces: collection.features.map((f) => ({ piece: f, box: featureBox(f) })),
      borderPieces: boundedLines(borders),
    };
  });
  return world;
}

export function stateOutlines(): Promise<StateOutlines> {
  states ??= readTopology("us-atlas/states-10m.json").then((topology) => {
    const borders = mesh(topology, topology.objects.states as GeometryCollection, (a, b) => a !== b);
    return { borders, borderPieces: boundedLines(borders) };
  });
  return states;
}
