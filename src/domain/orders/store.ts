// Orders in the database: events are appended (idempotently) and the order
// row is recomputed from all of them in the same transaction.
import { and, asc, desc, eq, gt, inArray, lte, or, type SQL, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client.ts";
import { type OrderRow, orderEvents, orders } from "../../db/schema.ts";
import { nextDue } from "./due.ts";
import { foldOrder, type LineState, type OrderEvent, type OrderView, type Role } from "./machine.ts";

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
        nextDue: nextDue(parties.role, view.lines, view.terms.deliveryWindow?.until ?? null),
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

/** What a list of orders shows of each: no history, no terms but the delivery window's end. */
export interface OrderSummary {
  id: string;
  role: Role;
  state: string;
  buyerIri: string;
  sellerIri: string;
  currency: string;
  total: string;
  lines: LineState[];
  /** The delivery window's last day, if the order gives one. */
  deliverBy: string | null;
  updatedAt: Date;
}

export interface OrderPageQuery {
  role?: Role;
  /** Any of these states. */
  states?: string[];
  partner?: string;
  /** The cursor of the last row of the page before (`next` of that page). */
  after?: string;
  /** Rows per page; all of them when not given. */
  limit?: number;
}

/** The position of a row in the list: its change time (exact, as PostgreSQL prints it) and id. */
const CURSOR_SEPARATOR = "|";

/** The columns of an OrderSummary, and the row's cursor: the lines out of the view, not its history. */
const SUMMARY_COLUMNS = {
  id: orders.id,
  role: orders.role,
  state: orders.state,
  buyerIri: orders.buyerIri,
  sellerIri: orders.sellerIri,
  currency: orders.currency,
  total: orders.total,
  lines: sql<LineState[]>`${orders.view}->'lines'`.as("lines"),
  deliverBy: sql<string | null>`${orders.view}->'terms'->'deliveryWindow'->>'until'`.as("deliver_by"),
  updatedAt: orders.updatedAt,
  cursor: sql<string>`${orders.updatedAt}::text`.as("cursor"),
};

/**
 * Orders most recently changed first, filtered and paged in the database
 * (keyset on updated_at and id), reading only what a list shows: the
 * order's lines out of its view, not its history.
 */
export async function listOrderSummaries(
  db: Database,
  query: OrderPageQuery,
): Promise<{ items: OrderSummary[]; next: string | null }> {
  const conditions: (SQL | undefined)[] = [gt(orders.version, 0)];
  if (query.role) conditions.push(eq(orders.role, query.role));
  if (query.states) conditions.push(inArray(orders.state, query.states.length > 0 ? query.states : [""]));
  if (query.partner) conditions.push(or(eq(orders.buyerIri, query.partner), eq(orders.sellerIri, query.partner)));
  if (query.after) {
    const at = query.after.lastIndexOf(CURSOR_SEPARATOR);
    const [time, id] = [query.after.slice(0, at), query.after.slice(at + 1)];
    if (at > 0 && !Number.isNaN(Date.parse(time)) && /^[0-9a-f-]{36}$/i.test(id)) {
      conditions.push(sql`(${orders.updatedAt}, ${orders.id}) < (${time}::timestamptz, ${id}::uuid)`);
    }
  }
  const all = db
    .select(SUMMARY_COLUMNS)
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.updatedAt), desc(orders.id))
    .$dynamic();
  const rows = query.limit === undefined ? await all : await all.limit(query.limit + 1);
  const more = query.limit !== undefined && rows.length > query.limit;
  const items = more ? rows.slice(0, query.limit) : rows;
  const last = items.at(-1);
  return {
    items: items.map(({ cursor: _, ...row }) => ({ ...row, lines: row.lines ?? [] })),
    next: more && last ? `${last.cursor}${CURSOR_SEPARATOR}${last.id}` : null,
  };
}

/** One Home panel: how many orders it holds and the first of them. */
export interface OrderPanel {
  count: number;
  items: OrderSummary[];
}

/**
 * Home's three order panels in one statement (PGlite runs one at a time, so
 * each statement saved counts): orders waiting for our answer as seller,
 * sellers' counter-proposals waiting for us as buyer, and open orders with
 * something due by `dueBy` (or overdue), each with its full count and its
 * first `limit` rows — never every open order with its lines.
 */
export async function homeOrderPanels(
  db: Database,
  query: { answerStates: string[]; openStates: string[]; dueBy: string; limit: number },
): Promise<{ toAnswer: OrderPanel; counterProposals: OrderPanel; deliveries: OrderPanel }> {
  // The count is a scalar subquery, not `count(*) over ()`: a window would read every
  // matching row's lines out of its view before the limit applies.
  const panelRows = (panel: string, where: SQL | undefined, order: SQL[]) =>
    db
      .select({
        panel: sql<string>`${panel}::text`.as("panel"),
        count: sql<number>`(SELECT count(*) FROM ${orders} WHERE ${and(gt(orders.version, 0), where)})`
          .mapWith(Number)
          .as("count"),
        ...SUMMARY_COLUMNS,
      })
      .from(orders)
      .where(and(gt(orders.version, 0), where))
      .orderBy(...order)
      .limit(query.limit);
  const rows = await unionAll(
    panelRows("answer", and(eq(orders.role, "seller"), inArray(orders.state, query.answerStates)), [
      desc(orders.updatedAt),
      desc(orders.id),
    ]),
    panelRows("counter", and(eq(orders.role, "buyer"), eq(orders.state, "conditionally_accepted")), [
      desc(orders.updatedAt),
      desc(orders.id),
    ]),
    panelRows("due", and(inArray(orders.state, query.openStates), lte(orders.nextDue, query.dueBy)), [
      asc(orders.nextDue),
      desc(orders.id),
    ]),
  );
  const panel = (name: string): OrderPanel => {
    const mine = rows.filter((r) => r.panel === name);
    return {
      count: mine[0]?.count ?? 0,
      items: mine.map(({ panel: _, count: __, cursor: ___, ...row }) => ({ ...row, lines: row.lines ?? [] })),
    };
  };
  return { toAnswer: panel("answer"), counterProposals: panel("counter"), deliveries: panel("due") };
}
