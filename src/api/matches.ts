// /api/v1/matches: needs and offers that answer each other.
import { createRoute, z } from "@hono/zod-openapi";
import { listMatches, markMatchesSeen } from "../actions/matches.ts";
import { scoped } from "./auth.ts";
import { ListingSchema } from "./listings.ts";
import { router } from "./router.ts";
import { json, problems } from "./schemas.ts";

const MatchSchema = z
  .object({
    need: ListingSchema,
    offer: ListingSchema,
    score: z.number(),
    reasons: z.array(z.string()).openapi({ description: "Why they match, in words" }),
    new: z.boolean().openapi({ description: "Not yet marked seen" }),
  })
  .openapi("Match");

export function matchRoutes() {
  return router()
    .openapi(
      createRoute({
        method: "get",
        path: "/matches",
        tags: ["Discovery"],
        summary: "Our needs matched with known offers and capacity, and known needs with ours; best first",
        ...scoped("read"),
        request: {
          query: z.object({
            new: z
              .enum(["true", "false"], { error: "must be true or false" })
              .optional()
              .openapi({ description: "Only matches not yet seen" }),
          }),
        },
        responses: { 200: json(z.object({ items: z.array(MatchSchema) }), "Matches, best first"), ...problems(400) },
      }),
      async (c) => {
        const onlyNew = c.req.valid("query").new === "true";
        return c.json({ items: await listMatches(c.get("deps").actions, { onlyNew }) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/matches/seen",
        tags: ["Discovery"],
        summary: "Mark every current match as seen (they are no longer listed as new)",
        ...scoped("write"),
        responses: { 200: json(z.object({ marked: z.number() }), "How many were new"), ...problems() },
      }),
      async (c) => c.json({ marked: await markMatchesSeen(c.get("deps").actions) }, 200),
    );
}
