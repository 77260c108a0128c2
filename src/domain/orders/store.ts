// Orders in the database: events are appended (idempotently) and the order
// row is recomputed from all of them in the same transaction.
import { and, desc, eq, or, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { type OrderRow, orderEvents, orders } from "../../db/schema.ts";
import { foldOrder, type OrderEvent, type OrderView, type Role } from "./machine.ts";

export interface OrderParties {
  iri: string;
  role: Role;
  buyerIri: string;
  sellerIri: string;
}

/** Our own action does not apply to the order as it stands; nothing was stored. */
export class OrderEventRefused extends Error {}

/**
 * Stores `event` for the order (a repeated delivery is a no-op) and
 * refolds the order. Returns the order row and whether the event was new.
 * With `mustApply` (our own actions), an event the fold would refuse is not
 * stored: OrderEventRefused says why.
 */
export async function recordOrderEvent(
  db: Database,
  parties: OrderParties,
  event: OrderEvent,
  activity: Record<string, unknown> | null,
  { mustApply = false } = {},
): Promise<{ order: OrderRow; view: OrderView; isNew: boolean }> {
  return await db.transaction(async (tx) => {
    // The order row is the lock that serialises events of one order: a row
    // we insert is ours until we commit; an existing one we lock.
    const [created] = await tx
      .insert(orders)
      .values({ ...parties, currency: "", state: "sent", version: 0, total: "0", view: {} })
      .onConflictDoNothing()
      .returning();
    const locked = created ?? (await tx.select().from(orders).where(eq(orders.iri, parties.iri)).for("update"))[0];
    const inserted = await tx
      .insert(orderEvents)
      .values({
        id: event.id,
        orderIri: parties.iri,
        type: event.type,
        actor: event.actor,
        base: event.base,
        at: new Date(event.at),
        payload: event.payload,
        activity,
      })
      .onConflictDoNothing()
      .returning({ id: orderEvents.id });
    const rows = await tx.select(EVENT_COLUMNS).from(orderEvents).where(eq(orderEvents.orderIri, parties.iri));
    const view = foldOrder(rows.map(eventOf));
    if (mustApply) {
      const entry = view?.history.find((h) => h.event.id === event.id);
      // Thrown inside the transaction: it is rolled back.
      if (!entry) throw new OrderEventRefused("the order is not known yet");
      if (entry.outcome === "refused") throw new OrderEventRefused(entry.reason ?? "refused");
    }
    if (!view) {
      // Events before the order itself (reordered delivery): keep them, wait.
      return { order: locked as OrderRow, view: emptyView(), isNew: inserted.length > 0 };
    }
    const [order] = await tx
      .update(orders)
      .set({
        currency: view.currency,
        state: view.state,
        version: view.version,
        total: view.total,
        view,
        updatedAt: new Date(),
      })
      .where(eq(orders.iri, parties.iri))
      .returning();
    return { order: order as OrderRow, view, isNew: inserted.length > 0 };
  });
}

function emptyView(): OrderView {
  return {
    state: "sent",
    version: 0,
    currency: "",
    lines: [],
    total: "0",
    terms: { lines: [], currency: "", deliveryWindow: null, deliverTo: null, partialDelivery: true, note: null },
    pendingChanges: null,
    history: [],
  };
}

/** What the fold needs of a stored event: not the activity that carried it, which is the bulk of the row. */
const EVENT_COLUMNS = {
  id: orderEvents.id,
  type: orderEvents.type,
  actor: orderEvents.actor,
  base: orderEvents.base,
  at: orderEvents.at,
  payload: orderEvents.payload,
};

function eventOf(row: Pick<typeof orderEvents.$inferSelect, keyof typeof EVENT_COLUMNS>): OrderEvent {
  return {
    id: row.id,
    type: row.type as OrderEvent["type"],
    actor: row.actor,
    base: row.base,
    at: row.at.toISOString(),
    payload: row.payload as OrderEvent["payload"],
  };
}

export async function getOrder(db: Database, id: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.id, id));
  return row?.version ? row : undefined;
}

export async function getOrderByIri(db: Database, iri: string): Promise<OrderRow | undefined> {
  const [row] = await db.select().from(orders).where(eq(orders.iri, iri));
  return row;
}

export async function listOrders(
  db: Database,
  filter: { role?: Role; state?: string; partner?: string },
): Promise<OrderRow[]> {
  const conditions: (SQL | undefined)[] = [];
  if (filter.role) conditions.push(eq(orders.role, filter.role));
  if (filter.state) conditions.push(eq(orders.state, filter.state));
  if (filter.partner) conditions.push(or(eq(orders.buyerIri, filter.partner), eq(orders.sellerIri, filter.partner)));
  const rows = await db
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.updatedAt));
  // Rows that only hold early events (order not yet arrived) are not orders yet.
  return rows.filter((r) => r.version > 0);
}
