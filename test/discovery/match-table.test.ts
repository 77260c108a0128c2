// The matches table (src/domain/matching.ts) is filled as listings are
// stored, changed and removed, by an indexed query per listing. These tests
// check it against the plain definition of a match written out here (one
// side ours, a need against an offer or capacity, the same category line,
// overlapping windows, both live), over listings made at random, and after
// edits, pauses and removals.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { ListingRow } from "../../src/db/schema.ts";
import type { ListingData } from "../../src/domain/listing-rules.ts";
import {
  createOwnListing,
  deleteOwnListing,
  deleteRemoteListing,
  getListingByIri,
  saveRemoteListing,
  updateOwnListing,
} from "../../src/domain/listings.ts";
import {
  findMatches,
  findMatchesBySide,
  markAllMatchesSeen,
  matchTotals,
  rebuildMatches,
  refreshMatches,
} from "../../src/domain/matching.ts";
import { useTestDatabase } from "../support/databases.ts";

const ORIGIN = "https://us.example";
const US = `${ORIGIN}/coops/coop`;
const THEM = "https://them.example/coops/coop";
const DAY = 86_400_000;
const CATEGORIES = ["apparel", "apparel/cut-and-sew", "apparel/cut-and-sew/knit", "apparel/cutting", "apparelx"];

function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

function listing(overrides: Partial<ListingData>): ListingData {
  return {
    kind: "need",
    title: "A listing",
    descriptionHtml: "",
    category: "apparel",
    quantity: null,
    minimumOrder: null,
    price: null,
    rate: null,
    availableFrom: null,
    availableUntil: null,
    region: null,
    location: null,
    visibility: "public",
    partners: [],
    status: "active",
    ...overrides,
  };
}

/** The definition, plainly. */
function shouldMatch(need: ListingRow, offer: ListingRow, now: number): boolean {
  const live = (l: ListingRow) =>
    l.status === "active" && (l.availableUntil === null || l.availableUntil.getTime() >= now);
  const related =
    need.category === offer.category ||
    offer.category.startsWith(`${need.category}/`) ||
    need.category.startsWith(`${offer.category}/`);
  const overlap =
    (need.availableUntil === null || offer.availableFrom === null || need.availableUntil >= offer.availableFrom) &&
    (offer.availableUntil === null || need.availableFrom === null || offer.availableUntil >= need.availableFrom);
  return (
    need.kind === "need" &&
    offer.kind !== "need" &&
    need.local !== offer.local &&
    live(need) &&
    live(offer) &&
    related &&
    overlap
  );
}

describe("matches table", () => {
  const database = useTestDatabase();

  it("holds exactly the matches the plain definition gives, as listings come, change and go", async () => {
    const db = database.handle.db;
    const rnd = random(7);
    const now = Date.now();
    const data = (): ListingData => {
      const from = rnd.next() < 0.4 ? null : new Date(now + Math.floor(rnd.next() * 60 - 20) * DAY);
      const until =
        rnd.next() < 0.4 ? null : new Date((from?.getTime() ?? now) + Math.floor(rnd.next() * 40 - 10) * DAY);
      return listing({
        kind: rnd.pick(["need", "offer", "capacity"] as const),
        category: rnd.pick(CATEGORIES),
        availableFrom: from && until && until < from ? until : from,
        availableUntil: until,
        status: rnd.next() < 0.1 ? "paused" : "active",
      });
    };
    const ours: ListingRow[] = [];
    const theirs: string[] = [];
    for (let i = 0; i < 40; i++) {
      const row = await createOwnListing(db, ORIGIN, US, data(), null);
      ours.push(row);
      await refreshMatches(db, row.iri);
      const iri = `https://them.example/listings/${i}`;
      await saveRemoteListing(
        db,
        { iri, authorIri: THEM, source: "follow", published: new Date(now), updated: new Date(now) },
        data(),
      );
      theirs.push(iri);
      await refreshMatches(db, iri);
    }
    // Some of ours change (kind stays), some are removed; some of theirs are deleted.
    for (const row of ours.slice(0, 10)) {
      await updateOwnListing(db, row.id, { ...data(), kind: row.kind }, null);
      await refreshMatches(db, row.iri);
    }
    for (const row of ours.slice(10, 14)) {
      await deleteOwnListing(db, row.id);
      await refreshMatches(db, row.iri);
    }
    for (const iri of theirs.slice(0, 4)) {
      await deleteRemoteListing(db, iri, THEM, new Date(now + 1000));
      await refreshMatches(db, iri);
    }

    const all = (
      await Promise.all([...ours.map((r) => r.iri), ...theirs].map((iri) => getListingByIri(db, iri)))
    ).filter((r): r is ListingRow => r !== undefined);
    const expected = all
      .flatMap((n) => all.filter((o) => shouldMatch(n, o, Date.now())).map((o) => `${n.iri} ${o.iri}`))
      .sort();
    expect(expected.length).toBeGreaterThan(20);
    const found = await findMatches(db);
    expect(found.map((m) => `${m.need.iri} ${m.offer.iri}`).sort()).toEqual(expected);
    // Best first, and each side's walk merged in that order.
    const scores = found.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const totals = await matchTotals(db);
    expect(totals.ourNeeds + totals.theirNeeds).toBe(expected.length);
    expect(totals.ourNeeds).toBe(found.filter((m) => m.need.local).length);
    expect(totals.fresh).toBe(expected.length);

    // Found again from scratch, the table is the same.
    const rebuilt = await rebuildMatches(db);
    expect(rebuilt).toBe(expected.length);
    expect((await findMatches(db)).map((m) => `${m.need.iri} ${m.offer.iri}`).sort()).toEqual(expected);
  });

  it("limits, filters by side and by new, and marks all seen", async () => {
    const db = database.handle.db;
    // A fresh start: nothing left of the test before.
    await db.execute(sql`TRUNCATE listings, listing_tombstones, matches, seen_matches`);
    const need = await createOwnListing(db, ORIGIN, US, listing({ kind: "need", category: "apparel" }), null);
    const offers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const iri = `https://them.example/listings/offer-${i}`;
      offers.push(iri);
      const at = new Date(Date.now() + i * 1000);
      await saveRemoteListing(
        db,
        { iri, authorIri: THEM, source: "follow", published: at, updated: at },
        listing({ kind: "capacity", category: i % 2 === 0 ? "apparel" : "apparel/cut-and-sew" }),
      );
      const fresh = await refreshMatches(db, iri);
      expect(fresh.map((m) => m.offer.iri)).toEqual([iri]);
    }
    // Stored again unchanged, nothing is new.
    expect(await refreshMatches(db, need.iri)).toEqual([]);
    const best = await findMatches(db, { limit: 2, ourNeed: true });
    // Same category scores higher; among equals the newer offer first.
    expect(best.map((m) => m.offer.iri)).toEqual([offers[4], offers[2]]);
    expect(await findMatches(db, { ourNeed: false })).toEqual([]);
    // Both sides read together (Home, the Matches page) give what each side read alone gives.
    for (const limit of [1, 2, 10]) {
      const both = await findMatchesBySide(db, { onlyNew: true }, limit);
      expect(both.ourNeeds).toEqual(await findMatches(db, { ourNeed: true, onlyNew: true, limit }));
      expect(both.theirNeeds).toEqual([]);
    }
    expect(await matchTotals(db)).toEqual({ ourNeeds: 5, theirNeeds: 0, fresh: 5 });
    expect(await markAllMatchesSeen(db)).toBe(5);
    expect(await findMatches(db, { onlyNew: true })).toEqual([]);
    expect((await matchTotals(db)).fresh).toBe(0);
    expect(await markAllMatchesSeen(db)).toBe(0);
    // A paused offer drops out of the table when it is stored.
    await saveRemoteListing(
      db,
      {
        iri: offers[4]!,
        authorIri: THEM,
        source: "follow",
        published: new Date(),
        updated: new Date(Date.now() + DAY),
      },
      listing({ kind: "capacity", category: "apparel", status: "paused" }),
    );
    await refreshMatches(db, offers[4]!);
    expect((await findMatches(db)).map((m) => m.offer.iri)).not.toContain(offers[4]);
  });
});
