// /api/v1/tokens: the API tokens handed out, for scripts and other tools.
// `weft token create` makes one here (the node records it); `weft token
// list` and `revoke` read and revoke them. Admin only, as the workspace's
// Settings › API tokens is for owners only.
import { createRoute, z } from "@hono/zod-openapi";
import { API_ADMIN } from "../actions/people.ts";
import { type ApiTokenView, issueApiToken, listApiTokens, revokeApiToken, SCOPES } from "../actions/tokens.ts";
import { scoped } from "./auth.ts";
import { router } from "./router.ts";
import { IdParam, json, problems } from "./schemas.ts";

const TokenSchema = z
  .object({
    id: z.string().openapi({ description: "The token's `jti`" }),
    name: z.string().openapi({ example: "inventory-sync" }),
    scopes: z.array(z.enum(SCOPES)),
    createdAt: z.string(),
    expiresAt: z.string().nullable().openapi({ description: "Null: never expires" }),
    lastUsedAt: z
      .string()
      .nullable()
      .openapi({ description: "Last accepted request, to the minute (noted at most once a minute)" }),
    revokedAt: z.string().nullable(),
    state: z.enum(["active", "expired", "revoked"]),
  })
  .openapi("ApiToken");

const TokenRequest = z
  .object({
    name: z.string().openapi({ example: "inventory-sync" }),
    scopes: z.array(z.string()).openapi({ example: ["read"] }),
    expires: z
      .string()
      .default("30d")
      .openapi({ description: "30d, 12h, 15m, 45s or never (default 30d)", example: "90d" }),
  })
  .openapi("ApiTokenRequest");

const NewTokenSchema = z
  .object({
    id: z.string(),
    token: z.string().openapi({ description: "The token itself: shown once, the node keeps no copy" }),
    name: z.string(),
    scopes: z.array(z.enum(SCOPES)),
    expiresAt: z.string().nullable(),
  })
  .openapi("NewApiToken");

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function tokenJson(t: ApiTokenView) {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes,
    createdAt: t.createdAt.toISOString(),
    expiresAt: iso(t.expiresAt),
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
    state: t.state,
  };
}

export function tokenRoutes() {
  return router()
    .openapi(
      createRoute({
        method: "post",
        path: "/tokens",
        tags: ["Tokens"],
        summary: "Create an API token (recorded, so it can be listed and revoked)",
        ...scoped("admin"),
        request: { body: { content: { "application/json": { schema: TokenRequest } }, required: true } },
        responses: { 201: json(NewTokenSchema, "The token, shown once"), ...problems(400) },
      }),
      async (c) => {
        const { actions, secret } = c.get("deps");
        const made = await issueApiToken(actions, API_ADMIN, secret, c.req.valid("json"));
        return c.json({ ...made, expiresAt: iso(made.expiresAt) }, 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/tokens",
        tags: ["Tokens"],
        summary: "The API tokens handed out, newest first, revoked and expired ones included",
        ...scoped("admin"),
        responses: { 200: json(z.object({ items: z.array(TokenSchema) }), "Tokens") },
      }),
      async (c) => {
        const tokens = await listApiTokens(c.get("deps").actions, API_ADMIN);
        return c.json({ items: tokens.map(tokenJson) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/tokens/{id}",
        tags: ["Tokens"],
        summary: "Revoke an API token: the API refuses it from now on",
        ...scoped("admin"),
        request: { params: IdParam },
        responses: { 204: { description: "Revoked (or already revoked)" }, ...problems(400, 404) },
      }),
      async (c) => {
        await revokeApiToken(c.get("deps").actions, API_ADMIN, c.req.valid("param").id);
        return c.body(null, 204);
      },
    );
}
