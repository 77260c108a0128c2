// What the soak test (bench/soak.ts) does to its nodes: one random trade step
// at a time through the admin API (place an order, act on one, edit a
// listing), and the check at the end that both sides of every order agree.
// Refusals are expected (a 409 when the partner's event changed the order
// first, status 0 when the node is down) and counted, not failures.
import { Decimal } from "decimal.js";
import type { SoakNode } from "./soak-nodes.ts";

/** A seeded generator (mulberry32), so a run can be repeated with BENCH_SOAK_SEED. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Market {
  nodes: SoakNode[];
  /** Actor IRI → node. */
  byActor: Map<string, SoakNode>;
  /** Node name → its own listings (id and IRI). */
  listings: Map<string, { id: string; iri: string; minimum: number }[]>;
}

/** Answers by step ("place 201", "accept 409", "edit 0"…). */
export type Tally = Map<string, number>;

const OPEN_STATES = ["sent", "conditionally_accepted", "accepted", "change_requested", "cancel_requested"];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

const int = (rand: () => number, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));

function count(tally: Tally, step: string, status: number): void {
  const key = `${step} ${status}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

interface LineView {
  id: string;
  quantity: { amount: string; unit: string };
  shipped: string;
  received: string;
  cancelled: string;
}

/** The body an order action takes, made from the order as this side sees it; null when nothing fits. */
function bodyFor(rand: () => number, action: string, lines: LineView[]): Record<string, unknown> | null {
  const line = pick(rand, lines);
  switch (action) {
    case "accept":
    case "accept-changes":
      return {};
    case "reject":
    case "cancel":
      return { reason: "soak test" };
    case "propose-changes":
    case "change": {
      const change =
        rand() < 0.5
          ? { id: line.id, deliveryDate: `2027-03-${String(int(rand, 1, 28)).padStart(2, "0")}` }
          : {
              id: line.id,
              quantity: {
                amount: new Decimal(line.quantity.amount).plus(int(rand, 1, 20)).toString(),
                unit: line.quantity.unit,
              },
            };
      return { changes: [change], note: "soak test" };
    }
    case "ship": {
      const open = lines
        .map((l) => ({ id: l.id, left: new Decimal(l.quantity.amount).minus(l.shipped).minus(l.cancelled) }))
        .filter((l) => l.left.gt(0));
      if (open.length === 0) return null;
      // Sometimes all that is left, sometimes part of it: partial deliveries are allowed.
      const moved = open.map((l) => ({
        id: l.id,
        quantity: (rand() < 0.5 || l.left.lte(1) ? l.left : l.left.dividedToIntegerBy(2)).toString(),
      }));
      return { lines: moved, tracking: `SOAK-${int(rand, 1000, 9999)}` };
    }
    case "receive": {
      const arrived = lines
        .map((l) => ({ id: l.id, quantity: new Decimal(l.shipped).minus(l.received) }))
        .filter((l) => l.quantity.gt(0))
        .map((l) => ({ id: l.id, quantity: l.quantity.toString() }));
      return arrived.length === 0 ? null : { lines: arrived };
    }
    default:
      return null;
  }
}

/** One random step; returns once its requests are answered. */
export async function tradeStep(rand: () => number, m: Market, tally: Tally, placed: Set<string>): Promise<void> {
  const roll = rand();
  if (roll < 0.3) {
    const buyer = pick(rand, m.nodes);
    const seller = pick(
      rand,
      m.nodes.filter((n) => n !== buyer),
    );
    const lines = (m.listings.get(seller.name) ?? [])
      .filter(() => rand() < 0.7)
      .map((l) => ({
        listing: l.iri,
        quantity: { amount: String(int(rand, Math.max(1, l.minimum), l.minimum + 100)), unit: "MTR" },
        unitPrice: { amount: "7.40", currency: "USD" },
      }));
    if (lines.length === 0) return;
    const answer = await buyer.api("POST", "/orders", { lines, partialDelivery: rand() < 0.8, note: "soak test" });
    count(tally, "place", answer.status);
    if (answer.status === 201) placed.add(answer.body.iri);
    return;
  }
  if (roll < 0.9) {
    const node = pick(rand, m.nodes);
    const state = pick(rand, OPEN_STATES);
    const list = await node.api("GET", `/orders?state=${state}`);
    if (list.status !== 200) {
      count(tally, "list", list.status);
      return;
    }
    const orders = list.body.items as { id: string; allowedActions: string[]; lines: LineView[] }[];
    if (orders.length === 0) return;
    const order = pick(rand, orders);
    // Mostly forward (accept, ship, receive), sometimes back (reject, cancel).
    const forward = order.allowedActions.filter((a) => !["reject", "cancel"].includes(a));
    const actions = forward.length > 0 && rand() < 0.85 ? forward : order.allowedActions;
    if (actions.length === 0) return;
    const action = pick(rand, actions);
    const body = bodyFor(rand, action, order.lines);
    if (!body) return;
    const answer = await node.api("POST", `/orders/${order.id}/${action}`, body);
    count(tally, action, answer.status);
    return;
  }
  const node = pick(rand, m.nodes);
  const listing = pick(rand, m.listings.get(node.name) ?? []);
  if (!listing) return;
  const patch =
    rand() < 0.5
      ? { quantity: { amount: String(int(rand, 400, 2000)), unit: "MTR" } }
      : { description: `Edited by the soak test at ${new Date().toISOString()}` };
  const answer = await node.api("PATCH", `/listings/${listing.id}`, patch);
  count(tally, "edit", answer.status);
}

export interface Divergence {
  iri: string;
  buyer: string;
  seller: string;
  buyerSide: string;
  sellerSide: string;
}

interface OrderSide {
  iri: string;
  role: "buyer" | "seller";
  state: string;
  version: number;
  seller: string;
  buyer: string;
  history: { type: string; by: string; outcome: string; version: number }[];
}

const sideOf = (o: OrderSide | undefined) =>
  o
    ? `${o.state} v${o.version} [${o.history.map((h) => `${h.by[0]}:${h.type}${h.outcome === "refused" ? "✗" : ""}@${h.version}`).join(" ")}]`
    : "missing";

/** Every order on both sides: the same state and version, else a divergence. */
export async function compareOrders(
  m: Market,
  placed: Set<string>,
): Promise<{ orders: number; divergences: Divergence[]; missingPlaced: number }> {
  const sides = new Map<string, { buyer?: OrderSide; seller?: OrderSide }>();
  for (const node of m.nodes) {
    const answer = await node.api("GET", "/orders");
    if (answer.status !== 200) throw new Error(`GET /orders on ${node.name} answered ${answer.status}`);
    for (const order of answer.body.items as OrderSide[]) {
      const entry = sides.get(order.iri) ?? {};
      entry[order.role] = order;
      sides.set(order.iri, entry);
    }
  }
  const divergences: Divergence[] = [];
  for (const [iri, { buyer, seller }] of sides) {
    if (buyer && seller && buyer.state === seller.state && buyer.version === seller.version) continue;
    const any = (buyer ?? seller) as OrderSide;
    divergences.push({
      iri,
      buyer: m.byActor.get(any.buyer)?.name ?? any.buyer,
      seller: m.byActor.get(any.seller)?.name ?? any.seller,
      buyerSide: sideOf(buyer),
      sellerSide: sideOf(seller),
    });
  }
  const missingPlaced = [...placed].filter((iri) => !sides.get(iri)?.buyer).length;
  return { orders: sides.size, divergences, missingPlaced };
}
