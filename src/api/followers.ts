// /api/v1/followers: co-ops that follow us, and approval of new ones.
import { createRoute, z } from "@hono/zod-openapi";
import { approveFollower, deleteFollower, getFollower, listFollowers } from "../domain/follows.ts";
import { sendFollowAnswer } from "../federation/outbox.ts";
import { scoped } from "./auth.ts";
import type { ApiApp, ApiDeps } from "./env.ts";
import { ApiError } from "./problem.ts";
import { FollowerSchema, IdParam, json, problems, relationshipJson } from "./schemas.ts";

const FollowersQuery = z.object({
  state: z
    .enum(["pending", "accepted"], { error: "must be pending or accepted" })
    .optional()
    .openapi({ param: { name: "state", in: "query" } }),
});

function contextOf(deps: ApiDeps) {
  return deps.federation.createContext(new URL(deps.services.config.origin), deps.services);
}

async function findFollower(deps: ApiDeps, id: string) {
  const found = await getFollower(deps.services.db, id);
  if (!found) throw new ApiError(404, "No such follower");
  return found;
}

export function registerFollowerRoutes(api: ApiApp): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/followers",
      tags: ["Followers"],
      summary: "Co-ops following this co-op; pending ones wait for approval",
      ...scoped("read"),
      request: { query: FollowersQuery },
      responses: {
        200: json(z.object({ items: z.array(FollowerSchema) }), "Followers, newest first"),
        ...problems(400),
      },
    }),
    async (c) => {
      const rows = await listFollowers(c.get("deps").services.db, c.req.valid("query"));
      return c.json({ items: rows.map(relationshipJson) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/followers/{id}/approve",
      tags: ["Followers"],
      summary: "Approve a pending follower: sends Accept(Follow)",
      ...scoped("write"),
      request: { params: IdParam },
      responses: { 200: json(FollowerSchema, "The follower, now accepted"), ...problems(400, 404, 409) },
    }),
    async (c) => {
      const deps = c.get("deps");
      const found = await findFollower(deps, c.req.valid("param").id);
      if (found.relationship.state !== "pending") throw new ApiError(409, "This follower is already accepted");
      const row = await approveFollower(deps.services.db, found.relationship.id);
      await sendFollowAnswer(contextOf(deps), found.actor, found.relationship.followIri, "accept");
      return c.json(relationshipJson({ relationship: row ?? found.relationship, actor: found.actor }), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/followers/{id}/reject",
      tags: ["Followers"],
      summary: "Reject a pending follower: sends Reject(Follow)",
      ...scoped("write"),
      request: { params: IdParam },
      responses: { 204: { description: "Rejected and removed" }, ...problems(400, 404, 409) },
    }),
    async (c) => {
      const deps = c.get("deps");
      const found = await findFollower(deps, c.req.valid("param").id);
      if (found.relationship.state !== "pending") {
        throw new ApiError(409, "This follower is already accepted; remove it instead (DELETE /api/v1/followers/{id})");
      }
      await deleteFollower(deps.services.db, found.relationship.id);
      await sendFollowAnswer(contextOf(deps), found.actor, found.relationship.followIri, "reject");
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/followers/{id}",
      tags: ["Followers"],
      summary: "Remove a follower: it stops receiving our activities and is sent Reject(Follow)",
      ...scoped("write"),
      request: { params: IdParam },
      responses: { 204: { description: "Removed" }, ...problems(400, 404) },
    }),
    async (c) => {
      const deps = c.get("deps");
      const found = await findFollower(deps, c.req.valid("param").id);
      await deleteFollower(deps.services.db, found.relationship.id);
      await sendFollowAnswer(contextOf(deps), found.actor, found.relationship.followIri, "reject");
      return c.body(null, 204);
    },
  );
}
