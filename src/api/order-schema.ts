// The Order the API answers with (src/actions/order-view.ts, orderJson), as a
// zod schema: the OpenAPI document describes every field, and the typed
// client (hono/client) reads the same type. The handlers return OrderJson, so
// the compiler refuses a schema that drifts from it.
import { z } from "@hono/zod-openapi";
import { ORDER_ACTION_EVENTS, type OrderActionName } from "../actions/order-view.ts";
import { EVENT_TYPES, ORDER_STATES } from "../domain/orders/machine.ts";

const decimal = (example: string) => z.string().openapi({ example, description: "A decimal string" });
const Quantity = z.object({ amount: decimal("120"), unit: z.string().openapi({ example: "MTR" }) });
const Price = z.object({ amount: decimal("7.40"), currency: z.string().openapi({ example: "USD" }) });

const OrderLine = {
  id: z.string().openapi({ example: "1" }),
  listing: z.string().openapi({ description: "The seller's listing IRI" }),
  title: z.string(),
  quantity: Quantity,
  unitPrice: Price,
  deliveryDate: z.string().nullable().optional().openapi({ description: "ISO 8601 date" }),
};

const OrderLineState = z
  .object({
    ...OrderLine,
    status: z.enum(["accepted", "changed", "not_accepted", "pending"]),
    shipped: decimal("0"),
    received: decimal("0"),
    cancelled: decimal("0"),
    total: decimal("888.00"),
  })
  .openapi("OrderLine");

const LineChange = z
  .object({
    id: z.string(),
    quantity: Quantity.optional(),
    unitPrice: Price.optional(),
    deliveryDate: z.string().nullable().optional(),
    accepted: z.boolean().optional().openapi({ description: "false: the seller does not accept this line" }),
  })
  .openapi("OrderLineChange");

const DeliveryWindow = z.object({ from: z.string().nullable(), until: z.string().nullable() });
const DeliverTo = z.object({ name: z.string(), address: z.string().nullable(), region: z.string().nullable() });
const MovedLines = z.array(z.object({ id: z.string(), quantity: decimal("60") }));

const OrderTerms = z.object({
  lines: z.array(z.object(OrderLine)),
  currency: z.string(),
  deliveryWindow: DeliveryWindow.nullable(),
  deliverTo: DeliverTo.nullable(),
  partialDelivery: z.boolean(),
  note: z.string().nullable(),
});

/** What an event carried, by its type (src/domain/orders/machine.ts, EventPayload). */
const EventPayload = z
  .union([
    z.object({ type: z.literal("order"), terms: OrderTerms }),
    z.object({ type: z.enum(["accept", "accept_changes", "accept_change", "accept_cancel"]) }),
    z.object({ type: z.enum(["reject", "cancel"]), reason: z.string() }),
    z.object({ type: z.enum(["reject_change", "reject_cancel"]), reason: z.string().optional() }),
    z.object({
      type: z.enum(["propose_changes", "change"]),
      changes: z.array(LineChange),
      note: z.string().nullable().optional(),
    }),
    z.object({
      type: z.literal("ship"),
      lines: MovedLines,
      date: z.string(),
      tracking: z.string().nullable().optional(),
    }),
    z.object({ type: z.literal("receive"), lines: MovedLines, date: z.string() }),
  ])
  .openapi("OrderEventPayload");

const HistoryEntry = z
  .object({
    id: z.string().openapi({ description: "The activity IRI that carried the event" }),
    type: z.enum(EVENT_TYPES),
    by: z.enum(["buyer", "seller"]),
    at: z.string().openapi({ description: "When its author made it (ISO 8601)" }),
    basedOnVersion: z.number().int().openapi({ description: "The order version its author saw" }),
    outcome: z.enum(["applied", "refused"]).openapi({ description: "refused: it arrived when it no longer applied" }),
    version: z.number().int(),
    state: z.enum(ORDER_STATES),
    reason: z.string().optional().openapi({ description: "Why it was refused" }),
    payload: EventPayload,
  })
  .openapi("OrderHistoryEntry");

const ORDER_ACTION_NAMES = Object.keys(ORDER_ACTION_EVENTS) as [OrderActionName, ...OrderActionName[]];

export const OrderSchema = z
  .object({
    id: z.string(),
    iri: z.string(),
    role: z.enum(["buyer", "seller"]).openapi({ description: "This co-op's side of the order" }),
    state: z.enum(ORDER_STATES),
    version: z.number().int(),
    buyer: z.string().openapi({ description: "The buyer's actor IRI" }),
    seller: z.string().openapi({ description: "The seller's actor IRI" }),
    currency: z.string().openapi({ example: "USD" }),
    total: decimal("1048.00"),
    lines: z.array(OrderLineState),
    deliveryWindow: DeliveryWindow.nullable(),
    deliverTo: DeliverTo.nullable(),
    partialDelivery: z.boolean(),
    note: z.string().nullable(),
    pendingChanges: z
      .array(LineChange)
      .nullable()
      .openapi({ description: "Changes awaiting an answer (seller's proposal or buyer's change request)" }),
    allowedActions: z.array(z.enum(ORDER_ACTION_NAMES)).openapi({ description: "What this co-op may do now" }),
    history: z.array(HistoryEntry),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Order", {
    description: "An order: state, version, lines with totals and fulfilment, the actions allowed now, and its history",
  });
