// An order row's next_due (the earliest date something is still to deliver)
// is kept by recordOrderEvent from the order's view, and migration 0014's
// backfill computes the same value in SQL for orders stored before it.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../../src/db/client.ts";
import { MIGRATIONS_FOLDER } from "../../src/db/migrate.ts";
import { nextDue } from "../../src/domain/orders/due.ts";
import {
  EVENT_ROLE,
  type EventPayload,
  type EventType,
  type OrderLine,
  type OrderView,
  type Role,
} from "../../src/domain/orders/machine.ts";
import { recordOrderEvent } from "../../src/domain/orders/store.ts";
import { useTestDatabase } from "../support/databases.ts";

const US = "https://us.example/coops/us";
const THEM = "https://them.example/coops/them";

describe("an order's next due date", () => {
  const database = useTestDatabase();

  async function order(role: Role, lines: OrderLine[], until: string | null, steps: [EventType, EventPayload][]) {
    const db = database.handle.db;
    const parties = {
      iri: `https://us.example/orders/${randomUUID()}`,
      role,
      buyerIri: role === "buyer" ? US : THEM,
      sellerIri: role === "buyer" ? THEM : US,
    };
    const record = async (type: EventType, payload: EventPayload, base: number) => {
      const id = `https://x.example/activities/${randomUUID()}`;
      const event = { id, type, actor: EVENT_ROLE[type], base, at: new Date().toISOString(), payload };
      return (await recordOrderEvent(db, parties, event, { id }, { mustApply: true })).view;
    };
    let view: OrderView = await record(
      "order",
      {
        type: "order",
        terms: {
          lines,
          currency: "EUR",
          deliveryWindow: until ? { from: null, until } : null,
          deliverTo: null,
          partialDelivery: true,
          note: null,
        },
      },
      0,
    );
    for (const [type, payload] of steps) view = await record(type, payload, view.version);
    return { iri: parties.iri, role, view };
  }

  const line = (id: string, amount: string, deliveryDate: string | null = null): OrderLine => ({
    id,
    listing: `https://them.example/listings/${id}`,
    title: `Line ${id}`,
    quantity: { amount, unit: "MTR" },
    unitPrice: { amount: "2.50", currency: "EUR" },
    deliveryDate,
  });

  async function stored(iri: string): Promise<string | null> {
    const [row] = rowsOf<{ next_due: string | null }>(
      await database.handle.db.execute(sql`SELECT next_due::text AS next_due FROM orders WHERE iri = ${iri}`),
    );
    return row!.next_due;
  }

  it("is kept on every event, and the migration's backfill computes the same", async () => {
    const made = [
      // The window's end for a line without its own date; a line's own date when earlier.
      await order("seller", [line("1", "100"), line("2", "50", "2027-01-04")], "2027-01-20T00:00:00Z", [
        ["accept", { type: "accept" }],
      ]),
      // Line 2 fully shipped: only line 1's date (the window's end) is left.
      await order("seller", [line("1", "10"), line("2", "5", "2027-01-04")], "2027-01-20", [
        ["accept", { type: "accept" }],
        ["ship", { type: "ship", lines: [{ id: "2", quantity: "5" }], date: "2027-01-03" }],
      ]),
      // Everything shipped: nothing due on the seller's side.
      await order("seller", [line("1", "10", "2027-02-01")], null, [
        ["accept", { type: "accept" }],
        ["ship", { type: "ship", lines: [{ id: "1", quantity: "10" }], date: "2027-01-03" }],
      ]),
      // Shipped but not received: still due on the buyer's side, by the decimal remainder.
      await order("buyer", [line("1", "10.5", "2027-02-01")], null, [
        ["accept", { type: "accept" }],
        ["ship", { type: "ship", lines: [{ id: "1", quantity: "10.5" }], date: "2027-01-03" }],
        ["receive", { type: "receive", lines: [{ id: "1", quantity: "10" }], date: "2027-01-05" }],
      ]),
      // No date anywhere.
      await order("buyer", [line("1", "3")], null, []),
    ];
    const expected = ["2027-01-04", "2027-01-20", null, "2027-02-01", null];
    expect(made.map((m) => nextDue(m.role, m.view.lines, m.view.terms.deliveryWindow?.until ?? null))).toEqual(
      expected,
    );
    for (const [i, m] of made.entries()) expect(await stored(m.iri)).toBe(expected[i]);

    const migration = await readFile(`${MIGRATIONS_FOLDER}/0014_order_next_due.sql`, "utf8");
    const backfill = migration.split("--> statement-breakpoint").find((s) => s.includes("UPDATE"));
    expect(backfill).toBeDefined();
    await database.handle.db.execute(sql`UPDATE orders SET next_due = NULL`);
    await database.handle.db.execute(sql.raw(backfill!));
    for (const [i, m] of made.entries()) expect(await stored(m.iri)).toBe(expected[i]);
  });
});
