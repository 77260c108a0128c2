// /api/v1/orders: purchase orders this co-op placed or received.

import { randomUUID } from "node:crypto";
import { createRoute, z } from "@hono/zod-openapi";
import type { OrderRow } from "../db/schema.ts";
import { getListingByIri } from "../domain/listings.ts";
import { checkLinesAgainstListings } from "../domain/orders/checks.ts";
import {
  allowedActions,
  type EventPayload,
  type EventType,
  ORDER_STATES,
  type OrderState,
  type OrderTerms,
  type OrderView,
} from "../domain/orders/machine.ts";
import {
  DeliverToSchema,
  DeliveryWindowSchema,
  LineChangeSchema,
  LineIdSchema,
  MovedLinesSchema,
  PriceSchema,
  QuantitySchema,
} from "../domain/orders/payloads.ts";
import { getOrder, listOrders, OrderEventRefused } from "../domain/orders/store.ts";
import { makeOrderEvent, myActorIri } from "../federation/orders.ts";
import { scoped } from "./auth.ts";
import type { ApiApp, ApiDeps } from "./env.ts";
import { ApiError, fieldErrors } from "./problem.ts";
import { IdParam, json, problems } from "./schemas.ts";
import { orderUbl } from "./ubl.ts";

const CreateOrderSchema = z
  .strictObject({
    lines: z
      .array(
        z.strictObject({
          id: LineIdSchema.optional(),
          listing: z.url().openapi({ description: "The seller's listing IRI" }),
          quantity: QuantitySchema,
          unitPrice: PriceSchema,
          deliveryDate: z.iso.date().nullable().optional(),
        }),
      )
      .min(1, "an order needs at least one line")
      .max(200),
    deliveryWindow: DeliveryWindowSchema.optional(),
    deliverTo: DeliverToSchema.optional(),
    partialDelivery: z.boolean().default(true),
    note: z.string().max(5000).optional(),
  })
  .openapi("OrderInput");

const ReasonBody = z.strictObject({ reason: z.string().trim().min(1, "give a reason").max(2000) });
const OptionalReasonBody = z.strictObject({ reason: z.string().trim().min(1).max(2000).optional() });
const ChangesBody = z.strictObject({
  changes: z.array(LineChangeSchema).min(1),
  note: z.string().max(2000).optional(),
});
const today = () => new Date().toISOString().slice(0, 10);
const ShipBody = z.strictObject({
  lines: MovedLinesSchema,
  date: z.iso.date().optional(),
  tracking: z.string().max(200).optional(),
});
const ReceiveBody = z.strictObject({ lines: MovedLinesSchema, date: z.iso.date().optional() });

/** API action names; some mean different events depending on what is pending. */
const ACTIONS = {
  accept: { body: z.strictObject({}), events: ["accept", "accept_change", "accept_cancel"] },
  reject: { body: OptionalReasonBody, events: ["reject", "reject_change", "reject_cancel"] },
  "propose-changes": { body: ChangesBody, events: ["propose_changes"] },
  "accept-changes": { body: z.strictObject({}), events: ["accept_changes"] },
  change: { body: ChangesBody, events: ["change"] },
  cancel: { body: ReasonBody, events: ["cancel"] },
  ship: { body: ShipBody, events: ["ship"] },
  receive: { body: ReceiveBody, events: ["receive"] },
} as const satisfies Record<string, { body: z.ZodType; events: EventType[] }>;
type ActionName = keyof typeof ACTIONS;

const ACTION_OF_EVENT = Object.fromEntries(
  Object.entries(ACTIONS).flatMap(([name, a]) => a.events.map((e) => [e, name])),
) as Record<EventType, ActionName>;

function apiActions(state: OrderState, role: "buyer" | "seller"): ActionName[] {
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
    allowedActions: apiActions(view.state, order.role),
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

const OrderSchema = z.object({}).passthrough().openapi("Order", {
  description: "An order: state, version, lines with totals and fulfilment, the actions allowed now, and its history",
});

function contextOf(deps: ApiDeps) {
  return deps.federation.createContext(new URL(deps.services.config.origin), deps.services);
}

async function findOrder(deps: ApiDeps, id: string): Promise<OrderRow> {
  const order = await getOrder(deps.services.db, id);
  if (!order) throw new ApiError(404, "No such order");
  return order;
}

function payloadFor(event: EventType, body: Record<string, unknown>): EventPayload {
  switch (event) {
    case "ship":
      return {
        type: "ship",
        lines: body.lines as never,
        date: (body.date as string) ?? today(),
        tracking: (body.tracking as string) ?? null,
      };
    case "receive":
      return { type: "receive", lines: body.lines as never, date: (body.date as string) ?? today() };
    case "reject":
    case "cancel":
      return { type: event, reason: body.reason as string };
    case "reject_change":
    case "reject_cancel":
      return body.reason ? { type: event, reason: body.reason as string } : { type: event };
    case "propose_changes":
    case "change":
      return { type: event, changes: body.changes as never, note: (body.note as string) ?? null };
    default:
      return { type: event } as EventPayload;
  }
}

export function registerOrderRoutes(api: ApiApp): void {
  api.openapi(
    createRoute({
      method: "post",
      path: "/orders",
      tags: ["Orders"],
      summary: "Place an order with a partner from its listings; it is sent as an Offer",
      ...scoped("write"),
      request: { body: { required: true, content: { "application/json": { schema: CreateOrderSchema } } } },
      responses: { 201: json(OrderSchema, "The order, state sent"), ...problems(400, 409) },
    }),
    async (c) => {
      const deps = c.get("deps");
      const body = c.req.valid("json");
      const { db } = deps.services;
      const listings = new Map();
      for (const line of body.lines) {
        const row = await getListingByIri(db, line.listing);
        listings.set(line.listing, row && !row.local ? row : undefined);
      }
      const lineProblems = checkLinesAgainstListings(body.lines, listings);
      const currencies = new Set(body.lines.map((l) => l.unitPrice.currency));
      if (currencies.size > 1)
        lineProblems.push({ index: 0, field: "unitPrice.currency", message: "one currency per order" });
      if (lineProblems.length > 0) {
        const errors = lineProblems.map((p) => ({ field: `lines.${p.index}.${p.field}`, message: p.message }));
        throw new ApiError(
          400,
          `The order does not fit the listings: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}`,
          { errors },
        );
      }
      const seller = listings.get(body.lines[0]!.listing)!.authorIri as string;
      const ids = body.lines.map((l, i) => l.id ?? String(i + 1));
      if (new Set(ids).size !== ids.length)
        throw new ApiError(400, "Line ids must be unique", {
          errors: [{ field: "lines", message: "line ids must be unique" }],
        });
      const terms: OrderTerms = {
        lines: body.lines.map((l, i) => ({
          id: ids[i] as string,
          listing: l.listing,
          title: listings.get(l.listing)!.title as string,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          deliveryDate: l.deliveryDate ?? null,
        })),
        currency: body.lines[0]!.unitPrice.currency,
        deliveryWindow: body.deliveryWindow ?? null,
        deliverTo: body.deliverTo ?? null,
        partialDelivery: body.partialDelivery,
        note: body.note ?? null,
      };
      const ctx = contextOf(deps);
      const parties = {
        iri: new URL(`/orders/${randomUUID()}`, ctx.origin).href,
        role: "buyer" as const,
        buyerIri: myActorIri(ctx),
        sellerIri: seller,
      };
      const { order } = await makeOrderEvent(ctx, parties, null, { type: "order", terms });
      return c.json(orderJson(order), 201);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/orders",
      tags: ["Orders"],
      summary: "Orders placed and received, most recently changed first",
      ...scoped("read"),
      request: {
        query: z.object({
          role: z.enum(["buyer", "seller"], { error: "must be buyer or seller" }).optional(),
          state: z.enum(ORDER_STATES, { error: `must be one of ${ORDER_STATES.join(", ")}` }).optional(),
          partner: z.url({ error: "must be the partner's actor URL" }).optional(),
        }),
      },
      responses: { 200: json(z.object({ items: z.array(OrderSchema) }), "Orders"), ...problems(400) },
    }),
    async (c) => {
      const rows = await listOrders(c.get("deps").services.db, c.req.valid("query"));
      return c.json({ items: rows.map(orderJson) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/orders/{id}",
      tags: ["Orders"],
      summary: "One order with its lines, totals and full history",
      ...scoped("read"),
      request: { params: IdParam },
      responses: { 200: json(OrderSchema, "The order"), ...problems(400, 404) },
    }),
    async (c) => c.json(orderJson(await findOrder(c.get("deps"), c.req.valid("param").id)), 200),
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/orders/{id}/ubl",
      tags: ["Orders"],
      summary: "The order as a UBL 2.1 Order document (Peppol BIS Ordering)",
      ...scoped("read"),
      request: { params: IdParam },
      responses: {
        200: { description: "UBL 2.1 Order XML", content: { "application/xml": { schema: z.string() } } },
        ...problems(400, 404),
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const order = await findOrder(deps, c.req.valid("param").id);
      return c.body(await orderUbl(deps, order), 200, { "content-type": "application/xml; charset=utf-8" });
    },
  );

  for (const [name, action] of Object.entries(ACTIONS) as [ActionName, (typeof ACTIONS)[ActionName]][]) {
    api.openapi(
      createRoute({
        method: "post",
        path: `/orders/{id}/${name}`,
        tags: ["Orders"],
        summary: `Order action: ${name}`,
        ...scoped("write"),
        request: {
          params: IdParam,
          body: { required: false, content: { "application/json": { schema: action.body as z.ZodType } } },
        },
        responses: { 200: json(OrderSchema, "The order after the action"), ...problems(400, 404, 409) },
      }),
      async (c) => {
        const deps = c.get("deps");
        const order = await findOrder(deps, c.req.valid("param").id);
        const view = order.view as OrderView;
        const allowed = allowedActions(view.state, order.role);
        const event = action.events.find((e) => allowed.includes(e));
        if (!event) {
          throw new ApiError(409, `Cannot ${name} this order as ${order.role} while it is ${view.state}`, {
            state: view.state,
            allowedActions: apiActions(view.state, order.role),
          });
        }
        // The body is optional in the route (accept needs none), so an absent
        // one is validated here like any other.
        const parsed = action.body.safeParse((c.req.valid("json" as never) as unknown) ?? {});
        if (!parsed.success) {
          const errors = fieldErrors(parsed.error.issues);
          throw new ApiError(400, `Invalid ${[...new Set(errors.map((e) => e.field))].join(", ")}`, { errors });
        }
        const body = parsed.data as Record<string, unknown>;
        if (event === "reject" && !body.reason) {
          throw new ApiError(400, "Give a reason for rejecting the order", {
            errors: [{ field: "reason", message: "give a reason" }],
          });
        }
        const parties = { iri: order.iri, role: order.role, buyerIri: order.buyerIri, sellerIri: order.sellerIri };
        try {
          const result = await makeOrderEvent(contextOf(deps), parties, view, payloadFor(event, body));
          return c.json(orderJson(result.order), 200);
        } catch (error) {
          if (!(error instanceof OrderEventRefused)) throw error;
          throw new ApiError(409, `Cannot ${name}: ${error.message}`, {
            state: view.state,
            allowedActions: apiActions(view.state, order.role),
          });
        }
      },
    );
  }
}
