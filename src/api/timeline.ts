// GET /api/v1/timeline: listings of the co-ops we follow and our own.
import { createRoute, z } from "@hono/zod-openapi";
import { timeline } from "../actions/listings.ts";
import { LISTING_KINDS } from "../domain/records.ts";
import { scoped } from "./auth.ts";
import { ListingSchema } from "./listings.ts";
import { router } from "./router.ts";
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

export function timelineRoutes() {
  return router().openapi(
    createRoute({
      method: "get",
      path: "/timeline",
      tags: ["Listings"],
      summary: "Listings from followed co-ops and our own, newest change first",
      ...scoped("read"),
      request: { query: TimelineQuery },
      responses: {
        200: json(
          z.object({ items: z.array(ListingSchema), next: z.string().nullable() }),
          "A page of listings; pass `next` as `cursor` for the following page",
        ),
        ...problems(400),
      },
    }),
    async (c) => c.json(await timeline(c.get("deps").actions, c.req.valid("query")), 200),
  );
}
