// saveRemoteListing under concurrent deliveries: several versions of a
// listing this node has never seen arrive at once (the queue handles inbox
// work in parallel), and the newest must be what stays.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/client.ts";
import { listings } from "../../src/db/schema.ts";
import type { ListingData } from "../../src/domain/listing-rules.ts";
import { deleteRemoteListing, saveRemoteListing } from "../../src/domain/listings.ts";
import { useTestDatabase } from "../support/databases.ts";

const AUTHOR = "https://knit.example/coops/coop";

function data(title: string): ListingData {
  return {
    kind: "offer",
    title,
    descriptionHtml: "",
    category: "textile/fabric/knit",
    quantity: { amount: "100", unit: "MTR" },
    minimumOrder: null,
    price: null,
    rate: null,
    availableFrom: null,
    availableUntil: null,
    region: "US-NC",
    location: null,
    visibility: "public",
    partners: [],
    status: "active",
  };
}

/** Version `day` (its `updated` is 2026-11-0{day}) of the listing `iri` by AUTHOR. */
function saveVersion(db: DatabaseHandle["db"], iri: string, day: number, title: string) {
  return saveRemoteListing(
    db,
    {
      iri,
      authorIri: AUTHOR,
      source: "follow",
      published: new Date("2026-11-01T00:00:00Z"),
      updated: new Date(`2026-11-0${day}T00:00:00Z`),
    },
    data(title),
  );
}

describe("saveRemoteListing with versions arriving at once", () => {
  const database = useTestDatabase();

  it("keeps the newest version of a new listing", async () => {
    for (let round = 0; round < 15; round++) {
      const iri = `https://knit.example/listings/${round}`;
      const versions = [1, 2, 3, 4, 5].sort(() => Math.random() - 0.5);
      const outcomes = await Promise.all(versions.map((v) => saveVersion(database.handle.db, iri, v, `Jersey v${v}`)));
      expect(outcomes[versions.indexOf(5)]).toBe("stored");
      const rows = await database.handle.db.select().from(listings).where(eq(listings.iri, iri));
      expect(rows.map((row) => row.title)).toEqual(["Jersey v5"]);
      expect(rows[0]?.updated.toISOString()).toBe("2026-11-05T00:00:00.000Z");
    }
  });

  it("a Delete removes the versions up to its time and keeps a newer one; older versions stay out", async () => {
    const iri = "https://knit.example/listings/narrowed";
    const save = (day: number, title: string) => saveVersion(database.handle.db, iri, day, title);
    const titles = async () =>
      (await database.handle.db.select().from(listings).where(eq(listings.iri, iri))).map((row) => row.title);
    expect(await save(2, "Jersey, followers only")).toBe("stored");
    // The withdrawal of the public version (day 1) arrives after the new version.
    expect(await deleteRemoteListing(database.handle.db, iri, AUTHOR, new Date("2026-11-01T00:00:00Z"))).toBe(
      "newer-kept",
    );
    expect(await titles()).toEqual(["Jersey, followers only"]);
    expect(await save(1, "Jersey, public")).toBe("deleted-before");
    expect(
      await deleteRemoteListing(
        database.handle.db,
        "https://knit.example/listings/narrowed",
        "https://other.example/coops/coop",
        new Date(),
      ),
    ).toBe("not-author");
    expect(await deleteRemoteListing(database.handle.db, iri, AUTHOR, new Date("2026-11-02T00:00:00Z"))).toBe(
      "deleted",
    );
    expect(await titles()).toEqual([]);
    expect(await save(2, "Jersey, followers only")).toBe("deleted-before");
    expect(await save(3, "Jersey, public again")).toBe("stored");
  });
});
