// GET /api/v1/search and GET /api/v1/coops: finding capacity and partners.
import { createRoute, z } from "@hono/zod-openapi";
import { type KnownCoop, listCoops, searchListings } from "../actions/search.ts";
import { SearchQuerySchema, searchInputOf } from "../actions/search-query.ts";
import { CATEGORY_PATTERN } from "../domain/listing-rules.ts";
import { isRegionCode } from "../domain/regions.ts";
import { scoped } from "./auth.ts";
import { ListingSchema } from "./listings.ts";
import { router } from "./router.ts";
import { json, problems } from "./schemas.ts";

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
  .openapi("Coop") satisfies z.ZodType<KnownCoop>;

const SearchHitSchema = ListingSchema.extend({
  distanceKm: z.number().nullable().openapi({ description: "From `near`, when given and the listing has a location" }),
  relevance: z.number().nullable().openapi({ description: "Text rank, when searching with words" }),
  from: z.object({
    coop: z.string().openapi({ description: "The author's actor IRI" }),
    handle: z.string().nullable(),
    name: z.string().nullable(),
    via: z.string().openapi({ description: "How this node learned of the listing" }),
    coopKnownVia: z.string().nullable().openapi({ description: "How this node knows its author; own for ours" }),
  }),
}).openapi("SearchHit");

const CoopsQuery = z.object({
  region: z.string().refine(isRegionCode, "must be an ISO 3166 code such as US or US-NC").optional(),
  category: z.string().regex(CATEGORY_PATTERN, "must be a path such as textile/yarn").optional(),
});

export function searchRoutes() {
  return router()
    .openapi(
      createRoute({
        method: "get",
        path: "/search",
        tags: ["Discovery"],
        summary: "Search every listing this node knows, with where each came from",
        ...scoped("read"),
        request: { query: SearchQuerySchema },
        responses: {
          200: json(
            z.object({ items: z.array(SearchHitSchema), next: z.string().nullable() }),
            "Matching listings; pass `next` as `cursor` for more",
          ),
          ...problems(400),
        },
      }),
      async (c) => c.json(await searchListings(c.get("deps").actions, searchInputOf(c.req.valid("query"))), 200),
    )
    .openapi(
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
