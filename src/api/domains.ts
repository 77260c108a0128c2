// /api/v1/domains: who may talk to us (blocks, and the allow list read when
// WEFT_FEDERATION=allowlist); /api/v1/relay/members: co-ops asking to join
// our hub, approved or turned down by an owner (WEFT_RELAY_ADMISSION=approval).
import { createRoute, z } from "@hono/zod-openapi";
import {
  allowDomain,
  blockDomain,
  type DomainRuleInput,
  disallowDomain,
  listDomainRules,
  unblockDomain,
} from "../actions/domains.ts";
import { approveRelayMember, listRelayMembers, rejectRelayMember } from "../actions/relays.ts";
import { scoped } from "./auth.ts";
import { router } from "./router.ts";
import { json, problems } from "./schemas.ts";

const DomainRuleRequest = z
  .strictObject({
    domain: z.string().min(1).max(300).openapi({ example: "spam.example" }),
    kind: z.enum(["block", "allow"]),
    note: z.string().max(500).nullish(),
  })
  .openapi("DomainRuleRequest");

const DomainRuleSchema = z
  .object({
    domain: z.string().openapi({ description: "A host (its sub-domains and every port too) or host:port" }),
    kind: z.enum(["block", "allow"]),
    note: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("DomainRule");

const DomainParam = z.object({
  domain: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: "domain", in: "path" }, example: "spam.example" }),
});
const KindQuery = z.object({ kind: z.enum(["block", "allow"]).openapi({ description: "The rule to remove" }) });

const RelayMemberSchema = z
  .object({ actor: z.string(), state: z.enum(["pending", "accepted"]), createdAt: z.string() })
  .openapi("RelayMember");
const RelayMemberRequest = z.strictObject({ actor: z.url({ protocol: /^https?$/ }) }).openapi("RelayMemberRequest");

export function domainRoutes() {
  return router()
    .openapi(
      createRoute({
        method: "get",
        path: "/domains",
        tags: ["Moderation"],
        summary: "Blocked and allowed servers, and the mode (open or allowlist) they are read in",
        ...scoped("read"),
        responses: {
          200: json(z.object({ mode: z.enum(["open", "allowlist"]), items: z.array(DomainRuleSchema) }), "Rules"),
          ...problems(),
        },
      }),
      async (c) => c.json(await listDomainRules(c.get("deps").actions), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/domains",
        tags: ["Moderation"],
        summary: "Block or allow a server (replaces an earlier rule for the same domain)",
        ...scoped("admin"),
        request: { body: { required: true, content: { "application/json": { schema: DomainRuleRequest } } } },
        responses: { 201: json(DomainRuleSchema, "The rule"), ...problems(400) },
      }),
      async (c) => {
        const { kind, ...input } = c.req.valid("json");
        const weft = c.get("deps").actions;
        const rule =
          kind === "block" ? await blockDomain(weft, input as DomainRuleInput) : await allowDomain(weft, input);
        return c.json(rule, 201);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/domains/{domain}",
        tags: ["Moderation"],
        summary: "Unblock or disallow a server",
        ...scoped("admin"),
        request: { params: DomainParam, query: KindQuery },
        responses: { 204: { description: "Removed" }, ...problems(400, 404) },
      }),
      async (c) => {
        const { domain } = c.req.valid("param");
        const weft = c.get("deps").actions;
        if (c.req.valid("query").kind === "block") await unblockDomain(weft, domain);
        else await disallowDomain(weft, domain);
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/relay/members",
        tags: ["Discovery"],
        summary: "Members of our hub (WEFT_RELAY=on), those waiting for approval first",
        ...scoped("read"),
        responses: { 200: json(z.object({ items: z.array(RelayMemberSchema) }), "Members"), ...problems() },
      }),
      async (c) => c.json({ items: await listRelayMembers(c.get("deps").actions) }, 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/relay/members/approve",
        tags: ["Discovery"],
        summary: "Admit a co-op waiting to join our hub: sends Accept",
        ...scoped("admin"),
        request: { body: { required: true, content: { "application/json": { schema: RelayMemberRequest } } } },
        responses: { 200: json(RelayMemberSchema, "The member"), ...problems(400, 404) },
      }),
      async (c) => c.json(await approveRelayMember(c.get("deps").actions, c.req.valid("json").actor), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/relay/members/reject",
        tags: ["Discovery"],
        summary: "Turn down (or remove) a member of our hub: sends Reject",
        ...scoped("admin"),
        request: { body: { required: true, content: { "application/json": { schema: RelayMemberRequest } } } },
        responses: { 204: { description: "Removed" }, ...problems(400, 404) },
      }),
      async (c) => {
        await rejectRelayMember(c.get("deps").actions, c.req.valid("json").actor);
        return c.body(null, 204);
      },
    );
}
