// Orders as the admin API returns them, and how `weft order` prints them:
// the list's table, `weft order show`, and the one line after each action.
import type { Order, OrderLine } from "./answers.ts";
import { account, fields, table } from "./output.ts";

export type { Order, OrderLine };

/**
 * The states the API reports an order in, for checking `--state` before
 * asking. The CLI knows the node only through its API; test/unit/cli-order-states.test.ts
 * keeps this list equal to domain/orders/machine.ts's.
 */
export const ORDER_STATES = [
  "sent",
  "conditionally_accepted",
  "accepted",
  "change_requested",
  "cancel_requested",
  "rejected",
  "cancelled",
  "completed",
] as const;

/** The other party: the seller's account for an order placed, the buyer's for one received. */
export function partner(o: Order): string {
  return account(o.role === "buyer" ? o.seller : o.buyer);
}

/** `2026-11-26 06:05` (UTC) from an ISO timestamp. */
function minute(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}

function second(iso: string): string {
  return iso.slice(0, 19).replace("T", " ");
}

function cut(text: string, max = 60): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function orderTable(orders: Order[]): string {
  const rows = orders.map((o) => [
    o.id,
    o.role,
    partner(o),
    o.state,
    String(o.lines.length),
    `${o.total} ${o.currency}`,
    minute(o.updatedAt),
  ]);
  return table(["ID", "ROLE", "PARTNER", "STATE", "LINES", "TOTAL", "UPDATED"], rows);
}

function window(w: Order["deliveryWindow"]): string {
  if (!w || (!w.from && !w.until)) return "";
  if (w.from && w.until) return `${w.from} to ${w.until}`;
  return w.from ? `from ${w.from}` : `until ${w.until}`;
}

function deliverTo(d: Order["deliverTo"]): string {
  if (!d) return "";
  return [d.name, d.address].filter(Boolean).join(", ") + (d.region ? ` (${d.region})` : "");
}

function change(c: NonNullable<Order["pendingChanges"]>[number]): string {
  if (c.accepted === false) return `line ${c.id} not accepted`;
  const parts = [
    c.quantity && `${c.quantity.amount} ${c.quantity.unit}`,
    c.unitPrice && `at ${c.unitPrice.amount} ${c.unitPrice.currency}`,
    c.deliveryDate !== undefined && `delivery ${c.deliveryDate ?? "any date"}`,
  ].filter(Boolean);
  return `line ${c.id} ${parts.join(" ") || "unchanged"}`;
}

/** Everything `weft order show` prints: the terms, the lines, the actions allowed now, and the history. */
export function orderDetails(o: Order): string {
  const pairs: [string, string][] = [
    ["ID", o.id],
    ["IRI", o.iri],
    ["Role", o.role],
    [o.role === "buyer" ? "Seller" : "Buyer", partner(o)],
    ["State", o.state],
    ["Version", String(o.version)],
    ["Total", `${o.total} ${o.currency}`],
    ["Delivery window", window(o.deliveryWindow)],
    ["Deliver to", deliverTo(o.deliverTo)],
    ["Partial delivery", o.partialDelivery ? "allowed" : "no, everything at once"],
    ["Note", o.note ? cut(o.note, 200) : ""],
    ["Pending changes", o.pendingChanges ? o.pendingChanges.map(change).join("; ") : ""],
    ["Created", o.createdAt],
    ["Updated", o.updatedAt],
  ];
  const lines = table(
    ["LINE", "ITEM", "QUANTITY", "UNIT PRICE", "TOTAL", "SHIPPED", "RECEIVED", "STATUS"],
    o.lines.map((l) => [
      l.id,
      cut(l.title, 40),
      `${l.quantity.amount} ${l.quantity.unit}`,
      `${l.unitPrice.amount} ${l.unitPrice.currency}`,
      `${l.total} ${o.currency}`,
      l.shipped,
      l.received,
      l.status,
    ]),
  );
  const history = table(
    ["TIME", "BY", "TYPE", "OUTCOME", "VERSION", "REASON"],
    o.history.map((h) => [
      second(h.at),
      h.by,
      h.type,
      h.outcome,
      String(h.version),
      cut(h.reason ?? ("reason" in h.payload ? h.payload.reason : undefined) ?? ""),
    ]),
  );
  const allowed = o.allowedActions.length > 0 ? o.allowedActions.join(", ") : "none";
  return [
    fields(pairs.filter(([, value]) => value !== "")),
    "",
    lines,
    "",
    `Allowed actions: ${allowed}`,
    "",
    history,
  ].join("\n");
}

const DONE: Record<string, string> = {
  accept: "accepted",
  reject: "rejected",
  propose_changes: "changes proposed",
  accept_changes: "changes accepted",
  change: "change requested",
  accept_change: "change accepted",
  reject_change: "change rejected",
  cancel: "cancelled",
  accept_cancel: "cancellation accepted",
  reject_cancel: "cancellation rejected",
  ship: "shipment recorded",
  receive: "receipt recorded",
};

/** `Order <id>: shipment recorded; now accepted, version 3.` after an action. */
export function actionDone(o: Order, action: string): string {
  // The newest event of this side is the one just made (the partner's may follow it).
  const event = o.history.findLast((h) => h.by === o.role)?.type;
  let done = (event && DONE[event]) ?? action;
  if (event === "cancel" && o.state !== "cancelled") done = "cancellation requested";
  return `Order ${o.id}: ${done}; now ${o.state}, version ${o.version}.`;
}
