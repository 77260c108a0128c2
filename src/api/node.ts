// GET|PATCH /api/v1/node: the co-op's profile and the node's state.
import { createRoute, z } from "@hono/zod-openapi";
import { editProfile, getProfile, type ProfileJson } from "../actions/profile.ts";
import { isRegionCode } from "../domain/regions.ts";
import { scoped } from "./auth.ts";
import type { ApiDeps } from "./env.ts";
import { router } from "./router.ts";
import { json, problems } from "./schemas.ts";

const NodeSchema = z
  .object({
    handle: z.string().openapi({ example: "coop" }),
    account: z.string().openapi({ example: "coop@knit.example" }),
    actor: z.string().openapi({ example: "https://knit.example/coops/coop" }),
    origin: z.string(),
    name: z.string(),
    summary: z.string().nullable(),
    region: z.string().nullable().openapi({ example: "US-NC" }),
    website: z.string().nullable(),
    discoverable: z.boolean(),
    followApproval: z.enum(["auto", "manual"]),
    software: z.object({ name: z.string(), version: z.string() }),
    database: z.enum(["pglite", "postgres"]),
    counts: z.object({ followers: z.number(), pendingFollowers: z.number(), following: z.number() }),
    queue: z.object({ queued: z.number(), ready: z.number(), delayed: z.number() }),
    backups: z
      .object({
        dir: z.string(),
        every: z.string().openapi({ example: "1d" }),
        keep: z.number(),
        last: z.object({ at: z.string(), file: z.string(), bytes: z.number() }).nullable(),
        failure: z.object({ at: z.string(), message: z.string() }).nullable(),
      })
      .nullable()
      .openapi({ description: "Scheduled backups (WEFT_BACKUP_DIR); null when off" }),
  })
  .openapi("Node");

export const ProfilePatchSchema = z
  .strictObject(
    {
      name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").nullable(),
      summary: z.string().max(5000, "must be at most 5000 characters").nullable(),
      region: z
        .string()
        .refine(isRegionCode, "must be an ISO 3166-1 country (US) or ISO 3166-2 subdivision (US-NC) code")
        .nullable(),
      website: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).nullable(),
      discoverable: z.boolean({ error: "must be true or false" }),
    },
    {
      error: (issue) => (issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : undefined),
    },
  )
  .partial()
  .openapi("ProfilePatch", { description: "Fields to change; null resets a field to its default." });

/** The profile with what only this process knows: its database driver and queue depth. */
async function nodeJson(deps: ApiDeps, profile: ProfileJson) {
  const { counts, ...rest } = profile;
  const depth = await deps.queue.getDepth();
  return {
    ...rest,
    database: deps.database.driver,
    counts,
    queue: { queued: depth.queued, ready: depth.ready ?? depth.queued, delayed: depth.delayed ?? 0 },
    backups: deps.backups?.status() ?? null,
  };
}

export function nodeRoutes() {
  return router()
    .openapi(
      createRoute({
        method: "get",
        path: "/node",
        tags: ["Node"],
        summary: "The co-op's profile and this node's state",
        ...scoped("read"),
        responses: { 200: json(NodeSchema, "The node"), ...problems() },
      }),
      async (c) => {
        const deps = c.get("deps");
        return c.json(await nodeJson(deps, await getProfile(deps.actions)), 200);
      },
    )
    .openapi(
      createRoute({
        method: "patch",
        path: "/node",
        tags: ["Node"],
        summary: "Edit the co-op's profile; followers receive an Update",
        ...scoped("write"),
        request: { body: { required: true, content: { "application/json": { schema: ProfilePatchSchema } } } },
        responses: { 200: json(NodeSchema, "The node after the change"), ...problems(400) },
      }),
      async (c) => {
        const deps = c.get("deps");
        return c.json(await nodeJson(deps, await editProfile(deps.actions, c.req.valid("json"))), 200);
      },
    );
}
