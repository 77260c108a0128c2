// /api/v1/relays: regional hubs this co-op subscribes to.
import type { Actor } from "@fedify/vocab";
import { createRoute, z } from "@hono/zod-openapi";
import type { RelaySubscriptionRow } from "../db/schema.ts";
import { deleteRelaySubscription, getRelaySubscription, listRelaySubscriptions } from "../domain/relays.ts";
import { LookupError, lookupActorByHandle, lookupActorByUrl } from "../federation/lookup.ts";
import { subscribeToRelay, unsubscribeFromRelay } from "../federation/relay.ts";
import { scoped } from "./auth.ts";
import type { ApiApp, ApiDeps } from "./env.ts";
import { ApiError } from "./problem.ts";
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

function relayJson(row: RelaySubscriptionRow) {
  return { id: row.id, actor: row.actorIri, state: row.state, createdAt: row.createdAt.toISOString() };
}

const LOOKUP_STATUS = { invalid: 400, not_found: 404, not_an_actor: 422, refused: 422, unreachable: 502 } as const;

function contextOf(deps: ApiDeps) {
  return deps.federation.createContext(new URL(deps.services.config.origin), deps.services);
}

export function registerRelayRoutes(api: ApiApp): void {
  api.openapi(
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
    async (c) => {
      const deps = c.get("deps");
      const body = c.req.valid("json");
      const ctx = contextOf(deps);
      let actor: Actor;
      try {
        actor = "actor" in body ? await lookupActorByUrl(ctx, body.actor) : await lookupActorByHandle(ctx, body.handle);
      } catch (error) {
        if (!(error instanceof LookupError)) throw error;
        const field = "actor" in body ? "actor" : "handle";
        throw new ApiError(LOOKUP_STATUS[error.reason], error.message, { errors: [{ field, message: error.message }] });
      }
      if (!actor.id || !actor.inboxId) throw new ApiError(422, "The relay has no inbox");
      const row = await subscribeToRelay(ctx, {
        id: actor.id,
        inboxId: actor.inboxId,
        sharedInbox: actor.endpoints?.sharedInbox ?? null,
      });
      return c.json(relayJson(row), 202);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/relays",
      tags: ["Discovery"],
      summary: "Relays this co-op subscribes to",
      ...scoped("read"),
      responses: { 200: json(z.object({ items: z.array(RelaySchema) }), "Relays"), ...problems() },
    }),
    async (c) => c.json({ items: (await listRelaySubscriptions(c.get("deps").services.db)).map(relayJson) }, 200),
  );

  api.openapi(
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
      const deps = c.get("deps");
      const row = await getRelaySubscription(deps.services.db, c.req.valid("param").id);
      if (!row) throw new ApiError(404, "No such relay");
      await unsubscribeFromRelay(contextOf(deps), row);
      await deleteRelaySubscription(deps.services.db, row.id);
      return c.body(null, 204);
    },
  );
}
