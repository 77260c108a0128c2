// The workspace's list of our own listings reads one page at a time
// (src/domain/listings.ts, ownListingsPage): filtered in the database, most
// recently changed first, a keyset cursor to the next page. These tests
// check that paging gives every listing exactly once and in the full list's
// order, also when many share a change time to the microsecond, and that
// the category picker's loose index scan lists what a plain DISTINCT does.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../src/db/client.ts";
import { listings } from "../../src/db/schema.ts";
import type { ListingData } from "../../src/domain/listing-rules.ts";
import { createOwnListing, knownCategories, listOwnListings, ownListingsPage } from "../../src/domain/listings.ts";
import { useTestDatabase } from "../support/databases.ts";

const ORIGIN = "https://us.example";
const US = `${ORIGIN}/coops/coop`;
const CATEGORIES = ["apparel", "apparel/cut-and-sew", "apparel-x", "textile/weaving", "textile"];
const KINDS = ["offer", "capacity", "need"] as const;

function listing(i: number): ListingData {
  return {
    kind: KINDS[i % 3]!,
    title: `Listing ${i}`,
    descriptionHtml: "",
    category: CATEGORIES[i % CATEGORIES.length]!,
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
    status: i % 4 === 3 ? "paused" : "active",
  };
}

describe("our listings by page", () => {
  const database = useTestDatabase();

  it("pages through every listing once, in the full list's order, with filters in the database", async () => {
    const db = database.handle.db;
    await db.execute(sql`TRUNCATE listings, listing_tombstones, matches, seen_matches`);
    for (let i = 0; i < 47; i++) await createOwnListing(db, ORIGIN, US, listing(i), null);
    // Many share a change time to the microsecond; the id breaks ties.
    await db.execute(
      sql`UPDATE ${listings} SET updated = timestamptz '2027-01-01T00:00:00Z' + (abs(hashtext(id::text)) % 4) * interval '1 second' + (abs(hashtext(title)) % 3) * interval '1 microsecond'`,
    );
    for (const filter of [{}, { kind: "need" as const }, { status: "paused" as const }, { category: "apparel" }]) {
      const everything = (await listOwnListings(db, filter)).map((l) => l.id);
      const seen: string[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 50; pages++) {
        const page = await ownListingsPage(db, { ...filter, after, limit: 5 });
        expect(page.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.items.map((l) => l.id));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen).toEqual(everything);
    }
    // A cursor that does not parse starts from the top rather than failing.
    const top = await ownListingsPage(db, { limit: 5 });
    expect((await ownListingsPage(db, { after: "not a cursor", limit: 5 })).items).toEqual(top.items);
  });

  it("lists the categories in use as DISTINCT does, deleted listings' aside", async () => {
    const db = database.handle.db;
    await db.execute(sql`TRUNCATE listings, listing_tombstones, matches, seen_matches`);
    for (let i = 0; i < 12; i++) await createOwnListing(db, ORIGIN, US, listing(i), null);
    const plain = async () =>
      rowsOf<{ category: string }>(
        await db.execute(sql`SELECT DISTINCT category FROM listings WHERE status <> 'deleted' ORDER BY category`),
      ).map((r) => r.category);
    expect(await knownCategories(db)).toEqual(await plain());
    expect((await knownCategories(db)).length).toBeGreaterThan(1);
    await db.execute(sql`UPDATE listings SET status = 'deleted' WHERE category = 'apparel-x'`);
    expect(await knownCategories(db)).toEqual(await plain());
    expect(await knownCategories(db)).not.toContain("apparel-x");
  });
});
