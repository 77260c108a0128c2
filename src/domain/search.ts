// Search over every listing this node knows: its own, its partners', and
// those learned through relays and crawls. One SQL query; PostgreSQL text
// search for words, a bounding box plus haversine for distance.
import { and, desc, eq, gte, isNull, like, lte, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { type ListingKind, type ListingRow, listings, remoteActors } from "../db/schema.ts";

export type SearchSort = "relevance" | "distance" | "newest";

export interface SearchQuery {
  q?: string;
  kind?: ListingKind;
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

function prefixMatch(column: typeof listings.category | typeof listings.region, value: string): SQL {
  const escaped = value.replace(/[\\%_]/g, "\\$&");
  return or(eq(column, value), like(column, `${escaped}${column === listings.region ? "-" : "/"}%`)) as SQL;
}

function distanceKm(near: { lat: number; lon: number }): SQL<number> {
  return sql<number>`(${EARTH_RADIUS_KM} * 2 * asin(sqrt(
    power(sin(radians(${listings.latitude} - ${near.lat}) / 2), 2) +
    cos(radians(${near.lat})) * cos(radians(${listings.latitude})) *
    power(sin(radians(${listings.longitude} - ${near.lon}) / 2), 2))))`;
}

export async function searchListings(db: Database, query: SearchQuery): Promise<{ hits: SearchHit[]; more: boolean }> {
  const conditions: (SQL | undefined)[] = [eq(listings.status, "active")];
  const tsQuery = query.q?.trim() ? sql`websearch_to_tsquery('english', ${query.q.trim()})` : null;
  if (tsQuery) conditions.push(sql`${listings.search} @@ ${tsQuery}`);
  if (query.kind) conditions.push(eq(listings.kind, query.kind));
  if (query.category) conditions.push(prefixMatch(listings.category, query.category));
  if (query.region) conditions.push(prefixMatch(listings.region, query.region));
  if (!query.includeExpired) {
    conditions.push(or(isNull(listings.availableUntil), gte(listings.availableUntil, sql`now()`)));
  }
  if (query.from) conditions.push(or(isNull(listings.availableUntil), gte(listings.availableUntil, query.from)));
  if (query.until) conditions.push(or(isNull(listings.availableFrom), lte(listings.availableFrom, query.until)));
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
    // The box lets the (latitude, longitude) index narrow before the exact distance.
    const dLat = query.radiusKm / KM_PER_DEGREE;
    const dLon = query.radiusKm / (KM_PER_DEGREE * Math.max(Math.cos((query.near.lat * Math.PI) / 180), 0.01));
    conditions.push(
      sql`${listings.latitude} between ${query.near.lat - dLat} and ${query.near.lat + dLat}`,
      sql`${listings.longitude} between ${query.near.lon - dLon} and ${query.near.lon + dLon}`,
      sql`${distance} <= ${query.radiusKm}`,
    );
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
