// What the node shows to anyone, signed in or not: its own public listings
// (the public page and the Atom feed) and single public listings, its own or
// received from partners (the listing page). Followers-only and partner
// listings never come out of here.
import { and, desc, eq, gte, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { type ListingRow, listings, remoteActors } from "../db/schema.ts";

/** The listing types pages use, so web/ need not import db/. */
export type { ListingKind, ListingRow } from "../db/schema.ts";

export interface PublicListing {
  listing: ListingRow;
  /** Who published it when it is not ours: what we know of the author. */
  author: { iri: string; name: string | null; handle: string | null; url: string | null } | null;
}

/**
 * Our own active public listings, most recently changed first. `current`
 * leaves out those whose availability has ended (the public page); the feed
 * keeps them, as feed readers already hold them.
 */
export async function publicOwnListings(
  db: Database,
  options: { limit: number; current?: boolean },
): Promise<ListingRow[]> {
  return await db
    .select()
    .from(listings)
    .where(
      and(
        eq(listings.local, true),
        eq(listings.status, "active"),
        eq(listings.visibility, "public"),
        options.current ? or(isNull(listings.availableUntil), gte(listings.availableUntil, sql`now()`)) : undefined,
      ),
    )
    .orderBy(desc(listings.updated), desc(listings.id))
    .limit(options.limit);
}

/** One active public listing by its id in our table: ours, or one a partner sent us. */
export async function publicListingById(db: Database, id: string): Promise<PublicListing | undefined> {
  const [row] = await db
    .select({
      listing: listings,
      name: remoteActors.name,
      handle: remoteActors.handle,
      url: remoteActors.url,
    })
    .from(listings)
    .leftJoin(remoteActors, eq(remoteActors.iri, listings.authorIri))
    .where(and(eq(listings.id, id), eq(listings.status, "active"), eq(listings.visibility, "public")));
  if (!row) return undefined;
  return {
    listing: row.listing,
    author: row.listing.local ? null : { iri: row.listing.authorIri, name: row.name, handle: row.handle, url: row.url },
  };
}
