// /api/v1/following: co-ops we follow.
import { createRoute, z } from "@hono/zod-openapi";
import { follow, listFollowing, unfollow } from "../actions/follows.ts";
import { scoped } from "./auth.ts";
import { router } from "./router.ts";
import { FollowingSchema, IdParam, json, problems } from "./schemas.ts";

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

export function followingRoutes() {
  return router()
    .openapi(
      createRoute({
        method: "get",
        path: "/following",
        tags: ["Following"],
        summary: "Co-ops this co-op follows, with the state of each follow",
        ...scoped("read"),
        responses: { 200: json(z.object({ items: z.array(FollowingSchema) }), "Follows, newest first"), ...problems() },
      }),
      async (c) => c.json({ items: await listFollowing(c.get("deps").actions) }, 200),
    )
    .openapi(
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
      async (c) => c.json(await follow(c.get("deps").actions, c.req.valid("json")), 202),
    )
    .openapi(
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
        await unfollow(c.get("deps").actions, c.req.valid("param").id);
        return c.body(null, 204);
      },
    );
}
