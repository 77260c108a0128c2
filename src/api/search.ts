// GET /api/v1/search and GET /api/v1/coops: finding capacity and partners.
import { createRoute, z } from "@hono/zod-openapi";
import { type KnownCoop, listCoops, searchListings } from "../actions/search.ts";
import { DECIMAL_PATTERN, isCurrencyCode, isUnitCode } from "../domain/codes.ts";
import { CATEGORY_PATTERN } from "../domain/listing-rules.ts";
import { LISTING_KINDS } from "../domain/records.ts";
import { isRegionCode } from "../domain/regions.ts";
import { scoped } from "./auth.ts";
import type { ApiApp } from "./env.ts";
import { json, problems } from "./schemas.ts";

const date = z.iso.date({ error: "must be an ISO 8601 date such as 2027-02-01" });

const SearchQuery = z
  .object({
    q: z.string().max(200).optional().openapi({ description: "Words to find in titles and descriptions" }),
    kind: z.enum(LISTING_KINDS, { error: "must be offer, capacity or need" }).optional(),
    category: z.string().regex(CATEGORY_PATTERN, "must be a path such as apparel/cut-and-sew").optional(),
    region: z.string().refine(isRegionCode, "must be an ISO 3166 code such as US or US-NC").optional(),
    near: z
      .string()
      .regex(/^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$/, "must be lat,lon such as 35.745,-81.685")
      .refine((v) => {
        const [lat, lon] = v.split(",").map(Number) as [number, number];
        return Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
      }, "is outside the range of latitudes and longitudes")
      .optional(),
    radiusKm: z.coerce.number({ error: "must be a number" }).positive("must be positive").max(20_000).optional(),
    from: date.optional(),
    until: date.optional(),
    minQuantity: z.string().regex(DECIMAL_PATTERN, 'must be a decimal such as "3000"').optional(),
    unit: z.string().refine(isUnitCode, "is not a known UN/ECE Rec 20 unit code").optional(),
    maxPrice: z.string().regex(DECIMAL_PATTERN, 'must be a decimal such as "12.50"').optional(),
    currency: z.string().refine(isCurrencyCode, "is not an ISO 4217 currency code").optional(),
    sort: z.enum(["relevance", "distance", "newest"], { error: "must be relevance, distance or newest" }).optional(),
    includeExpired: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
    cursor: z
      .string()
      .regex(/^\d{1,6}$/, "is not a cursor from this API")
      .optional(),
    limit: z.coerce.number({ error: "must be a number" }).int().min(1).max(100).default(20),
  })
  .superRefine((p, ctx) => {
    const need = (field: string, other: string, present: unknown, partner: unknown) => {
      if (present !== undefined && partner === undefined) {
        ctx.addIssue({ code: "custom", path: [field], message: `needs ${other} as well` });
      }
    };
    need("radiusKm", "near", p.radiusKm, p.near);
    need("minQuantity", "unit", p.minQuantity, p.unit);
    need("maxPrice", "currency", p.maxPrice, p.currency);
    if (p.sort === "distance" && !p.near)
      ctx.addIssue({ code: "custom", path: ["sort"], message: "distance needs near" });
    if (p.sort === "relevance" && !p.q) ctx.addIssue({ code: "custom", path: ["sort"], message: "relevance needs q" });
    if (p.from && p.until && p.until < p.from) {
      ctx.addIssue({ code: "custom", path: ["until"], message: "must not be before from" });
    }
  });

/** A co-op of the directory as GET /coops answers it (the CLI reads this type too). */
export type Coop = KnownCoop;

const CoopSchema = z
  .object({
    actor: z.string(),
    handle: z.string().nullable(),
    name: z.string().nullable(),
    region: z.string().nullable(),
    categories: z.array(z.string()),
    listings: z.number(),
    knownVia: z.string().nullable().openapi({ description: "following, follower, relay, crawl, order" }),
    lastSeen: z.string(),
  })
  .openapi("Coop") satisfies z.ZodType<Coop>;

const CoopsQuery = z.object({
  region: z.string().refine(isRegionCode, "must be an ISO 3166 code such as US or US-NC").optional(),
  category: z.string().regex(CATEGORY_PATTERN, "must be a path such as textile/yarn").optional(),
});

export function registerSearchRoutes(api: ApiApp): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/search",
      tags: ["Discovery"],
      summary: "Search every listing this node knows, with where each came from",
      ...scoped("read"),
      request: { query: SearchQuery },
      responses: {
        200: json(
          z.object({ items: z.array(z.any()), next: z.string().nullable() }),
          "Matching listings; pass `next` as `cursor` for more",
        ),
        ...problems(400),
      },
    }),
    async (c) => {
      const p = c.req.valid("query");
      const [lat, lon] = p.near ? (p.near.split(",").map(Number) as [number, number]) : [0, 0];
      const input = {
        ...p,
        near: p.near ? { lat, lon } : undefined,
        minQuantity: p.minQuantity && p.unit ? { amount: p.minQuantity, unit: p.unit } : undefined,
        maxPrice: p.maxPrice && p.currency ? { amount: p.maxPrice, currency: p.currency } : undefined,
        includeExpired: p.includeExpired === "true",
      };
      return c.json(await searchListings(c.get("deps").actions, input), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/coops",
      tags: ["Discovery"],
      summary: "The directory of co-ops this node knows",
      ...scoped("read"),
      request: { query: CoopsQuery },
      responses: { 200: json(z.object({ items: z.array(CoopSchema) }), "Known co-ops"), ...problems(400) },
    }),
    async (c) => c.json({ items: await listCoops(c.get("deps").actions, c.req.valid("query")) }, 200),
  );
}
