// The orders list reads one page at a time (src/domain/orders/store.ts,
// listOrderSummaries): filtered in the database, most recently changed
// first, a keyset cursor to the next page. These tests check that paging
// through gives every order exactly once and in order, also when many rows
// share the same change time, and that filters and the early-events rows
// (version 0) behave as the full list does.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orders } from "../../src/db/schema.ts";
import { listOrderSummaries, listOrders } from "../../src/domain/orders/store.ts";
import { useTestDatabase } from "../support/databases.ts";

const US = "https://us.example/coops/coop";
const STATES = ["sent", "accepted", "completed", "cancelled"];

describe("order list pages", () => {
  const database = useTestDatabase();

  it("pages through every order once, newest first, with filters done in the database", async () => {
    const db = database.handle.db;
    const base = Date.UTC(2027, 0, 1);
    await db.insert(orders).values(
      Array.from({ length: 137 }, (_, i) => {
        const role = i % 2 === 0 ? ("buyer" as const) : ("seller" as const);
        const partner = `https://p${i % 5}.example/coops/coop`;
        const lines = [{ id: "1", title: `Line ${i}`, quantity: { amount: "10", unit: "MTR" } }];
        return {
          iri: `https://us.example/orders/${i}`,
          role,
          buyerIri: role === "buyer" ? US : partner,
          sellerIri: role === "buyer" ? partner : US,
          currency: "USD",
          state: STATES[i % STATES.length]!,
          // One order of every ten is only early events, not an order yet.
          version: i % 10 === 9 ? 0 : 1 + (i % 3),
          total: `${i}.50`,
          view: {
            lines,
            terms: { deliveryWindow: { from: null, until: `2027-02-${String(1 + (i % 28)).padStart(2, "0")}` } },
          },
          // Many share a change time to the microsecond; the id breaks ties.
          updatedAt: sql`${new Date(base + Math.floor(i / 7) * 1000).toISOString()}::timestamptz + ${`${i % 3} microseconds`}::interval`,
        };
      }) as never,
    );
    const filters = [
      {},
      { role: "seller" as const },
      { states: ["accepted", "sent"] },
      { partner: "https://p2.example/coops/coop" },
    ];
    for (const filter of filters) {
      const everything = await listOrderSummaries(db, filter);
      expect(everything.next).toBeNull();
      const seen: string[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 50; pages++) {
        const page = await listOrderSummaries(db, { ...filter, after, limit: 10 });
        expect(page.items.length).toBeLessThanOrEqual(10);
        seen.push(...page.items.map((o) => o.id));
        if (!page.next) break;
        expect(page.items).toHaveLength(10);
        after = page.next;
      }
      expect(seen).toEqual(everything.items.map((o) => o.id));
      expect(new Set(seen).size).toBe(seen.length);
      // The same orders as the full list, which filters in JavaScript what it cannot in SQL.
      const full = await listOrders(db, {
        role: "role" in filter ? filter.role : undefined,
        partner: "partner" in filter ? filter.partner : undefined,
      });
      const expected = full.filter((o) => !("states" in filter) || (filter.states ?? []).includes(o.state));
      expect([...seen].sort()).toEqual(expected.map((o) => o.id).sort());
      const times = everything.items.map((o) => o.updatedAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
    const [first] = (await listOrderSummaries(db, { limit: 1 })).items;
    expect(first?.lines[0]?.title).toMatch(/^Line \d+$/);
    expect(first?.deliverBy).toMatch(/^2027-02-\d\d$/);
    // A cursor that is not one answers the first page, not an error.
    expect((await listOrderSummaries(db, { after: "nonsense", limit: 3 })).items).toHaveLength(3);
  });
});
