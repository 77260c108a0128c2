// Search over every listing this node knows: its own, its partners', and
// those learned through relays and crawls. One SQL query: PostgreSQL text
// search for words, a bounding box plus haversine for distance. Words,
// category, region, position and window all meet in one GIN index
// (listings_search_filters_idx), which intersects them before any row is
// read; docs/performance.md says why.
import { and, desc, eq, gte, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { type ListingKind, type ListingRow, listings, remoteActors } from "../db/schema.ts";
import { notFromBlockedDomain } from "./domain-rules.ts";
import { gridCellsCovering, periodsOverlapping } from "./search-keys.ts";

export type SearchSort = "relevance" | "distance" | "newest";

export interface SearchQuery {
  q?: string;
  kind?: ListingKind;
  /** Only this co-op's listings (its actor IRI). */
  author?: string;
  /** A category matches itself and its sub-categories. */
  category?: string;
  /** `US` matches `US` and `US-NC`. */
  region?: string;
  near?: { lat: number; lon: number };
  radiusKm?: number;
  /** Availability must overlap [from, until]. */
  from?: Date;
  until?: Date;
  minQuantity?: { amount: string; unit: string };
  maxPrice?: { amount: string; currency: string };
  sort: SearchSort;
  /** Listings whose availability ended are left out unless this is true. */
  includeExpired?: boolean;
  offset: number;
  limit: number;
}

export interface SearchHit {
  listing: ListingRow;
  distanceKm: number | null;
  rank: number | null;
  author: { iri: string; handle: string | null; name: string | null; knownVia: string | null };
}

const EARTH_RADIUS_KM = 6371;
const KM_PER_DEGREE = 111.045;

/**
 * The path itself or anything below it: exactly `path = value OR path LIKE
 * value || '/%'` (or '-' for regions), asked of the generated column that
 * lists every prefix of the path, which the GIN index holds.
 */
function underPath(prefixes: typeof listings.categoryPrefixes | typeof listings.regionPrefixes, value: string): SQL {
  return sql`${prefixes} @> ARRAY[${value}]::text[]`;
}

/** One parameter for the whole list, so the statement text (and its prepared plan) stays the same. */
function sharesKey(keys: typeof listings.positionCells | typeof listings.availablePeriods, values: number[]): SQL {
  return sql`${keys} && ${`{${values.join(",")}}`}::integer[]`;
}

function distanceKm(near: { lat: number; lon: number }): SQL<number> {
  return sql<number>`(${EARTH_RADIUS_KM} * 2 * asin(sqrt(
    power(sin(radians(${listings.latitude} - ${near.lat}) / 2), 2) +
    cos(radians(${near.lat})) * cos(radians(${listings.latitude})) *
    power(sin(radians(${listings.longitude} - ${near.lon}) / 2), 2))))`;
}

export async function searchListings(db: Database, query: SearchQuery): Promise<{ hits: SearchHit[]; more: boolean }> {
  const conditions: (SQL | undefined)[] = [eq(listings.status, "active"), notFromBlockedDomain(listings.authorIri)];
  const tsQuery = query.q?.trim() ? sql`websearch_to_tsquery('english', ${query.q.trim()})` : null;
  if (tsQuery) conditions.push(sql`${listings.search} @@ ${tsQuery}`);
  if (query.kind) conditions.push(eq(listings.kind, query.kind));
  if (query.author) conditions.push(eq(listings.authorIri, query.author));
  if (query.category) conditions.push(underPath(listings.categoryPrefixes, query.category));
  if (query.region) conditions.push(underPath(listings.regionPrefixes, query.region));
  if (!query.includeExpired) {
    conditions.push(or(isNull(listings.availableUntil), gte(listings.availableUntil, sql`now()`)));
  }
  if (query.from) conditions.push(or(isNull(listings.availableUntil), gte(listings.availableUntil, query.from)));
  if (query.until) conditions.push(or(isNull(listings.availableFrom), lte(listings.availableFrom, query.until)));
  // The periods narrow in the index; the two exact conditions above decide.
  const periods = query.from && query.until ? periodsOverlapping(query.from, query.until) : null;
  if (periods) conditions.push(sharesKey(listings.availablePeriods, periods));
  if (query.minQuantity) {
    const { amount, unit } = query.minQuantity;
    conditions.push(
      or(
        and(eq(listings.quantityUnit, unit), sql`${listings.quantityAmount} >= ${amount}::numeric`),
        and(eq(listings.rateUnit, unit), sql`${listings.rateAmount} >= ${amount}::numeric`),
      ),
    );
  }
  if (query.maxPrice) {
    conditions.push(
      and(
        eq(listings.priceCurrency, query.maxPrice.currency),
        sql`${listings.priceAmount} <= ${query.maxPrice.amount}::numeric`,
      ),
    );
  }
  const distance = query.near ? distanceKm(query.near) : null;
  if (query.near && query.radiusKm !== undefined) {
    // The grid cells covering the box narrow in the index; the box and the exact distance decide.
    const dLat = query.radiusKm / KM_PER_DEGREE;
    const dLon = query.radiusKm / (KM_PER_DEGREE * Math.max(Math.cos((query.near.lat * Math.PI) / 180), 0.01));
    const box = {
      south: query.near.lat - dLat,
      north: query.near.lat + dLat,
      west: query.near.lon - dLon,
      east: query.near.lon + dLon,
    };
    conditions.push(
      sql`${listings.latitude} between ${box.south} and ${box.north}`,
      sql`${listings.longitude} between ${box.west} and ${box.east}`,
      sql`${distance} <= ${query.radiusKm}`,
    );
    const cells = gridCellsCovering(box);
    if (cells) conditions.push(sharesKey(listings.positionCells, cells));
  }
  const rank = tsQuery ? sql<number>`ts_rank(${listings.search}, ${tsQuery})` : null;
  const order =
    query.sort === "distance" && distance
      ? [sql`${distance} asc nulls last`, desc(listings.updated)]
      : query.sort === "relevance" && rank
        ? [sql`${rank} desc`, desc(listings.updated)]
        : [desc(listings.updated), desc(listings.id)];
  const rows = await db
    .select({
      listing: listings,
      distanceKm: distance ?? sql<null>`null`,
      rank: rank ?? sql<null>`null`,
      handle: remoteActors.handle,
      name: remoteActors.name,
      knownVia: remoteActors.knownVia,
    })
    .from(listings)
    .leftJoin(remoteActors, eq(remoteActors.iri, listings.authorIri))
    .where(and(...conditions))
    .orderBy(...order)
    .offset(query.offset)
    .limit(query.limit + 1);
  return {
    more: rows.length > query.limit,
    hits: rows.slice(0, query.limit).map((r) => ({
      listing: r.listing,
      distanceKm: r.distanceKm === null ? null : Math.round(Number(r.distanceKm) * 10) / 10,
      rank: r.rank === null ? null : Number(r.rank),
      author: { iri: r.listing.authorIri, handle: r.handle, name: r.name, knownVia: r.knownVia },
    })),
  };
}
