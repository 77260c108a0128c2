// The order state machine, as a pure fold over the order's events.
//
// Both nodes keep every event of an order (their own and the other side's)
// and compute the order from them with this one function. Events are put
// in a canonical order first (by the version they were made on, then by a
// fixed priority, then by id), so whatever order the network delivered
// them in, both nodes get the same state and the same history.
import { add, compare, isZero, lineTotal, subtract, sum } from "./money.ts";

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
export type OrderState = (typeof ORDER_STATES)[number];
export type Role = "buyer" | "seller";

export const EVENT_TYPES = [
  "order",
  "accept",
  "reject",
  "propose_changes",
  "accept_changes",
  "change",
  "accept_change",
  "reject_change",
  "cancel",
  "accept_cancel",
  "reject_cancel",
  "ship",
  "receive",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Which side may send each event. */
export const EVENT_ROLE: Record<EventType, Role> = {
  order: "buyer",
  accept: "seller",
  reject: "seller",
  propose_changes: "seller",
  accept_changes: "buyer",
  change: "buyer",
  accept_change: "seller",
  reject_change: "seller",
  cancel: "buyer",
  accept_cancel: "seller",
  reject_cancel: "seller",
  ship: "seller",
  receive: "buyer",
};

/**
 * Among events made on the same version (a race), the seller's answer
 * comes first. So when the buyer cancels while the seller accepts, the
 * order is accepted and the cancellation becomes a request the seller
 * answers — the seller may already have started production.
 */
const PRIORITY: Record<EventType, number> = {
  order: 0,
  accept: 1,
  reject: 1,
  propose_changes: 1,
  accept_change: 1,
  reject_change: 1,
  accept_cancel: 1,
  reject_cancel: 1,
  ship: 2,
  accept_changes: 3,
  change: 3,
  cancel: 3,
  receive: 4,
};

export interface Quantity {
  amount: string;
  unit: string;
}

export interface OrderLine {
  id: string;
  /** The seller's listing (Proposal) IRI this line orders from. */
  listing: string;
  title: string;
  quantity: Quantity;
  unitPrice: { amount: string; currency: string };
  deliveryDate?: string | null;
}

export interface LineChange {
  id: string;
  quantity?: Quantity;
  unitPrice?: { amount: string; currency: string };
  deliveryDate?: string | null;
  /** false: the seller does not accept this line (Peppol line status 7). */
  accepted?: boolean;
}

export interface OrderTerms {
  lines: OrderLine[];
  currency: string;
  deliveryWindow: { from: string | null; until: string | null } | null;
  deliverTo: { name: string; address: string | null; region: string | null } | null;
  partialDelivery: boolean;
  note: string | null;
}

export type EventPayload =
  | { type: "order"; terms: OrderTerms }
  | { type: "accept" | "accept_changes" | "accept_change" | "accept_cancel" }
  | { type: "reject" | "cancel"; reason: string }
  | { type: "reject_change" | "reject_cancel"; reason?: string }
  | { type: "propose_changes" | "change"; changes: LineChange[]; note?: string | null }
  | { type: "ship"; lines: { id: string; quantity: string }[]; date: string; tracking?: string | null }
  | { type: "receive"; lines: { id: string; quantity: string }[]; date: string };

export interface OrderEvent {
  /** The activity IRI that carried it. */
  id: string;
  type: EventType;
  actor: Role;
  /** The order version its author saw when acting. */
  base: number;
  /** When its author made it (ISO 8601); shown, not used for ordering. */
  at: string;
  payload: EventPayload;
}

export interface LineState extends OrderLine {
  status: "accepted" | "changed" | "not_accepted" | "pending";
  shipped: string;
  received: string;
  cancelled: string;
  total: string;
}

export interface HistoryEntry {
  event: OrderEvent;
  /** `applied` changed the order; `refused` arrived when it no longer applied (a race). */
  outcome: "applied" | "refused";
  version: number;
  state: OrderState;
  reason?: string;
}

export interface OrderView {
  state: OrderState;
  version: number;
  currency: string;
  lines: LineState[];
  total: string;
  terms: OrderTerms;
  /** Changes awaiting an answer (seller's proposal or buyer's change request). */
  pendingChanges: LineChange[] | null;
  history: HistoryEntry[];
}

function sortEvents(events: OrderEvent[]): OrderEvent[] {
  const unique = new Map(events.map((e) => [e.id, e]));
  return [...unique.values()].sort(
    (a, b) => a.base - b.base || PRIORITY[a.type] - PRIORITY[b.type] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** What each side may do in each state (for 409 answers and the UI). */
export function allowedActions(state: OrderState, role: Role): EventType[] {
  const table: Record<OrderState, EventType[]> = {
    sent: ["accept", "reject", "propose_changes", "cancel"],
    conditionally_accepted: ["accept_changes", "cancel"],
    accepted: ["change", "cancel", "ship", "receive"],
    change_requested: ["accept_change", "reject_change", "ship", "receive"],
    cancel_requested: ["accept_cancel", "reject_cancel", "receive"],
    rejected: [],
    cancelled: [],
    completed: [],
  };
  return table[state].filter((t) => EVENT_ROLE[t] === role);
}

class Refusal extends Error {}

function refuse(message: string): never {
  throw new Refusal(message);
}

function applyChanges(lines: LineState[], changes: LineChange[], currency: string): LineState[] {
  const byId = new Map(changes.map((c) => [c.id, c]));
  return lines.map((line) => {
    const change = byId.get(line.id);
    if (!change) return line;
    if (change.accepted === false) return { ...line, status: "not_accepted" as const, total: "0" };
    const quantity = change.quantity ?? line.quantity;
    const unitPrice = change.unitPrice ?? line.unitPrice;
    return {
      ...line,
      quantity,
      unitPrice,
      deliveryDate: change.deliveryDate === undefined ? line.deliveryDate : change.deliveryDate,
      status: "changed" as const,
      total: lineTotal(quantity.amount, unitPrice.amount, currency),
    };
  });
}

function checkChanges(lines: LineState[], changes: LineChange[], currency: string): void {
  if (changes.length === 0) refuse("no line changes");
  const ids = new Set(lines.map((l) => l.id));
  for (const change of changes) {
    if (!ids.has(change.id)) refuse(`no line ${change.id}`);
    if (change.unitPrice && change.unitPrice.currency !== currency) refuse("one currency per order");
    const line = lines.find((l) => l.id === change.id) as LineState;
    if (change.quantity && change.quantity.unit !== line.quantity.unit) refuse(`line ${change.id}: unit cannot change`);
    if (change.quantity && compare(change.quantity.amount, line.shipped) < 0) {
      refuse(`line ${change.id}: less than already shipped`);
    }
  }
}

function moveQuantities(
  lines: LineState[],
  moves: { id: string; quantity: string }[],
  kind: "ship" | "receive",
): LineState[] {
  if (moves.length === 0) refuse("no lines");
  const byId = new Map(lines.map((l) => [l.id, l]));
  const seen = new Set<string>();
  for (const move of moves) {
    const line = byId.get(move.id) ?? refuse(`no line ${move.id}`);
    if (seen.has(move.id)) refuse(`line ${move.id} twice`);
    seen.add(move.id);
    if (line.status === "not_accepted") refuse(`line ${move.id} was not accepted`);
    if (compare(move.quantity, "0") <= 0) refuse(`line ${move.id}: quantity must be positive`);
    const limit =
      kind === "ship"
        ? subtract(subtract(line.quantity.amount, line.shipped), line.cancelled)
        : subtract(line.shipped, line.received);
    if (compare(move.quantity, limit) > 0) {
      refuse(
        `line ${move.id}: ${kind === "ship" ? "more than ordered and not yet shipped" : "more than shipped and not yet received"} (${limit})`,
      );
    }
  }
  return lines.map((line) => {
    const move = moves.find((m) => m.id === line.id);
    if (!move) return line;
    return kind === "ship"
      ? { ...line, shipped: add(line.shipped, move.quantity) }
      : { ...line, received: add(line.received, move.quantity) };
  });
}

function outstanding(line: LineState): string {
  return line.status === "not_accepted" ? "0" : subtract(subtract(line.quantity.amount, line.received), line.cancelled);
}

function allReceived(lines: LineState[]): boolean {
  return lines.every((l) => isZero(outstanding(l)));
}

/** Folds the events into the order. Events made by the wrong side are refused. */
export function foldOrder(events: OrderEvent[]): OrderView | null {
  const sorted = sortEvents(events);
  const first = sorted[0];
  if (first?.payload.type !== "order" || first.actor !== "buyer") return null;
  const terms = first.payload.terms;
  const currency = terms.currency;
  let state: OrderState = "sent";
  let version = 1;
  let lines: LineState[] = terms.lines.map((l) => ({
    ...l,
    status: "pending",
    shipped: "0",
    received: "0",
    cancelled: "0",
    total: lineTotal(l.quantity.amount, l.unitPrice.amount, currency),
  }));
  let pendingChanges: LineChange[] | null = null;
  let shippedAny = false;
  const history: HistoryEntry[] = [{ event: first, outcome: "applied", version, state }];
  // The base of each side's own last applied event: a side that made an
  // event on version v has seen it applied, so its next event is made on a
  // later version. An event on v or earlier is stale or forged.
  const lastOwnBase: Record<Role, number> = { buyer: 0, seller: -1 };

  for (const event of sorted.slice(1)) {
    try {
      if (EVENT_ROLE[event.type] !== event.actor) refuse(`${event.type} is for the ${EVENT_ROLE[event.type]}`);
      if (event.base <= lastOwnBase[event.actor]) {
        refuse(
          `made on version ${event.base}, not after its author's previous event (on version ${lastOwnBase[event.actor]})`,
        );
      }
      if (!allowedActions(state, event.actor).includes(event.type)) refuse(`not allowed when ${state}`);
      const p = event.payload;
      switch (p.type) {
        case "accept":
          lines = lines.map((l) => ({ ...l, status: "accepted" }));
          state = "accepted";
          break;
        case "reject":
          state = "rejected";
          break;
        case "propose_changes":
          checkChanges(lines, p.changes, currency);
          pendingChanges = p.changes;
          state = "conditionally_accepted";
          break;
        case "accept_changes":
          lines = applyChanges(lines, pendingChanges ?? [], currency).map((l) =>
            l.status === "pending" ? { ...l, status: "accepted" } : l,
          );
          pendingChanges = null;
          state = "accepted";
          break;
        case "change":
          checkChanges(lines, p.changes, currency);
          pendingChanges = p.changes;
          state = "change_requested";
          break;
        case "accept_change":
          lines = applyChanges(lines, pendingChanges ?? [], currency);
          pendingChanges = null;
          state = allReceived(lines) ? "completed" : "accepted";
          break;
        case "reject_change":
        case "reject_cancel":
          pendingChanges = null;
          state = "accepted";
          break;
        case "cancel":
          // Before the seller committed, cancelling is immediate; after, it is a request.
          state = state === "sent" || state === "conditionally_accepted" ? "cancelled" : "cancel_requested";
          pendingChanges = null;
          break;
        case "accept_cancel":
          lines = lines.map((l) => ({ ...l, cancelled: subtract(l.quantity.amount, l.shipped) }));
          state = !shippedAny ? "cancelled" : allReceived(lines) ? "completed" : "accepted";
          break;
        case "ship":
          if (!terms.partialDelivery) {
            const complete = lines.every((l) => {
              const move = p.lines.find((m) => m.id === l.id);
              const rest = subtract(subtract(l.quantity.amount, l.shipped), l.cancelled);
              return l.status === "not_accepted" || isZero(rest) || (move && compare(move.quantity, rest) === 0);
            });
            if (!complete) refuse("this order does not allow partial delivery: ship everything at once");
          }
          lines = moveQuantities(lines, p.lines, "ship");
          shippedAny = true;
          break;
        case "receive":
          lines = moveQuantities(lines, p.lines, "receive");
          if (allReceived(lines) && state !== "change_requested") state = "completed";
          break;
        case "order":
          refuse("an order has one order event");
      }
      version++;
      lastOwnBase[event.actor] = event.base;
      history.push({ event, outcome: "applied", version, state });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      history.push({ event, outcome: "refused", version, state, reason: error.message });
    }
  }
  const active = lines.filter((l) => l.status !== "not_accepted");
  return {
    state,
    version,
    currency,
    lines,
    total: sum(
      active.map((l) => l.total),
      currency,
    ),
    terms,
    pendingChanges,
    history,
  };
}
