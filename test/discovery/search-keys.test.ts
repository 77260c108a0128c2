// Search narrows through generated key columns (category and region
// prefixes, grid cells, four-week periods) before its exact conditions run.
// These tests check that the keys never lose a listing: the SQL functions
// that fill the columns and src/domain/search-keys.ts must agree, also on
// cell and period boundaries, and search must return exactly the listings
// the plain conditions describe, whichever way the listings were written.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../src/db/client.ts";
import type { ListingData } from "../../src/domain/listing-rules.ts";
import { createOwnListing, saveRemoteListing, updateOwnListing } from "../../src/domain/listings.ts";
import { type SearchQuery, searchListings } from "../../src/domain/search.ts";
import { gridCellsCovering, periodsOverlapping } from "../../src/domain/search-keys.ts";
import { useTestDatabase } from "../support/databases.ts";

/** A small seeded generator, so a failure can be replayed. */
function randomSource(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick, chance: (p: number) => next() < p, between: (a: number, b: number) => a + next() * (b - a) };
}

const DAY = 86_400_000;
const KM_PER_DEGREE = 111.045;
/** Monday 2027-03-01 00:00 UTC; tests pick dates around it, on and next to day (and so period) boundaries. */
const MONDAY = Date.UTC(2027, 2, 1);
const CATEGORIES = [
  "apparel",
  "apparel/cut-and-sew",
  "apparel/cut-and-sew/knit",
  "apparel/cutting",
  "apparelx",
  "a_b/c%d",
];
const REGIONS = [null, "US", "US-NC", "US-SC", "USA", "PT-13", "US-NC-X"];
const WORDS = ["alpha", "bravo", "delta", "kilo", "lima", "tango"];
const CENTRES = [
  { lat: 35.75, lon: -81.5 },
  { lat: 0, lon: 0 },
  { lat: 64, lon: 179.9 },
  { lat: -89.5, lon: -180 },
];

const within = (limit: number, value: number) => Math.max(-limit, Math.min(limit, value));

function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(h));
}

/** What each filter means, written out plainly; null when a listing sits on a rounding edge of the radius. */
function matches(l: ListingData, q: SearchQuery, now: number): boolean | null {
  const under = (path: string | null, value: string, separator: string) =>
    path !== null && (path === value || path.startsWith(value + separator));
  if (q.q && !l.title.split(" ").includes(q.q)) return false;
  if (q.category && !under(l.category, q.category, "/")) return false;
  if (q.region && !under(l.region, q.region, "-")) return false;
  const until = l.availableUntil?.getTime() ?? null;
  const from = l.availableFrom?.getTime() ?? null;
  if (!q.includeExpired && until !== null && until < now) return false;
  if (q.from && until !== null && until < q.from.getTime()) return false;
  if (q.until && from !== null && from > q.until.getTime()) return false;
  if (q.near && q.radiusKm !== undefined) {
    if (!l.location) return false;
    const dLat = q.radiusKm / KM_PER_DEGREE;
    const dLon = q.radiusKm / (KM_PER_DEGREE * Math.max(Math.cos((q.near.lat * Math.PI) / 180), 0.01));
    const { lat, lon } = l.location;
    if (lat < q.near.lat - dLat || lat > q.near.lat + dLat || lon < q.near.lon - dLon || lon > q.near.lon + dLon) {
      return false;
    }
    const d = haversineKm(q.near, l.location);
    if (Math.abs(d - q.radiusKm) < 1e-6) return null;
    if (d > q.radiusKm) return false;
  }
  return true;
}

describe("search keys", () => {
  const database = useTestDatabase();

  it("finds every position's cells among those covering any box around it", async () => {
    const rnd = randomSource(1);
    const edges = [-180, -90, -16, -4, -1, -0.25, 0, 0.25, 1, 4, 16, 90, 180];
    const points: { lat: number; lon: number }[] = [];
    for (let i = 0; i < 400; i++) {
      // Grid lines, a hair either side of them, and anywhere.
      const near = (limit: number) =>
        rnd.chance(0.5)
          ? within(limit, rnd.pick(edges) + rnd.pick([0, 1e-9, -1e-9, 0.25 * Math.floor(rnd.between(-8, 8))]))
          : rnd.between(-limit, limit);
      points.push({ lat: near(90), lon: near(180) });
    }
    const stored = rowsOf<{ cells: number[] }>(
      await database.handle.db.execute(sql`
        SELECT weft_grid_cells(p.lat, p.lon) AS cells
          FROM unnest(${`{${points.map((p) => p.lat).join(",")}}`}::float8[],
                      ${`{${points.map((p) => p.lon).join(",")}}`}::float8[]) WITH ORDINALITY AS p(lat, lon, n)
         ORDER BY p.n`),
    );
    expect(stored).toHaveLength(points.length);
    let checked = 0;
    points.forEach((p, i) => {
      const cells = new Set(stored[i]!.cells.map(Number));
      for (const half of [0, 1e-7, 0.1, 0.6, 3, 12, 40, 200]) {
        const box = {
          south: p.lat - half * rnd.next(),
          north: p.lat + half * rnd.next(),
          west: p.lon - half * rnd.next(),
          east: p.lon + half * rnd.next(),
        };
        const covering = gridCellsCovering(box);
        if (covering === null) continue;
        checked++;
        expect(
          covering.some((c) => cells.has(c)),
          `${p.lat},${p.lon} in ${JSON.stringify(box)}`,
        ).toBe(true);
      }
    });
    expect(checked).toBeGreaterThan(points.length * 5);
  });

  it("finds every window's periods among those of any query window it overlaps", async () => {
    const rnd = randomSource(2);
    // Instants on and a millisecond either side of day boundaries, where periods begin.
    const instant = () => MONDAY + Math.round(rnd.between(-60, 60)) * DAY + rnd.pick([0, 1, -1, rnd.next() * DAY]);
    const windows: { from: number | null; until: number | null }[] = [];
    for (let i = 0; i < 300; i++) {
      const from = instant();
      const until = rnd.pick([from, instant(), from + Math.floor(rnd.between(0, 500)) * DAY]);
      windows.push({ from: rnd.chance(0.1) ? null : from, until: rnd.chance(0.1) ? null : until });
    }
    const iso = (t: number | null) => (t === null ? "NULL" : `"${new Date(t).toISOString()}"`);
    const stored = rowsOf<{ periods: number[] }>(
      await database.handle.db.execute(sql`
        SELECT weft_available_periods(w.f, w.u) AS periods
          FROM unnest(${`{${windows.map((w) => iso(w.from)).join(",")}}`}::timestamptz[],
                      ${`{${windows.map((w) => iso(w.until)).join(",")}}`}::timestamptz[]) WITH ORDINALITY AS w(f, u, n)
         ORDER BY w.n`),
    );
    let overlapping = 0;
    windows.forEach((w, i) => {
      const periods = new Set(stored[i]!.periods.map(Number));
      for (let j = 0; j < 20; j++) {
        const [from, until] = [instant(), instant()];
        // The search's own conditions: the listing has not ended before `from` nor starts after `until`.
        if ((w.until !== null && w.until < from) || (w.from !== null && w.from > until)) continue;
        const keys = periodsOverlapping(new Date(from), new Date(until));
        if (keys === null) continue;
        overlapping++;
        expect(
          keys.some((k) => periods.has(k)),
          `${iso(w.from)}–${iso(w.until)} against ${iso(from)}–${iso(until)}`,
        ).toBe(true);
      }
    });
    expect(overlapping).toBeGreaterThan(1000);
  });

  it("returns exactly the listings the plain conditions describe", async () => {
    const rnd = randomSource(3);
    const now = Date.now();
    // Anywhere near a centre, or on a ¼° grid line.
    const offset = () => rnd.pick([rnd.between(-6, 6), Math.round(rnd.between(-24, 24)) / 4]);
    const listingOf = (): ListingData => {
      const centre = rnd.pick(CENTRES);
      const from = rnd.chance(0.15) ? null : new Date(MONDAY + Math.round(rnd.between(-400, 400)) * DAY);
      // Some windows end before they start, some run for years, some are open.
      const until = rnd.chance(0.15)
        ? null
        : new Date((from?.getTime() ?? MONDAY) + Math.round(rnd.between(-20, 600)) * DAY + rnd.pick([0, -1, 1]));
      return {
        kind: "capacity",
        title: Array.from({ length: 2 }, () => rnd.pick(WORDS)).join(" "),
        descriptionHtml: "",
        category: rnd.pick(CATEGORIES),
        quantity: null,
        minimumOrder: null,
        price: null,
        rate: null,
        availableFrom: from,
        availableUntil: until !== null && Math.abs(until.getTime() - now) < 2 * DAY ? null : until,
        region: rnd.pick(REGIONS),
        location: rnd.chance(0.1)
          ? null
          : { lat: within(90, centre.lat + offset()), lon: within(180, centre.lon + offset()) },
        visibility: "public",
        partners: [],
        status: "active",
      };
    };

    // Every way a listing is written: our own (created, then edited) and
    // other co-ops' (received, then replaced by a newer version).
    const listings = new Map<string, ListingData>();
    for (let i = 0; i < 120; i++) {
      const created = listingOf();
      const row = await createOwnListing(
        database.handle.db,
        "https://here.example",
        "https://here.example/coop",
        created,
        null,
      );
      const edited = rnd.chance(0.5) ? listingOf() : null;
      if (edited) await updateOwnListing(database.handle.db, row.id, edited, null);
      listings.set(row.iri, edited ?? created);
    }
    for (let i = 0; i < 280; i++) {
      const iri = `https://there.example/listings/${i}`;
      const first = listingOf();
      const meta = { iri, authorIri: "https://there.example/coop", source: "relay" as const, published: new Date(now) };
      await saveRemoteListing(database.handle.db, { ...meta, updated: new Date(now) }, first);
      const second = rnd.chance(0.5) ? listingOf() : null;
      if (second) await saveRemoteListing(database.handle.db, { ...meta, updated: new Date(now + 1000) }, second);
      listings.set(iri, second ?? first);
    }

    let compared = 0;
    let found = 0;
    for (let i = 0; i < 200; i++) {
      const centre = rnd.pick(CENTRES);
      const from = rnd.chance(0.5)
        ? new Date(MONDAY + Math.round(rnd.between(-300, 300)) * DAY + rnd.pick([0, -1, 1]))
        : undefined;
      const until = rnd.chance(0.5)
        ? new Date((from?.getTime() ?? MONDAY) + Math.round(rnd.between(-30, 250)) * DAY + rnd.pick([0, -1, 1]))
        : undefined;
      const query: SearchQuery = {
        q: rnd.chance(0.3) ? rnd.pick(WORDS) : undefined,
        category: rnd.chance(0.5) ? rnd.pick([...CATEGORIES, "apparel/cut", "a_b", "a"]) : undefined,
        region: rnd.chance(0.4) ? rnd.pick(["US", "US-NC", "PT", "US-N", "PT-13"]) : undefined,
        near: rnd.chance(0.6)
          ? { lat: centre.lat + rnd.between(-2, 2), lon: centre.lon + rnd.between(-2, 2) }
          : undefined,
        radiusKm: rnd.pick([1, 30, 150, 400, 1500, 6000]),
        from,
        until,
        includeExpired: rnd.chance(0.5),
        sort: "newest",
        offset: 0,
        limit: 1000,
      };
      if (!query.near) query.radiusKm = undefined;
      const { hits } = await searchListings(database.handle.db, query);
      const got = new Set(hits.map((h) => h.listing.iri));
      for (const [iri, data] of listings) {
        const expected = matches(data, query, now);
        if (expected === null) continue;
        compared++;
        expect(got.has(iri), `${iri} ${JSON.stringify(data)} for ${JSON.stringify(query)}`).toBe(expected);
      }
      found += got.size;
    }
    expect(compared).toBeGreaterThan(70_000);
    // The queries must find something, or the comparison says little.
    expect(found).toBeGreaterThan(2_000);
  });
});
