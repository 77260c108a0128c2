// GET /api/v1/timeline: listings of the co-ops we follow and our own.
import { createRoute, z } from "@hono/zod-openapi";
import { LISTING_KINDS } from "../db/schema.ts";
import { decodeCursor, timelinePage } from "../domain/listings.ts";
import { scoped } from "./auth.ts";
import type { ApiApp } from "./env.ts";
import { listingJson } from "./listings.ts";
import { ApiError } from "./problem.ts";
import { json, problems } from "./schemas.ts";

const TimelineQuery = z.object({
  kind: z.enum(LISTING_KINDS, { error: "must be offer, capacity or need" }).optional(),
  category: z.string().optional().openapi({ description: "Matches the category and its sub-categories" }),
  cursor: z.string().optional().openapi({ description: "`next` from the previous page" }),
  limit: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(100, "must be at most 100")
    .default(20),
});

export function registerTimelineRoutes(api: ApiApp): void {
  api.openapi(
    createRoute({
      method: "get",
      path: "/timeline",
      tags: ["Listings"],
      summary: "Listings from followed co-ops and our own, newest change first",
      ...scoped("read"),
      request: { query: TimelineQuery },
      responses: {
        200: json(
          z.object({ items: z.array(z.any()), next: z.string().nullable() }),
          "A page of listings; pass `next` as `cursor` for the following page",
        ),
        ...problems(400),
      },
    }),
    async (c) => {
      const query = c.req.valid("query");
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && !after) {
        throw new ApiError(400, "Invalid cursor", {
          errors: [{ field: "query.cursor", message: "is not a cursor from this API" }],
        });
      }
      const page = await timelinePage(c.get("deps").services.db, { ...query, after, limit: query.limit });
      return c.json({ items: page.items.map(listingJson), next: page.next }, 200);
    },
  );
}
