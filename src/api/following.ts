// /api/v1/following: co-ops we follow.
import type { Actor } from "@fedify/vocab";
import { createRoute, z } from "@hono/zod-openapi";
import { deleteFollowing, findRemoteActor, getFollowing, listFollowing } from "../domain/follows.ts";
import { LookupError, lookupActorByHandle, lookupActorByUrl } from "../federation/lookup.ts";
import { sendFollow, sendUnfollow } from "../federation/outbox.ts";
import { rememberActor } from "../federation/remote-actor.ts";
import { scoped } from "./auth.ts";
import type { ApiApp } from "./env.ts";
import { ApiError } from "./problem.ts";
import { FollowingSchema, IdParam, json, problems, relationshipJson } from "./schemas.ts";

export const FollowRequestSchema = z
  .union(
    [
      z.strictObject({ handle: z.string().min(3).openapi({ example: "coop@dyehouse.example" }) }),
      z.strictObject({
        actor: z.url({ protocol: /^https?$/ }).openapi({ example: "https://dyehouse.example/coops/coop" }),
      }),
    ],
    { error: 'send either {"handle": "coop@host"} or {"actor": "https://…"}' },
  )
  .openapi("FollowRequest");

const LOOKUP_STATUS = { invalid: 400, not_found: 404, not_an_actor: 422, refused: 422, unreachable: 502 } as const;

export function registerFollowingRoutes(api: ApiApp): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/following",
      tags: ["Following"],
      summary: "Co-ops this co-op follows, with the state of each follow",
      ...scoped("read"),
      responses: { 200: json(z.object({ items: z.array(FollowingSchema) }), "Follows, newest first"), ...problems() },
    }),
    async (c) => {
      const rows = await listFollowing(c.get("deps").services.db);
      return c.json({ items: rows.map(relationshipJson) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/following",
      tags: ["Following"],
      summary: "Follow a co-op by handle or actor URL; it answers with Accept or Reject",
      ...scoped("write"),
      request: { body: { required: true, content: { "application/json": { schema: FollowRequestSchema } } } },
      responses: {
        202: json(FollowingSchema, "Follow sent; state is pending until the co-op answers"),
        ...problems(400, 404, 409, 422, 502),
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const { db, config } = deps.services;
      const body = c.req.valid("json");
      const ctx = deps.federation.createContext(new URL(config.origin), deps.services);
      let actor: Actor;
      try {
        actor =
          "handle" in body ? await lookupActorByHandle(ctx, body.handle) : await lookupActorByUrl(ctx, body.actor);
      } catch (error) {
        if (error instanceof LookupError) {
          throw new ApiError(LOOKUP_STATUS[error.reason], error.message, {
            errors: [{ field: "handle" in body ? "handle" : "actor", message: error.message }],
          });
        }
        throw error;
      }
      if (actor.id?.href === ctx.getActorUri(config.handle).href) {
        throw new ApiError(400, "A co-op cannot follow itself", {
          errors: [{ field: "handle" in body ? "handle" : "actor", message: "is this co-op" }],
        });
      }
      const known = actor.id ? await findRemoteActor(db, actor.id.href) : undefined;
      if (known) {
        const current = (await listFollowing(db)).find((f) => f.actor.id === known.id);
        if (current?.relationship.state === "accepted") {
          throw new ApiError(409, `Already following ${known.handle ?? known.iri}`, {
            following: current.relationship.id,
          });
        }
      }
      const target = await rememberActor(ctx, actor, "following");
      const row = await sendFollow(ctx, target);
      return c.json(relationshipJson({ relationship: row, actor: target }), 202);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/following/{id}",
      tags: ["Following"],
      summary: "Unfollow: sends Undo(Follow) and forgets the follow",
      ...scoped("write"),
      request: { params: IdParam },
      responses: { 204: { description: "Unfollowed" }, ...problems(400, 404) },
    }),
    async (c) => {
      const deps = c.get("deps");
      const found = await getFollowing(deps.services.db, c.req.valid("param").id);
      if (!found) throw new ApiError(404, "No such follow");
      const ctx = deps.federation.createContext(new URL(deps.services.config.origin), deps.services);
      if (found.relationship.state !== "rejected") {
        await sendUnfollow(ctx, found.actor, found.relationship.followIri);
      }
      await deleteFollowing(deps.services.db, found.relationship.id);
      return c.body(null, 204);
    },
  );
}
