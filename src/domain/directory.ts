// The directory: every co-op this node knows, with what it lists.
import { and, eq, like, max, or, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { listings, remoteActors } from "../db/schema.ts";
import { notFromBlockedDomain } from "./domain-rules.ts";

export interface KnownCoop {
  actor: string;
  handle: string | null;
  name: string | null;
  region: string | null;
  categories: string[];
  listings: number;
  knownVia: string | null;
  lastSeen: string;
}

export async function listKnownCoops(
  db: Database,
  filter: { region?: string; category?: string; actor?: string },
): Promise<KnownCoop[]> {
  const listingsOf = db
    .select({
      author: listings.authorIri,
      categories: sql<string[]>`array_agg(distinct ${listings.category})`.as("categories"),
      count: sql<number>`count(*)`.as("count"),
      lastListing: max(listings.receivedAt).as("last_listing"),
    })
    .from(listings)
    .where(
      and(
        eq(listings.status, "active"),
        eq(listings.local, false),
        filter.actor ? eq(listings.authorIri, filter.actor) : undefined,
      ),
    )
    .groupBy(listings.authorIri)
    .as("listings_of");
  const conditions = [eq(remoteActors.discoverable, true), notFromBlockedDomain(remoteActors.iri)];
  // One co-op (its totals above read only its listings, by the author index).
  if (filter.actor) conditions.push(eq(remoteActors.iri, filter.actor));
  if (filter.region) {
    conditions.push(
      or(eq(remoteActors.region, filter.region), like(remoteActors.region, `${filter.region}-%`)) as never,
    );
  }
  if (filter.category) {
    conditions.push(
      sql`exists (select 1 from unnest(${listingsOf.categories}) c where c = ${filter.category} or c like ${`${filter.category}/%`})`,
    );
  }
  const rows = await db
    .select({
      actor: remoteActors,
      categories: listingsOf.categories,
      count: listingsOf.count,
      last: listingsOf.lastListing,
    })
    .from(remoteActors)
    .leftJoin(listingsOf, eq(listingsOf.author, remoteActors.iri))
    .where(and(...conditions))
    .orderBy(remoteActors.name);
  return rows.map((r) => {
    const fetched = r.actor.fetchedAt;
    const last = r.last ? new Date(r.last) : null;
    return {
      actor: r.actor.iri,
      handle: r.actor.handle,
      name: r.actor.name,
      region: r.actor.region,
      categories: (r.categories ?? []).sort(),
      listings: Number(r.count ?? 0),
      knownVia: r.actor.knownVia,
      lastSeen: (last && last > fetched ? last : fetched).toISOString(),
    };
  });
}
