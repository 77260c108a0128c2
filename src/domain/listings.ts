// Storing and reading listings: our own, and those other co-ops sent us.

import { randomUUID } from "node:crypto";
import { and, desc, eq, gte, inArray, isNull, like, lt, ne, or, type SQL, sql } from "drizzle-orm";
import { type Database, rowsOf } from "../db/client.ts";
import {
  type ListingInsert,
  type ListingKind,
  type ListingRow,
  type ListingSource,
  type ListingStatus,
  listings,
  listingTombstones,
} from "../db/schema.ts";
import { notFromBlockedDomain } from "./domain-rules.ts";
import { isAcceptedFollower } from "./follows.ts";
import type { ListingData } from "./listing-rules.ts";

function columnsOf(data: ListingData) {
  return {
    kind: data.kind,
    status: data.status,
    title: data.title,
    descriptionHtml: data.descriptionHtml,
    category: data.category,
    quantityAmount: data.quantity?.amount ?? null,
    quantityUnit: data.quantity?.unit ?? null,
    minimumAmount: data.minimumOrder?.amount ?? null,
    minimumUnit: data.minimumOrder?.unit ?? null,
    priceAmount: data.price?.amount ?? null,
    priceCurrency: data.price?.currency ?? null,
    pricePer: data.price?.per ?? null,
    rateAmount: data.rate?.amount ?? null,
    rateUnit: data.rate?.unit ?? null,
    ratePer: data.rate?.per ?? null,
    availableFrom: data.availableFrom,
    availableUntil: data.availableUntil,
    region: data.region,
    latitude: data.location?.lat ?? null,
    longitude: data.location?.lon ?? null,
    visibility: data.visibility,
    partners: data.partners,
  };
}

/** The row back as domain data (for editing and for the vocabulary mapping). */
export function listingDataOf(row: ListingRow): ListingData {
  return {
    kind: row.kind,
    title: row.title,
    descriptionHtml: row.descriptionHtml,
    category: row.category,
    quantity: row.quantityAmount && row.quantityUnit ? { amount: row.quantityAmount, unit: row.quantityUnit } : null,
    minimumOrder: row.minimumAmount && row.minimumUnit ? { amount: row.minimumAmount, unit: row.minimumUnit } : null,
    price:
      row.priceAmount && row.priceCurrency
        ? { amount: row.priceAmount, currency: row.priceCurrency, per: row.pricePer }
        : null,
    rate:
      row.rateAmount && row.rateUnit && row.ratePer
        ? { amount: row.rateAmount, unit: row.rateUnit, per: row.ratePer }
        : null,
    availableFrom: row.availableFrom,
    availableUntil: row.availableUntil,
    region: row.region,
    location: row.latitude !== null && row.longitude !== null ? { lat: row.latitude, lon: row.longitude } : null,
    visibility: row.visibility,
    partners: row.partners,
    status: row.status === "deleted" ? "active" : row.status,
  };
}

function ownListingIri(origin: string, id: string): string {
  return `${origin}/listings/${id}`;
}

export async function createOwnListing(
  db: Database,
  origin: string,
  authorIri: string,
  data: ListingData,
  descriptionSource: string | null,
): Promise<ListingRow> {
  const id = randomUUID();
  const now = new Date();
  const [row] = await db
    .insert(listings)
    .values({
      id,
      iri: ownListingIri(origin, id),
      authorIri,
      local: true,
      source: "own",
      ...columnsOf(data),
      descriptionSource,
      published: now,
      updated: now,
    })
    .returning();
  return row as ListingRow;
}

export async function updateOwnListing(
  db: Database,
  id: string,
  data: ListingData,
  descriptionSource: string | null,
): Promise<ListingRow | undefined> {
  const [row] = await db
    .update(listings)
    .set({ ...columnsOf(data), descriptionSource, updated: new Date() })
    .where(and(eq(listings.id, id), eq(listings.local, true), ne(listings.status, "deleted")))
    .returning();
  return row;
}

/** Marks our own listing deleted; the row stays so its IRI answers as gone. */
export async function deleteOwnListing(db: Database, id: string): Promise<ListingRow | undefined> {
  const [row] = await db
    .update(listings)
    .set({ status: "deleted", updated: new Date() })
    .where(and(eq(listings.id, id), eq(listings.local, true), ne(listings.status, "deleted")))
    .returning();
  return row;
}

export async function getOwnListing(db: Database, id: string): Promise<ListingRow | undefined> {
  const [row] = await db
    .select()
    .from(listings)
    .where(and(eq(listings.id, id), eq(listings.local, true)));
  return row;
}

/** Any listing stored here by its id: ours, or one another co-op sent us. */
export async function getListingById(db: Database, id: string): Promise<ListingRow | undefined> {
  const [row] = await db.select().from(listings).where(eq(listings.id, id));
  return row;
}

export async function getListingByIri(db: Database, iri: string): Promise<ListingRow | undefined> {
  const [row] = await db.select().from(listings).where(eq(listings.iri, iri));
  return row;
}

export interface ListingFilter {
  kind?: ListingKind;
  /** Matches the category and its sub-categories. */
  category?: string;
  status?: ListingStatus;
}

function filterConditions(filter: ListingFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.kind) conditions.push(eq(listings.kind, filter.kind));
  if (filter.category) {
    const prefix = filter.category.replace(/[\\%_]/g, "\\$&");
    conditions.push(or(eq(listings.category, filter.category), like(listings.category, `${prefix}/%`)) as SQL);
  }
  return conditions;
}

export async function listOwnListings(db: Database, filter: ListingFilter): Promise<ListingRow[]> {
  return await db
    .select()
    .from(listings)
    .where(
      and(
        eq(listings.local, true),
        filter.status ? eq(listings.status, filter.status) : ne(listings.status, "deleted"),
        ...filterConditions(filter),
      ),
    )
    .orderBy(desc(listings.updated), desc(listings.id));
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

/** The position of a listing in a list: its change time (exact, as PostgreSQL prints it) and id. */
const OWN_CURSOR_SEPARATOR = "|";

/**
 * One page of the co-op's own listings, newest change first, filtered in
 * the database and paged by a keyset on (updated, id), which the timeline
 * index serves; `next` is the cursor of the page after it (null on the last).
 * A cursor that does not parse starts from the top.
 */
export async function ownListingsPage(
  db: Database,
  filter: ListingFilter & { after?: string; limit: number },
): Promise<Page<ListingRow>> {
  const conditions: (SQL | undefined)[] = [
    eq(listings.local, true),
    filter.status ? eq(listings.status, filter.status) : ne(listings.status, "deleted"),
    ...filterConditions(filter),
  ];
  if (filter.after) {
    const at = filter.after.lastIndexOf(OWN_CURSOR_SEPARATOR);
    const [time, id] = [filter.after.slice(0, at), filter.after.slice(at + 1)];
    if (at > 0 && !Number.isNaN(Date.parse(time)) && /^[0-9a-f-]{36}$/i.test(id)) {
      conditions.push(sql`(${listings.updated}, ${listings.id}) < (${time}::timestamptz, ${id}::uuid)`);
    }
  }
  const rows = await db
    .select({ listing: listings, cursor: sql<string>`${listings.updated}::text` })
    .from(listings)
    .where(and(...conditions))
    .orderBy(desc(listings.updated), desc(listings.id))
    .limit(filter.limit + 1);
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return {
    items: items.map((r) => r.listing),
    next: rows.length > filter.limit && last ? `${last.cursor}${OWN_CURSOR_SEPARATOR}${last.listing.id}` : null,
  };
}

function encodeCursor(row: ListingRow): string {
  return Buffer.from(`${row.updated.toISOString()}|${row.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { updated: Date; id: string } | null {
  const [iso, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const updated = new Date(iso ?? "");
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(updated.getTime())) return null;
  return { updated, id };
}

/**
 * The timeline: active listings of co-ops we follow and our own, newest
 * change first. `after` is a cursor from a previous page.
 */
export async function timelinePage(
  db: Database,
  filter: ListingFilter & { after?: { updated: Date; id: string } | null; limit: number; sources?: ListingSource[] },
): Promise<Page<ListingRow>> {
  const after = filter.after
    ? or(
        lt(listings.updated, filter.after.updated),
        and(eq(listings.updated, filter.after.updated), lt(listings.id, filter.after.id)),
      )
    : undefined;
  const rows = await db
    .select()
    .from(listings)
    .where(
      and(
        eq(listings.status, "active"),
        // Ended (or paused: sent with its end set to the pause) drop out.
        or(isNull(listings.availableUntil), gte(listings.availableUntil, sql`now()`)),
        inArray(listings.source, filter.sources ?? ["own", "follow", "backfill"]),
        notFromBlockedDomain(listings.authorIri),
        ...filterConditions(filter),
        after,
      ),
    )
    .orderBy(desc(listings.updated), desc(listings.id))
    .limit(filter.limit + 1);
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return { items, next: rows.length > filter.limit && last ? encodeCursor(last) : null };
}

export type RemoteListingOutcome = "stored" | "stale" | "deleted-before" | "not-author";

/**
 * Stores a listing another co-op sent, keeping the newest version: an
 * older or repeated delivery changes nothing, a deleted IRI stays deleted,
 * and only the listing's author can replace it.
 */
export async function saveRemoteListing(
  db: Database,
  listing: { iri: string; authorIri: string; source: ListingSource; published: Date; updated: Date },
  data: ListingData,
): Promise<RemoteListingOutcome> {
  return await db.transaction(async (tx) => {
    const [tombstone] = await tx.select().from(listingTombstones).where(eq(listingTombstones.iri, listing.iri));
    // Deleted stays deleted for every version up to the deletion; a newer
    // version (the author widened the audience again) brings it back.
    if (tombstone && listing.updated <= tombstone.deletedAt) return "deleted-before";
    if (tombstone) await tx.delete(listingTombstones).where(eq(listingTombstones.iri, listing.iri));
    const values: ListingInsert = {
      ...listing,
      local: false,
      ...columnsOf(data),
      // A listing the author paused is kept but hidden from the timeline.
      status: data.status,
    };
    // One statement for a new listing and a new version alike, so that two
    // deliveries of a listing we do not hold yet, handled at once, follow the
    // same rule: only the author's newer version replaces the row. How we
    // first learned of it stays: a later Update does not make a followed
    // co-op's listing a relay listing.
    const [stored] = await tx
      .insert(listings)
      .values(values)
      .onConflictDoUpdate({
        target: listings.iri,
        set: { ...values, source: sql`${listings.source}`, receivedAt: sql`now()` },
        where: and(
          eq(listings.local, false),
          eq(listings.authorIri, listing.authorIri),
          lt(listings.updated, listing.updated),
        ),
      })
      .returning({ id: listings.id });
    if (stored) return "stored";
    const [existing] = await tx
      .select({ local: listings.local, authorIri: listings.authorIri })
      .from(listings)
      .where(eq(listings.iri, listing.iri));
    return existing && (existing.local || existing.authorIri !== listing.authorIri) ? "not-author" : "stale";
  });
}

/**
 * Applies a remote Delete by the listing's author: every version up to
 * `deletedAt` is gone for good. A version newer than that stays: an author
 * that narrowed a public listing withdraws the public version from everyone
 * (through the hubs) while its followers keep the new one.
 */
export async function deleteRemoteListing(
  db: Database,
  iri: string,
  authorIri: string,
  deletedAt: Date,
): Promise<"deleted" | "not-author" | "newer-kept"> {
  return await db.transaction(async (tx) => {
    const [existing] = await tx.select().from(listings).where(eq(listings.iri, iri)).for("update");
    if (existing && (existing.local || existing.authorIri !== authorIri)) return "not-author";
    await tx
      .insert(listingTombstones)
      .values({ iri, authorIri, deletedAt })
      .onConflictDoUpdate({
        target: listingTombstones.iri,
        set: { deletedAt: sql`greatest(${listingTombstones.deletedAt}, excluded.deleted_at)` },
      });
    if (existing && existing.updated > deletedAt) return "newer-kept";
    if (existing) await tx.delete(listings).where(eq(listings.id, existing.id));
    return "deleted";
  });
}

/** Whether `viewerIri` (null: anonymous) may see our listing `row`. */
export async function isVisibleTo(db: Database, row: ListingRow, viewerIri: string | null): Promise<boolean> {
  if (row.status === "deleted") return false;
  if (row.visibility === "public") return true;
  if (viewerIri === null) return false;
  if (row.visibility === "partners") return row.partners.includes(viewerIri);
  return await isAcceptedFollower(db, viewerIri);
}

/** Our own active listings `viewerIri` may see, newest first, for the listings collection. */
export async function visibleOwnListingsPage(
  db: Database,
  viewerIri: string | null,
  after: { updated: Date; id: string } | null,
  limit: number,
): Promise<Page<ListingRow>> {
  const follower = viewerIri !== null && (await isAcceptedFollower(db, viewerIri));
  const audience = or(
    eq(listings.visibility, "public"),
    follower ? eq(listings.visibility, "followers") : undefined,
    viewerIri ? and(eq(listings.visibility, "partners"), sql`${viewerIri} = ANY(${listings.partners})`) : undefined,
  );
  const cursor = after
    ? or(lt(listings.updated, after.updated), and(eq(listings.updated, after.updated), lt(listings.id, after.id)))
    : undefined;
  const rows = await db
    .select()
    .from(listings)
    .where(and(eq(listings.local, true), eq(listings.status, "active"), audience, cursor))
    .orderBy(desc(listings.updated), desc(listings.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? encodeCursor(last) : null };
}

/**
 * Every category a listing here uses (ours and those received), in order:
 * the suggestions a category picker offers, so co-ops converge on the same
 * paths instead of near-duplicates.
 */
export async function knownCategories(db: Database): Promise<string[]> {
  // A loose index scan: from each category, the next one by the category
  // index (text_pattern_ops, hence ~>~ and USING ~<~), one probe per category
  // instead of reading and sorting every listing.
  const result = await db.execute(sql`
    WITH RECURSIVE c(category, n) AS (
      (SELECT category, 1 FROM ${listings} WHERE status <> 'deleted' ORDER BY category USING ~<~ LIMIT 1)
      UNION ALL
      SELECT (SELECT l.category FROM ${listings} l WHERE l.category ~>~ c.category AND l.status <> 'deleted'
              ORDER BY l.category USING ~<~ LIMIT 1), c.n + 1
      FROM c WHERE c.category IS NOT NULL AND c.n < 500
    )
    SELECT category FROM c WHERE category IS NOT NULL`);
  return rowsOf<{ category: string }>(result).map((r) => r.category);
}
