// The outlines maps are drawn from, read from the world-atlas and us-atlas
// packages (Natural Earth and the US Census, shipped with the node: no tile
// server, no request leaves the node). A node that never draws a map never
// reads them; the first map reads each file once, keeps only the GeoJSON it
// draws and lets the TopoJSON go. The 110m countries (≈0.1 MB of JSON) are
// precise enough for the regional views a co-op network needs; the 50m file
// would add several MB of resident memory for a finer coastline.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Feature, FeatureCollection, MultiLineString } from "geojson";
import { feature, mesh } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";

export interface WorldOutlines {
  /** Every country, filled as land. */
  countries: FeatureCollection;
  /** Borders between countries only (coasts come from the fill). */
  borders: MultiLineString;
}

export interface StateOutlines {
  /** Borders between US states (the nation's outline comes from the world). */
  borders: MultiLineString;
}

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
    return { countries: collection, borders: mesh(topology, countries, (a, b) => a !== b) };
  });
  return world;
}

export function stateOutlines(): Promise<StateOutlines> {
  states ??= readTopology("us-atlas/states-10m.json").then((topology) => ({
    borders: mesh(topology, topology.objects.states as GeometryCollection, (a, b) => a !== b),
  }));
  return states;
}
