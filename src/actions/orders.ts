// Use cases for purchase orders: place an order from a partner's listings,
// and every action on an order (accept, reject, propose changes, accept
// changes, change, cancel, ship, receive). Each is folded before it is
// stored, so an illegal one is refused with nothing sent.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { actorIri } from "../domain/actor.ts";
import { getListingByIri } from "../domain/listings.ts";
import { checkLinesAgainstListings } from "../domain/orders/checks.ts";
import {
  allowedActions,
  type EventPayload,
  type EventType,
  type OrderTerms,
  type OrderView,
} from "../domain/orders/machine.ts";
import { LineChangeSchema, MovedLinesSchema } from "../domain/orders/payloads.ts";
import { OrderEventRefused } from "../domain/orders/store.ts";
import type { ListingRow } from "../domain/records.ts";
import { makeOrderEvent } from "../federation/orders.ts";
import { type ActionContext, federationContext } from "./context.ts";
import { ActionError, fieldErrorsOf, invalidInput } from "./errors.ts";
import { serverRefusal } from "./lookup.ts";
import {
  findOrderRow,
  ORDER_ACTION_EVENTS,
  type OrderActionName,
  type OrderJson,
  orderActionsAllowed,
  orderJson,
} from "./order-view.ts";

export interface OrderLineInput {
  /** A short line id; lines are numbered 1, 2, … when none is given. */
  id?: string;
  /** The seller's listing IRI. */
  listing: string;
  quantity: { amount: string; unit: string };
  unitPrice: { amount: string; currency: string };
  deliveryDate?: string | null;
}

export interface OrderInput {
  lines: OrderLineInput[];
  deliveryWindow?: OrderTerms["deliveryWindow"];
  deliverTo?: OrderTerms["deliverTo"];
  partialDelivery?: boolean;
  note?: string;
}

/** Places an order with the seller of the listings; it is sent as an Offer. */
export async function placeOrder(weft: ActionContext, input: OrderInput): Promise<OrderJson> {
  const listings = new Map<string, ListingRow | undefined>();
  for (const line of input.lines) {
    const row = await getListingByIri(weft.services.db, line.listing);
    listings.set(line.listing, row && !row.local ? row : undefined);
  }
  const lineProblems = checkLinesAgainstListings(input.lines, listings);
  const currencies = new Set(input.lines.map((l) => l.unitPrice.currency));
  if (currencies.size > 1)
    lineProblems.push({ index: 0, field: "unitPrice.currency", message: "one currency per order" });
  if (lineProblems.length > 0) {
    const errors = lineProblems.map((p) => ({ field: `lines.${p.index}.${p.field}`, message: p.message }));
    throw new ActionError(
      "invalid",
      `The order does not fit the listings: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}`,
      errors,
    );
  }
  const first = input.lines[0] as OrderLineInput;
  const seller = (listings.get(first.listing) as ListingRow).authorIri;
  const refusal = await serverRefusal(federationContext(weft), seller);
  if (refusal) throw new ActionError("unprocessable", refusal, [{ field: "lines.0.listing", message: refusal }]);
  const ids = input.lines.map((l, i) => l.id ?? String(i + 1));
  if (new Set(ids).size !== ids.length) {
    throw new ActionError("invalid", "Line ids must be unique", [
      { field: "lines", message: "line ids must be unique" },
    ]);
  }
  const terms: OrderTerms = {
    lines: input.lines.map((l, i) => ({
      id: ids[i] as string,
      listing: l.listing,
      title: (listings.get(l.listing) as ListingRow).title,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      deliveryDate: l.deliveryDate ?? null,
    })),
    currency: first.unitPrice.currency,
    deliveryWindow: input.deliveryWindow ?? null,
    deliverTo: input.deliverTo ?? null,
    partialDelivery: input.partialDelivery ?? true,
    note: input.note ?? null,
  };
  const ctx = federationContext(weft);
  const parties = {
    iri: new URL(`/orders/${randomUUID()}`, ctx.origin).href,
    role: "buyer" as const,
    buyerIri: actorIri(weft.services.config),
    sellerIri: seller,
  };
  const { order } = await makeOrderEvent(ctx, parties, null, { type: "order", terms }, "placeOrder");
  return orderJson(order);
}

const ReasonInput = z.strictObject({ reason: z.string().trim().min(1, "give a reason").max(2000) });
const OptionalReasonInput = z.strictObject({ reason: z.string().trim().min(1).max(2000).optional() });
const ChangesInput = z.strictObject({
  changes: z.array(LineChangeSchema).min(1),
  note: z.string().max(2000).optional(),
});
const ShipInput = z.strictObject({
  lines: MovedLinesSchema,
  date: z.iso.date().optional(),
  tracking: z.string().max(200).optional(),
});
const ReceiveInput = z.strictObject({ lines: MovedLinesSchema, date: z.iso.date().optional() });
const NoInput = z.strictObject({});

/** What each order action takes (the API documents its request bodies with these). */
export const ORDER_ACTION_INPUTS = {
  accept: NoInput,
  reject: OptionalReasonInput,
  "propose-changes": ChangesInput,
  "accept-changes": NoInput,
  change: ChangesInput,
  cancel: ReasonInput,
  ship: ShipInput,
  receive: ReceiveInput,
} as const satisfies Record<OrderActionName, z.ZodType>;

export type OrderActionInput<A extends OrderActionName> = z.input<(typeof ORDER_ACTION_INPUTS)[A]>;

const today = () => new Date().toISOString().slice(0, 10);

function payloadFor(event: EventType, input: Record<string, unknown>): EventPayload {
  switch (event) {
    case "ship":
      return {
        type: "ship",
        lines: input.lines as never,
        date: (input.date as string) ?? today(),
        tracking: (input.tracking as string) ?? null,
      };
    case "receive":
      return { type: "receive", lines: input.lines as never, date: (input.date as string) ?? today() };
    case "reject":
    case "cancel":
      return { type: event, reason: input.reason as string };
    case "reject_change":
    case "reject_cancel":
      return input.reason ? { type: event, reason: input.reason as string } : { type: event };
    case "propose_changes":
    case "change":
      return { type: event, changes: input.changes as never, note: (input.note as string) ?? null };
    default:
      return { type: event } as EventPayload;
  }
}

/**
 * Does `action` on order `id` as our side of it: refused when the order's
 * state or our role does not allow it (conflict) or the input is wrong
 * (invalid); otherwise stored and sent to the other party.
 */
export async function actOnOrder<A extends OrderActionName>(
  weft: ActionContext,
  id: string,
  action: A,
  input: OrderActionInput<A> = {} as OrderActionInput<A>,
): Promise<OrderJson> {
  const order = await findOrderRow(weft, id);
  const view = order.view as OrderView;
  const refusal = (message: string) =>
    new ActionError("conflict", message, [], {
      state: view.state,
      allowedActions: orderActionsAllowed(view.state, order.role),
    });
  const allowed = allowedActions(view.state, order.role);
  const event = (ORDER_ACTION_EVENTS[action] as readonly EventType[]).find((e) => allowed.includes(e));
  if (!event) throw refusal(`Cannot ${action} this order as ${order.role} while it is ${view.state}`);
  const parsed = ORDER_ACTION_INPUTS[action].safeParse(input ?? {});
  if (!parsed.success) throw invalidInput(fieldErrorsOf(parsed.error.issues));
  const body = parsed.data as Record<string, unknown>;
  if (event === "reject" && !body.reason) {
    throw new ActionError("invalid", "Give a reason for rejecting the order", [
      { field: "reason", message: "give a reason" },
    ]);
  }
  const parties = { iri: order.iri, role: order.role, buyerIri: order.buyerIri, sellerIri: order.sellerIri };
  try {
    const result = await makeOrderEvent(
      federationContext(weft),
      parties,
      view,
      payloadFor(event, body),
      `order-${action}`,
    );
    return orderJson(result.order);
  } catch (error) {
    if (!(error instanceof OrderEventRefused)) throw error;
    throw refusal(`Cannot ${action}: ${error.message}`);
  }
}

type Act<A extends OrderActionName> = (
  weft: ActionContext,
  id: string,
  input: OrderActionInput<A>,
) => Promise<OrderJson>;
const named =
  <A extends OrderActionName>(action: A): Act<A> =>
  (weft, id, input) =>
    actOnOrder(weft, id, action, input);

/** Accepts the order, or the change or cancellation the other party asked for. */
export const acceptOrder = named("accept");
/** Rejects the order (a reason is required), or the change or cancellation asked for. */
export const rejectOrder = named("reject");
export const proposeOrderChanges = named("propose-changes");
export const acceptOrderChanges = named("accept-changes");
export const changeOrder = named("change");
export const cancelOrder = named("cancel");
export const shipOrder = named("ship");
export const receiveOrder = named("receive");
