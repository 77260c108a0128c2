// /api/v1/relays: regional hubs this co-op subscribes to.
import { createRoute, z } from "@hono/zod-openapi";
import { joinRelay, leaveRelay, listRelays } from "../actions/relays.ts";
import { scoped } from "./auth.ts";
import { router } from "./router.ts";
import { IdParam, json, problems } from "./schemas.ts";

const RelayRequest = z
  .union(
    [
      z.strictObject({
        actor: z.url({ protocol: /^https?$/ }).openapi({ example: "https://hub.example/coops/relay" }),
      }),
      z.strictObject({ handle: z.string().min(3).openapi({ example: "relay@hub.example" }) }),
    ],
    { error: 'send {"actor": "<relay actor URL>"} or {"handle": "relay@host"}' },
  )
  .openapi("RelayRequest");

const RelaySchema = z
  .object({
    id: z.string(),
    actor: z.string(),
    state: z.enum(["pending", "accepted", "rejected"]),
    createdAt: z.string(),
  })
  .openapi("Relay");

export function relayRoutes() {
  return router()
    .openapi(
      createRoute({
        method: "post",
        path: "/relays",
        tags: ["Discovery"],
        summary: "Subscribe to a relay (regional hub): Follow of its actor with the Public collection",
        ...scoped("write"),
        request: { body: { required: true, content: { "application/json": { schema: RelayRequest } } } },
        responses: {
          202: json(RelaySchema, "Subscription sent; pending until the relay accepts"),
          ...problems(400, 404, 422, 502),
        },
      }),
      async (c) => c.json(await joinRelay(c.get("deps").actions, c.req.valid("json")), 202),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/relays",
        tags: ["Discovery"],
        summary: "Relays this co-op subscribes to",
        ...scoped("read"),
        responses: { 200: json(z.object({ items: z.array(RelaySchema) }), "Relays"), ...problems() },
      }),
      async (c) => c.json({ items: await listRelays(c.get("deps").actions) }, 200),
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/relays/{id}",
        tags: ["Discovery"],
        summary: "Leave a relay: sends Undo(Follow)",
        ...scoped("write"),
        request: { params: IdParam },
        responses: { 204: { description: "Left" }, ...problems(400, 404) },
      }),
      async (c) => {
        await leaveRelay(c.get("deps").actions, c.req.valid("param").id);
        return c.body(null, 204);
      },
    );
}
