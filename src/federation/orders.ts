// Orders between two co-ops: making events on our side and sending them
// (the other side's are applied by inbox/order.ts), and the buyer's order
// document. Every event is stored with the signed activity that carried it
// and the order is recomputed from all of them.

import { randomUUID } from "node:crypto";
import type { Federation } from "@fedify/fedify";
import { Agreement, isActor } from "@fedify/vocab";
import { actorIri } from "../domain/actor.ts";
import { findRemoteActor } from "../domain/follows.ts";
import type { EventPayload, EventType, OrderEvent, OrderTerms, OrderView } from "../domain/orders/machine.ts";
import { getOrderByIri, type OrderParties, recordOrderEvent } from "../domain/orders/store.ts";
import type { OrderRow } from "../domain/records.ts";
import { afterStore, inTransaction } from "../domain/unit-of-work.ts";
import type { NodeServices, WeftContext } from "./context.ts";
import { activityOf, agreementOf, type OrderEnvelope } from "./order-vocab.ts";
import { proofKeyOf, sendPrivately, signActivity } from "./private-outbox.ts";
import { recipientOf, rememberActor } from "./remote-actor.ts";

/** The event an answer refers to: the latest applied event of one of `types`. */
function latestOf(view: OrderView, types: EventType[]): string | null {
  for (let i = view.history.length - 1; i >= 0; i--) {
    const entry = view.history[i];
    if (entry && entry.outcome === "applied" && types.includes(entry.event.type)) return entry.event.id;
  }
  return null;
}

const ANSWERS: Partial<Record<EventType, EventType[]>> = {
  accept: ["order"],
  reject: ["order"],
  propose_changes: ["order"],
  cancel: ["order"],
  accept_changes: ["propose_changes"],
  accept_change: ["change"],
  reject_change: ["change"],
  accept_cancel: ["cancel"],
  reject_cancel: ["cancel"],
};

/** The terms an event's Agreement shows: current lines with the event's changes applied. */
function termsFor(view: OrderView | null, event: OrderEvent): OrderTerms | null {
  if (event.payload.type === "order") return event.payload.terms;
  if (!view) return null;
  const lines = view.lines.filter((l) => l.status !== "not_accepted");
  if (event.payload.type === "propose_changes" || event.payload.type === "change") {
    const changes = new Map(event.payload.changes.map((c) => [c.id, c]));
    return {
      ...view.terms,
      lines: lines
        .filter((l) => changes.get(l.id)?.accepted !== false)
        .map((l) => ({
          ...l,
          quantity: changes.get(l.id)?.quantity ?? l.quantity,
          unitPrice: changes.get(l.id)?.unitPrice ?? l.unitPrice,
        })),
    };
  }
  return event.type === "accept" ? { ...view.terms, lines } : null;
}

async function counterparty(ctx: WeftContext, iri: string) {
  const known = await findRemoteActor(ctx.data.db, iri);
  if (known) return known;
  const actor = await ctx.lookupObject(iri);
  if (!isActor(actor)) throw new Error(`Cannot reach ${iri}`);
  return await rememberActor(ctx, actor, "order");
}

/**
 * Makes an event of ours on an order, stores it and sends it to the other
 * party, both in one transaction named `unit` (the crash tests' name for it).
 * `view` is the order as we know it (null for a new order).
 */
export async function makeOrderEvent(
  ctx: WeftContext,
  parties: OrderParties,
  view: OrderView | null,
  payload: EventPayload,
  unit: string,
): Promise<{ order: OrderRow; view: OrderView }> {
  const event: OrderEvent = {
    id: new URL(`/activities/${randomUUID()}`, ctx.origin).href,
    type: payload.type,
    actor: parties.role,
    base: view?.version ?? 0,
    at: new Date().toISOString(),
    payload,
  };
  const envelope: OrderEnvelope = { order: parties.iri, buyer: parties.buyerIri, seller: parties.sellerIri, event };
  const other = parties.role === "buyer" ? parties.sellerIri : parties.buyerIri;
  const refersTo = view && ANSWERS[event.type] ? latestOf(view, ANSWERS[event.type] as EventType[]) : null;
  const activity = activityOf(envelope, actorIri(ctx.data.config), other, termsFor(view, event), refersTo);
  // Signing takes CPU, finding the other party a database read: both at once,
  // and nothing is stored if either fails.
  const [json, recipient] = await Promise.all([
    proofKeyOf(ctx).then((key) => signActivity(activity, key, { contextLoader: ctx.contextLoader })),
    counterparty(ctx, other),
  ]);
  return await inTransaction(ctx.data, unit, async () => {
    // Our own event is stored only if it applies (else OrderEventRefused, and nothing is sent).
    const result = await recordOrderEvent(ctx.data.db, parties, event, json, { mustApply: true });
    afterStore(ctx.data.config, unit);
    // Without a Linked Data signature (see private-outbox.ts). One ordering key
    // per order: the other side gets our events in order (the fold would cope
    // without, but it saves refused-then-applied churn).
    await sendPrivately(ctx, recipientOf(recipient), json, { orderingKey: parties.iri });
    return result;
  });
}

/** The buyer's order document (Agreement), for the seller only. */
export function registerOrders(federation: Federation<NodeServices>): void {
  federation
    .setObjectDispatcher(Agreement, "/orders/{id}", async (ctx, { id }) => {
      const order = await getOrderByIri(ctx.data.db, new URL(`/orders/${id}`, ctx.origin).href);
      if (order?.role !== "buyer") return null;
      const view = order.view as OrderView;
      return agreementOf(order.iri, order.buyerIri, {
        ...view.terms,
        lines: view.lines.filter((l) => l.status !== "not_accepted"),
      });
    })
    .authorize(async (ctx, { id }) => {
      const order = await getOrderByIri(ctx.data.db, new URL(`/orders/${id}`, ctx.origin).href);
      if (!order) return true; // 404 from the dispatcher
      const owner = (await ctx.getSignedKeyOwner())?.id?.href;
      return owner === order.sellerIri || owner === order.buyerIri;
    });
}
