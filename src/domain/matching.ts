// Needs and offers finding each other: our needs against every known offer
// and capacity, and every known need against our own offers and capacity.
// A match must share a category line (same category, or one inside the
// other) and, when both give dates, overlapping availability; region,
// distance and quantity make it better or worse. Pairs are found and scored
// when a listing is stored (refreshMatches) and kept in the matches table,
// so reading the best few is an index walk, not a join of every need with
// every offer.
import { and, desc, eq, gte, inArray, isNull, lte, ne, or, type SQL, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import { type Database, rowsOf } from "../db/client.ts";
import { type ListingRow, listings, matches, seenMatches } from "../db/schema.ts";
import { logger } from "../logging.ts";
import { compareDecimal } from "./codes.ts";
import { notFromBlockedDomain } from "./domain-rules.ts";

export interface Match {
  need: ListingRow;
  offer: ListingRow;
  score: number;
  reasons: string[];
  isNew: boolean;
}

function km(a: ListingRow, b: ListingRow): number | null {
  if (a.latitude === null || a.longitude === null || b.latitude === null || b.longitude === null) return null;
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(h));
}

/** Why (and how well) `o` answers `n`; null when it does not. */
export function scoreMatch(n: ListingRow, o: ListingRow): { score: number; reasons: string[] } | null {
  const reasons: string[] = [];
  let score = 0;
  if (n.category === o.category) {
    score += 3;
    reasons.push(`same category ${n.category}`);
  } else {
    score += 2;
    reasons.push(`related categories ${n.category} and ${o.category}`);
  }
  if (n.availableFrom && n.availableUntil && o.availableFrom && o.availableUntil) {
    reasons.push("available in the wanted window");
    score += 1;
  }
  const distance = km(n, o);
  if (distance !== null && distance <= 100) {
    score += 2;
    reasons.push(`${Math.round(distance)} km apart`);
  } else if (distance !== null && distance <= 500) {
    score += 1;
    reasons.push(`${Math.round(distance)} km apart`);
  } else if (n.region && o.region && n.region === o.region) {
    score += 2;
    reasons.push(`both in ${n.region}`);
  } else if (n.region && o.region && n.region.slice(0, 2) === o.region.slice(0, 2)) {
    score += 1;
    reasons.push(`both in ${n.region.slice(0, 2)}`);
  }
  const wanted = n.quantityAmount && n.quantityUnit ? { amount: n.quantityAmount, unit: n.quantityUnit } : null;
  const available =
    o.quantityAmount && o.quantityUnit
      ? { amount: o.quantityAmount, unit: o.quantityUnit, per: null }
      : o.rateAmount && o.rateUnit
        ? { amount: o.rateAmount, unit: o.rateUnit, per: o.ratePer }
        : null;
  if (wanted && available && wanted.unit === available.unit) {
    if (compareDecimal(available.amount, wanted.amount) >= 0) {
      score += 2;
      reasons.push(
        `enough: ${available.amount} ${available.unit}${available.per ? ` per ${available.per}` : ""} for ${wanted.amount} wanted`,
      );
    } else {
      score += 1;
      reasons.push(
        `part of it: ${available.amount} of ${wanted.amount} ${wanted.unit}${available.per ? ` per ${available.per}` : ""}`,
      );
    }
  }
  return { score, reasons };
}

function live(t: typeof listings): SQL {
  return and(eq(t.status, "active"), or(isNull(t.availableUntil), gte(t.availableUntil, sql`now()`))) as SQL;
}

function isLive(l: ListingRow): boolean {
  return l.status === "active" && (l.availableUntil === null || l.availableUntil.getTime() >= Date.now());
}

/** `a/b/c` → `a`, `a/b`, `a/b/c`. */
function prefixesOf(category: string): string[] {
  const parts = category.split("/");
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * The listings on the other side of `l` that match it: offers and capacity
 * for a need, needs for an offer; ours for a partner's, partners' for ours;
 * live; in the same category line (the category itself or one above it, by
 * the category index, or one below it, by the GIN-indexed prefixes); with
 * overlapping windows when both give them.
 */
async function counterparts(db: Database, l: ListingRow): Promise<ListingRow[]> {
  const t = listings;
  return await db
    .select()
    .from(t)
    .where(
      and(
        l.kind === "need" ? inArray(t.kind, ["offer", "capacity"]) : eq(t.kind, "need"),
        eq(t.local, !l.local),
        live(t),
        or(inArray(t.category, prefixesOf(l.category)), sql`${t.categoryPrefixes} @> ARRAY[${l.category}]::text[]`),
        l.availableUntil ? or(isNull(t.availableFrom), lte(t.availableFrom, l.availableUntil)) : undefined,
        l.availableFrom ? or(isNull(t.availableUntil), gte(t.availableUntil, l.availableFrom)) : undefined,
        notFromBlockedDomain(t.authorIri),
      ),
    );
}

type Pair = { need: ListingRow; offer: ListingRow };

function earlier(a: Date | null, b: Date | null): Date | null {
  return a && b ? (a < b ? a : b) : (a ?? b);
}
const MATCH_BATCH = 500;

/**
 * Finds and scores again every match of the listing `listingIri` (after it
 * was stored, changed or removed) and keeps them in the matches table.
 * Answers the matches that were not there before and are not seen yet.
 */
export async function refreshMatches(db: Database, listingIri: string): Promise<Match[]> {
  const [l] = await db.select().from(listings).where(eq(listings.iri, listingIri));
  const involving = or(eq(matches.needIri, listingIri), eq(matches.offerIri, listingIri));
  const found: Pair[] =
    l && isLive(l) && (l.kind === "need" || l.kind === "offer" || l.kind === "capacity")
      ? (await counterparts(db, l)).map((o) => (l.kind === "need" ? { need: l, offer: o } : { need: o, offer: l }))
      : [];
  const scored = found.flatMap((p) => {
    const s = scoreMatch(p.need, p.offer);
    return s ? [{ ...p, ...s }] : [];
  });
  const key = (p: { needIri: string; offerIri: string }) => `${p.needIri} ${p.offerIri}`;
  const [before, seen] = await db.transaction(async (tx) => {
    const gone = await tx
      .delete(matches)
      .where(involving)
      .returning({ needIri: matches.needIri, offerIri: matches.offerIri });
    const seenRows =
      scored.length === 0
        ? []
        : await tx
            .select({ needIri: seenMatches.needIri, offerIri: seenMatches.offerIri })
            .from(seenMatches)
            .where(l?.kind === "need" ? eq(seenMatches.needIri, listingIri) : eq(seenMatches.offerIri, listingIri));
    const seenKeys = new Set(seenRows.map(key));
    for (let i = 0; i < scored.length; i += MATCH_BATCH) {
      await tx
        .insert(matches)
        .values(
          scored.slice(i, i + MATCH_BATCH).map((m) => ({
            needIri: m.need.iri,
            offerIri: m.offer.iri,
            ourNeed: m.need.local,
            score: m.score,
            offerUpdated: m.offer.updated,
            liveUntil: earlier(m.need.availableUntil, m.offer.availableUntil),
            seen: seenKeys.has(key({ needIri: m.need.iri, offerIri: m.offer.iri })),
          })),
        )
        .onConflictDoNothing();
    }
    return [gone, seenRows];
  });
  const old = new Set([...before, ...seen].map(key));
  return scored
    .filter((m) => !old.has(key({ needIri: m.need.iri, offerIri: m.offer.iri })))
    .map((m) => ({ ...m, isNew: true }));
}

/**
 * Finds every match again, from our own listings (each match involves one):
 * for a node whose matches table was never filled (made before it existed)
 * and for data written to the tables directly.
 */
export async function rebuildMatches(db: Database, signal?: AbortSignal): Promise<number> {
  const ours = await db
    .select({ iri: listings.iri })
    .from(listings)
    .where(and(eq(listings.local, true), ne(listings.status, "deleted")));
  for (const { iri } of ours) {
    signal?.throwIfAborted();
    await refreshMatches(db, iri);
  }
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(matches);
  return row?.n ?? 0;
}

/** Fills the matches table at start when it is empty and there are listings of ours (a node upgraded to it). */
export async function fillMatchesIfEmpty(db: Database, signal?: AbortSignal): Promise<void> {
  const [any] = await db.select({ one: sql`1` }).from(matches).limit(1);
  if (any) return;
  const [need] = await db
    .select({ one: sql`1` })
    .from(listings)
    .where(and(eq(listings.kind, "need"), eq(listings.status, "active")))
    .limit(1);
  if (!need) return;
  const count = await rebuildMatches(db, signal);
  if (count > 0) logger("matches").info("Found {count} matches among the stored listings", { count });
}

export interface MatchQuery {
  /** Only matches not marked seen. */
  onlyNew?: boolean;
  /** Only matches for our needs (true) or for partners' needs (false). */
  ourNeed?: boolean;
  /** At most this many, best first (1000 when not given). */
  limit?: number;
}

/** A match not expired by its listings' dates (paused and removed listings take their matches with them). */
const notExpired = or(isNull(matches.liveUntil), gte(matches.liveUntil, sql`now()`));

/**
 * Matches involving our own listings that are live now, best first (newer
 * offers first among equals). Each side (our needs, partners' needs) is one
 * walk of the matches index; both sides are merged here.
 */
export async function findMatches(db: Database, query: MatchQuery = {}): Promise<Match[]> {
  const limit = query.limit ?? 1000;
  const sides =
    query.ourNeed === undefined
      ? await bestOfBoth(db, query, limit)
      : [await bestOf(db, { ...query, ourNeed: query.ourNeed }, limit)];
  return sides
    .flat()
    .sort((a, b) => b.score - a.score || b.offer.updated.getTime() - a.offer.updated.getTime())
    .slice(0, limit);
}

type MatchRow = typeof matches.$inferSelect;

/** The best `limit` of each side (our needs, partners' needs): two statements for both when the first batch suffices. */
export async function findMatchesBySide(
  db: Database,
  query: Omit<MatchQuery, "ourNeed" | "limit">,
  limit: number,
): Promise<{ ourNeeds: Match[]; theirNeeds: Match[] }> {
  const [ourNeeds = [], theirNeeds = []] = await bestOfBoth(db, query, limit);
  return { ourNeeds, theirNeeds };
}

/** One batch of one side's best rows, in the order of its index. */
function bestRows(db: Database, query: MatchQuery, ourNeed: boolean, batch: number, offset: number) {
  return db
    .select()
    .from(matches)
    .where(and(eq(matches.ourNeed, ourNeed), query.onlyNew ? eq(matches.seen, false) : undefined, notExpired))
    .orderBy(desc(matches.score), desc(matches.offerUpdated), matches.needIri, matches.offerIri)
    .limit(batch)
    .offset(offset);
}

/** The rows' listings in one query (not a join: see bestOf), scored; rows whose listings are gone or paused drop out. */
async function withListings(db: Database, best: MatchRow[]): Promise<{ row: MatchRow; match: Match }[]> {
  const iris = [...new Set(best.flatMap((m) => [m.needIri, m.offerIri]))];
  const rows = iris.length === 0 ? [] : await db.select().from(listings).where(inArray(listings.iri, iris));
  const byIri = new Map(rows.map((r) => [r.iri, r]));
  const found: { row: MatchRow; match: Match }[] = [];
  for (const m of best) {
    const [n, o] = [byIri.get(m.needIri), byIri.get(m.offerIri)];
    if (!n || !o || n.status !== "active" || o.status !== "active") continue;
    const scored = scoreMatch(n, o);
    if (scored) found.push({ row: m, match: { need: n, offer: o, ...scored, isNew: !m.seen } });
  }
  return found;
}

/**
 * Both sides' best: the first batch of each in one statement (a UNION ALL of
 * the two index walks) and their listings in a second, since PGlite runs
 * statements one at a time; a side that needs more reads on alone.
 */
async function bestOfBoth(db: Database, query: MatchQuery, limit: number): Promise<Match[][]> {
  const batch = limit + 10;
  const first = await unionAll(bestRows(db, query, true, batch, 0), bestRows(db, query, false, batch, 0));
  const found = await withListings(db, first);
  return await Promise.all(
    [true, false].map(async (ourNeed) => {
      const mine = found.filter((f) => f.row.ourNeed === ourNeed).map((f) => f.match);
      const complete = mine.length >= limit || first.filter((r) => r.ourNeed === ourNeed).length < batch;
      return complete ? mine.slice(0, limit) : await bestOf(db, { ...query, ourNeed }, limit);
    }),
  );
}

/**
 * The best `limit` matches of one side. The rows are taken from the index
 * in batches and only then their listings read: joined in one query, the
 * planner could not see how few rows the filters drop and joined every
 * match before sorting (over a second on 57,000 matches).
 */
async function bestOf(db: Database, query: MatchQuery & { ourNeed: boolean }, limit: number): Promise<Match[]> {
  // A few more than asked for, in case some turn out paused or removed since.
  const batch = limit + 10;
  const found: Match[] = [];
  for (let offset = 0; found.length < limit; offset += batch) {
    // Two single-table queries, not a join: PGlite spent more planning a
    // three-way join with listings (60–150 ms under load) than running it.
    const best = await bestRows(db, query, query.ourNeed, batch, offset);
    found.push(...(await withListings(db, best)).map((f) => f.match));
    if (best.length < batch) break;
  }
  return found.slice(0, limit);
}

/** Counts stop here: past it a page says "more than 1000". */
export const MATCH_COUNT_CAP = 1000;

/**
 * How many live matches there are for our needs, for partners' needs, and
 * not yet seen, each counted up to MATCH_COUNT_CAP + 1 (an index walk;
 * counting all of tens of thousands took 160 ms on PGlite).
 */
export async function matchTotals(db: Database): Promise<{ ourNeeds: number; theirNeeds: number; fresh: number }> {
  // Four capped index walks in one statement: PGlite runs statements one at a time.
  const upTo = (where: SQL | undefined) =>
    sql`(select count(*)::int from (select 1 from ${matches} where ${and(where, notExpired)} limit ${MATCH_COUNT_CAP + 1}) capped)`;
  const result = await db.execute(sql`select
    ${upTo(eq(matches.ourNeed, true))} as our_needs,
    ${upTo(eq(matches.ourNeed, false))} as their_needs,
    ${upTo(and(eq(matches.ourNeed, true), eq(matches.seen, false)))} as fresh_ours,
    ${upTo(and(eq(matches.ourNeed, false), eq(matches.seen, false)))} as fresh_theirs`);
  const [row] = rowsOf<{ our_needs: number; their_needs: number; fresh_ours: number; fresh_theirs: number }>(result);
  return {
    ourNeeds: Number(row?.our_needs ?? 0),
    theirNeeds: Number(row?.their_needs ?? 0),
    fresh: Math.min(Number(row?.fresh_ours ?? 0) + Number(row?.fresh_theirs ?? 0), MATCH_COUNT_CAP + 1),
  };
}

/** Marks every live match seen; answers how many were new. */
export async function markAllMatchesSeen(db: Database): Promise<number> {
  const result = await db.execute(sql`
    WITH marked AS (
      UPDATE matches SET seen = true
       WHERE NOT seen AND (live_until IS NULL OR live_until >= now())
      RETURNING need_iri, offer_iri),
    kept AS (
      INSERT INTO seen_matches (need_iri, offer_iri) SELECT need_iri, offer_iri FROM marked ON CONFLICT DO NOTHING)
    SELECT count(*)::int AS n FROM marked`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}

/** New need–offer matches of a listing, kept for the pages and announced in the node's log as they appear. */
export async function announceNewMatches(db: Database, listingIri: string): Promise<void> {
  const log = logger("matches");
  const fresh = await refreshMatches(db, listingIri).catch((error) => {
    log.warning("Could not look for matches of {listing}: {error}", { listing: listingIri, error });
    return [];
  });
  for (const m of fresh) {
    log.info("New match: need {need} ({needTitle}) and {kind} {offer} ({offerTitle}): {reasons}", {
      need: m.need.iri,
      needTitle: m.need.title,
      kind: m.offer.kind,
      offer: m.offer.iri,
      offerTitle: m.offer.title,
      reasons: m.reasons.join("; "),
    });
  }
}
