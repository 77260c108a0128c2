// Needs and offers finding each other: our needs against every known offer
// and capacity, and every known need against our own offers and capacity.
// A match must share a category line (same category, or one inside the
// other) and, when both give dates, overlapping availability; region,
// distance and quantity make it better or worse.
import { aliasedTable, and, eq, gte, isNull, like, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { type ListingRow, listings, seenMatches } from "../db/schema.ts";
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

const need = aliasedTable(listings, "need");
const offer = aliasedTable(listings, "offer");

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

function relatedCategory(): SQL {
  return or(
    eq(need.category, offer.category),
    like(offer.category, sql`${need.category} || '/%'`),
    like(need.category, sql`${offer.category} || '/%'`),
  ) as SQL;
}

function live(t: typeof need): SQL {
  return and(eq(t.status, "active"), or(isNull(t.availableUntil), gte(t.availableUntil, sql`now()`))) as SQL;
}

/**
 * All matches that involve our own listings, best first. `onlyListing`
 * narrows to matches involving one listing (to announce new ones).
 */
export async function findMatches(db: Database, onlyListing?: string): Promise<Match[]> {
  const windowOverlap = and(
    or(isNull(need.availableUntil), isNull(offer.availableFrom), gte(need.availableUntil, offer.availableFrom)),
    or(isNull(offer.availableUntil), isNull(need.availableFrom), gte(offer.availableUntil, need.availableFrom)),
  );
  const ours = or(and(eq(need.local, true), eq(offer.local, false)), and(eq(need.local, false), eq(offer.local, true)));
  const rows = await db
    .select({ need, offer, seen: seenMatches.seenAt })
    .from(need)
    .innerJoin(offer, and(relatedCategory(), sql`${offer.kind} in ('offer', 'capacity')`))
    .leftJoin(seenMatches, and(eq(seenMatches.needIri, need.iri), eq(seenMatches.offerIri, offer.iri)))
    .where(
      and(
        eq(need.kind, "need"),
        live(need),
        live(offer),
        ours,
        notFromBlockedDomain(need.authorIri),
        notFromBlockedDomain(offer.authorIri),
        windowOverlap,
        onlyListing ? or(eq(need.iri, onlyListing), eq(offer.iri, onlyListing)) : undefined,
      ),
    )
    .limit(1000);
  const matches: Match[] = [];
  for (const r of rows) {
    const scored = scoreMatch(r.need, r.offer);
    if (scored) matches.push({ need: r.need, offer: r.offer, ...scored, isNew: r.seen === null });
  }
  return matches.sort((a, b) => b.score - a.score || b.offer.updated.getTime() - a.offer.updated.getTime());
}

export async function markMatchesSeen(db: Database, pairs: { needIri: string; offerIri: string }[]): Promise<void> {
  if (pairs.length === 0) return;
  await db.insert(seenMatches).values(pairs).onConflictDoNothing();
}

/** New need–offer matches of a listing, announced in the node's log as they appear. */
export async function announceNewMatches(db: Database, listingIri: string): Promise<void> {
  const log = logger("matches");
  const matches = await findMatches(db, listingIri).catch((error) => {
    log.warning("Could not look for matches of {listing}: {error}", { listing: listingIri, error });
    return [];
  });
  for (const m of matches.filter((x) => x.isNew)) {
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
