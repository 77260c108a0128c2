// /api/v1/orders: purchase orders this co-op placed or received.

import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getOrderUbl, getOrderView, listOrders, type OrderActionName } from "../actions/order-view.ts";
import { actOnOrder, ORDER_ACTION_INPUTS, type OrderActionInput, placeOrder } from "../actions/orders.ts";
import { ORDER_STATES } from "../domain/orders/machine.ts";
import {
  DeliverToSchema,
  DeliveryWindowSchema,
  LineIdSchema,
  PriceSchema,
  QuantitySchema,
} from "../domain/orders/payloads.ts";
import { scoped } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { OrderSchema } from "./order-schema.ts";
import { router } from "./router.ts";
import { IdParam, json, problems } from "./schemas.ts";

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

export function orderRoutes() {
  return router()
    .openapi(
      createRoute({
        method: "post",
        path: "/orders",
        tags: ["Orders"],
        summary: "Place an order with a partner from its listings; it is sent as an Offer",
        ...scoped("write"),
        request: { body: { required: true, content: { "application/json": { schema: CreateOrderSchema } } } },
        responses: { 201: json(OrderSchema, "The order, state sent"), ...problems(400, 409) },
      }),
      async (c) => c.json(await placeOrder(c.get("deps").actions, c.req.valid("json")), 201),
    )
    .openapi(
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
      async (c) => c.json({ items: await listOrders(c.get("deps").actions, c.req.valid("query")) }, 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/orders/{id}",
        tags: ["Orders"],
        summary: "One order with its lines, totals and full history",
        ...scoped("read"),
        request: { params: IdParam },
        responses: { 200: json(OrderSchema, "The order"), ...problems(400, 404) },
      }),
      async (c) => c.json(await getOrderView(c.get("deps").actions, c.req.valid("param").id), 200),
    )
    .openapi(
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
        const xml = await getOrderUbl(c.get("deps").actions, c.req.valid("param").id);
        return c.body(xml, 200, { "content-type": "application/xml; charset=utf-8" });
      },
    )
    .openapi(actionRoute("accept"), actionHandler("accept"))
    .openapi(actionRoute("reject"), actionHandler("reject"))
    .openapi(actionRoute("propose-changes"), actionHandler("propose-changes"))
    .openapi(actionRoute("accept-changes"), actionHandler("accept-changes"))
    .openapi(actionRoute("change"), actionHandler("change"))
    .openapi(actionRoute("cancel"), actionHandler("cancel"))
    .openapi(actionRoute("ship"), actionHandler("ship"))
    .openapi(actionRoute("receive"), actionHandler("receive"));
}

/** POST /orders/{id}/<action>, with the body that action takes. */
function actionRoute<const A extends OrderActionName>(name: A) {
  return createRoute({
    method: "post",
    path: `/orders/{id}/${name}` as `/orders/{id}/${A}`,
    tags: ["Orders"],
    summary: `Order action: ${name}`,
    ...scoped("write"),
    request: {
      params: IdParam,
      body: { required: false, content: { "application/json": { schema: ORDER_ACTION_INPUTS[name] } } },
    },
    responses: { 200: json(OrderSchema, "The order after the action"), ...problems(400, 404, 409) },
  });
}

/** Its handler: the route has checked the id; the use case checks the body against the action. */
function actionHandler<const A extends OrderActionName>(name: A) {
  type Input = { out: { param: { id: string }; json: OrderActionInput<A> | undefined } };
  return async (c: Context<ApiEnv, `/orders/:id/${A}`, Input>) => {
    // The body is optional in the route (accept needs none).
    const body = c.req.valid("json") ?? ({} as OrderActionInput<A>);
    return c.json(await actOnOrder(c.get("deps").actions, c.req.valid("param").id, name, body), 200);
  };
}
