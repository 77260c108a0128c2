// Search hits as map points, for any page that shows results on a map (the
// Find capacity page builds on this). Hits without a position stay in the
// page's list only; the map says how many it could not place.
import type { SearchHit } from "../domain/search.ts";
import type { MapPoint } from "./map.ts";

export interface ResultsMapPoints {
  points: MapPoint[];
  /** Hits the map cannot show (no latitude and longitude). */
  unplaced: number;
}

/**
 * Where a hit leads: its page on this node when anyone may see it (ours or
 * a partner's public listing), else the listing's own IRI on its author's node.
 */
export function resultHref(hit: SearchHit): string {
  return hit.listing.visibility === "public" ? `/listings/${hit.listing.id}` : hit.listing.iri;
}

/** "Title, by Co-op name (12.5 km)": whose it is and how far, as the marker's name. */
export function resultLabel(hit: SearchHit, ownName: string): string {
  const who = hit.listing.local ? ownName : (hit.author.name ?? hit.author.handle ?? new URL(hit.author.iri).host);
  const distance = hit.distanceKm === null ? "" : ` (${hit.distanceKm} km)`;
  return `${hit.listing.title}, by ${who}${distance}`;
}

export function resultsMapPoints(
  hits: SearchHit[],
  options: { ownName: string; href?: (hit: SearchHit) => string },
): ResultsMapPoints {
  const points: MapPoint[] = [];
  for (const hit of hits) {
    const { latitude: lat, longitude: lon } = hit.listing;
    if (lat === null || lon === null) continue;
    points.push({
      lat,
      lon,
      label: resultLabel(hit, options.ownName),
      href: (options.href ?? resultHref)(hit),
      kind: hit.listing.kind,
    });
  }
  return { points, unplaced: hits.length - points.length };
}
