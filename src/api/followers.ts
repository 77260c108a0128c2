// /api/v1/followers: co-ops that follow us, and approval of new ones.
import { createRoute, z } from "@hono/zod-openapi";
import { approveFollower, listFollowers, rejectFollower, removeFollower } from "../actions/follows.ts";
import { scoped } from "./auth.ts";
import { router } from "./router.ts";
import { FollowerSchema, IdParam, json, problems } from "./schemas.ts";

const FollowersQuery = z.object({
  state: z
    .enum(["pending", "accepted"], { error: "must be pending or accepted" })
    .optional()
    .openapi({ param: { name: "state", in: "query" } }),
});

export function followerRoutes() {
  return router()
    .openapi(
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
      async (c) => c.json({ items: await listFollowers(c.get("deps").actions, c.req.valid("query")) }, 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/followers/{id}/approve",
        tags: ["Followers"],
        summary: "Approve a pending follower: sends Accept(Follow)",
        ...scoped("write"),
        request: { params: IdParam },
        responses: { 200: json(FollowerSchema, "The follower, now accepted"), ...problems(400, 404, 409) },
      }),
      async (c) => c.json(await approveFollower(c.get("deps").actions, c.req.valid("param").id), 200),
    )
    .openapi(
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
        await rejectFollower(c.get("deps").actions, c.req.valid("param").id);
        return c.body(null, 204);
      },
    )
    .openapi(
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
        await removeFollower(c.get("deps").actions, c.req.valid("param").id);
        return c.body(null, 204);
      },
    );
}
