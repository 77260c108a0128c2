// /api/v1/crawls: discover co-ops through partners' collections.
import { createRoute, z } from "@hono/zod-openapi";
import { getCrawl, listCrawls, startCrawl } from "../actions/crawls.ts";
import { scoped } from "./auth.ts";
import { router } from "./router.ts";
import { IdParam, json, problems } from "./schemas.ts";

const CrawlRequest = z
  .strictObject({
    depth: z.number().int().min(1, "must be at least 1").max(4, "must be at most 4").default(2),
    maxActors: z.number().int().min(1).max(5000, "must be at most 5000").default(500),
    ratePerSecond: z.number().min(0.1).max(50, "must be at most 50").default(10),
  })
  .openapi("CrawlRequest");

const CrawlSchema = z
  .object({
    id: z.string(),
    state: z.enum(["running", "done", "failed", "interrupted"]),
    depth: z.number(),
    maxActors: z.number(),
    visited: z.number(),
    discovered: z.number(),
    skipped: z.number().openapi({ description: "Co-ops that asked not to be discovered" }),
    listings: z.number(),
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("Crawl");

export function crawlRoutes() {
  return router()
    .openapi(
      createRoute({
        method: "post",
        path: "/crawls",
        tags: ["Discovery"],
        summary: "Start a crawl of partners' followers and following, bounded in depth, rate and total",
        ...scoped("write"),
        request: { body: { required: true, content: { "application/json": { schema: CrawlRequest } } } },
        responses: { 202: json(CrawlSchema, "The crawl job; poll it for progress"), ...problems(400) },
      }),
      async (c) => c.json(await startCrawl(c.get("deps").actions, c.req.valid("json")), 202),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/crawls",
        tags: ["Discovery"],
        summary: "Crawls, newest first",
        ...scoped("read"),
        responses: { 200: json(z.object({ items: z.array(CrawlSchema) }), "Crawls"), ...problems() },
      }),
      async (c) => c.json({ items: await listCrawls(c.get("deps").actions) }, 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/crawls/{id}",
        tags: ["Discovery"],
        summary: "A crawl's progress",
        ...scoped("read"),
        request: { params: IdParam },
        responses: { 200: json(CrawlSchema, "The crawl"), ...problems(400, 404) },
      }),
      async (c) => c.json(await getCrawl(c.get("deps").actions, c.req.valid("param").id), 200),
    );
}
