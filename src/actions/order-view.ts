// Orders as people see them: state, lines with totals, the actions allowed
// now (by their API and page names), pending changes and history. The API
// and the pages read orders only through these functions.
import { allowedActions, type EventType, type OrderState, type OrderView } from "../domain/orders/machine.ts";
import { getOrder, listOrderSummaries, listOrders as storedOrders } from "../domain/orders/store.ts";
import { orderUbl } from "../domain/orders/ubl.ts";
import type { OrderRow } from "../domain/records.ts";
import type { ActionContext } from "./context.ts";
import { ActionError } from "./errors.ts";

/** Order action names; some mean different events depending on what is pending. */
export const ORDER_ACTION_EVENTS = {
  accept: ["accept", "accept_change", "accept_cancel"],
  reject: ["reject", "reject_change", "reject_cancel"],
  "propose-changes": ["propose_changes"],
  "accept-changes": ["accept_changes"],
  change: ["change"],
  cancel: ["cancel"],
  ship: ["ship"],
  receive: ["receive"],
} as const satisfies Record<string, EventType[]>;

export type OrderActionName = keyof typeof ORDER_ACTION_EVENTS;

const ACTION_OF_EVENT = Object.fromEntries(
  Object.entries(ORDER_ACTION_EVENTS).flatMap(([name, events]) => events.map((e) => [e, name])),
) as Record<EventType, OrderActionName>;

/** What `role` may do to an order in `state`, by action name. */
export function orderActionsAllowed(state: OrderState, role: "buyer" | "seller"): OrderActionName[] {
  return [...new Set(allowedActions(state, role).map((e) => ACTION_OF_EVENT[e]))];
}

export function orderJson(order: OrderRow) {
  const view = order.view as OrderView;
  return {
    id: order.id,
    iri: order.iri,
    role: order.role,
    state: view.state,
    version: view.version,
    buyer: order.buyerIri,
    seller: order.sellerIri,
    currency: view.currency,
    total: view.total,
    lines: view.lines,
    deliveryWindow: view.terms.deliveryWindow,
    deliverTo: view.terms.deliverTo,
    partialDelivery: view.terms.partialDelivery,
    note: view.terms.note,
    pendingChanges: view.pendingChanges,
    allowedActions: orderActionsAllowed(view.state, order.role),
    history: view.history.map((h) => ({
      id: h.event.id,
      type: h.event.type,
      by: h.event.actor,
      at: h.event.at,
      basedOnVersion: h.event.base,
      outcome: h.outcome,
      version: h.version,
      state: h.state,
      ...(h.reason ? { reason: h.reason } : {}),
      payload: h.event.payload,
    })),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export type OrderJson = ReturnType<typeof orderJson>;

export async function findOrderRow(weft: ActionContext, id: string): Promise<OrderRow> {
  const order = await getOrder(weft.services.db, id);
  if (!order) throw new ActionError("not_found", "No such order");
  return order;
}

/** One order with its lines, totals and full history. */
export async function getOrderView(weft: ActionContext, id: string): Promise<OrderJson> {
  return orderJson(await findOrderRow(weft, id));
}

export interface OrderFilter {
  role?: "buyer" | "seller";
  state?: OrderState;
  /** The partner's actor URL. */
  partner?: string;
}

/** Orders placed and received, most recently changed first. */
export async function listOrders(weft: ActionContext, filter: OrderFilter = {}): Promise<OrderJson[]> {
  return (await storedOrders(weft.services.db, filter)).map(orderJson);
}

/** An order as a list shows it: its lines and totals, not its history. */
export type OrderSummaryJson = Pick<
  OrderJson,
  "id" | "role" | "state" | "buyer" | "seller" | "currency" | "total" | "lines" | "updatedAt"
>;

/**
 * One page of orders, most recently changed first, filtered in the
 * database; `next` is the cursor of the page after it (null on the last).
 */
export async function listOrderPage(
  weft: ActionContext,
  filter: OrderFilter,
  page: { after?: string; limit: number },
): Promise<{ items: OrderSummaryJson[]; next: string | null }> {
  const { items, next } = await listOrderSummaries(weft.services.db, {
    role: filter.role,
    states: filter.state ? [filter.state] : undefined,
    partner: filter.partner,
    after: page.after,
    limit: page.limit,
  });
  return {
    items: items.map((o) => ({
      id: o.id,
      role: o.role,
      state: o.state as OrderState,
      buyer: o.buyerIri,
      seller: o.sellerIri,
      currency: o.currency,
      total: o.total,
      lines: o.lines,
      updatedAt: o.updatedAt.toISOString(),
    })),
    next,
  };
}

/** The order as a UBL 2.1 Order document (Peppol BIS Ordering). */
export async function getOrderUbl(weft: ActionContext, id: string): Promise<string> {
  return await orderUbl(weft.services, await findOrderRow(weft, id));
}
