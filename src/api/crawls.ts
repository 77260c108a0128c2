// /api/v1/crawls: discover co-ops through partners' collections.
import { createRoute, z } from "@hono/zod-openapi";
import { desc } from "drizzle-orm";
import { type CrawlJobRow, crawlJobs } from "../db/schema.ts";
import { getCrawl, startCrawl } from "../federation/crawl.ts";
import { scoped } from "./auth.ts";
import type { ApiApp, ApiDeps } from "./env.ts";
import { ApiError } from "./problem.ts";
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

function crawlJson(row: CrawlJobRow): z.infer<typeof CrawlSchema> {
  return {
    id: row.id,
    state: row.state,
    depth: row.depth,
    maxActors: row.maxActors,
    visited: row.visited,
    discovered: row.discovered,
    skipped: row.skipped,
    listings: row.listings,
    error: row.error,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

function contextOf(deps: ApiDeps) {
  return deps.federation.createContext(new URL(deps.services.config.origin), deps.services);
}

export function registerCrawlRoutes(api: ApiApp): void {
  api.openapi(
    createRoute({
      method: "post",
      path: "/crawls",
      tags: ["Discovery"],
      summary: "Start a crawl of partners' followers and following, bounded in depth, rate and total",
      ...scoped("write"),
      request: { body: { required: true, content: { "application/json": { schema: CrawlRequest } } } },
      responses: { 202: json(CrawlSchema, "The crawl job; poll it for progress"), ...problems(400) },
    }),
    async (c) => {
      const deps = c.get("deps");
      const row = await startCrawl(contextOf(deps), c.req.valid("json"));
      return c.json(crawlJson(row), 202);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/crawls",
      tags: ["Discovery"],
      summary: "Crawls, newest first",
      ...scoped("read"),
      responses: { 200: json(z.object({ items: z.array(CrawlSchema) }), "Crawls"), ...problems() },
    }),
    async (c) => {
      const rows = await c
        .get("deps")
        .services.db.select()
        .from(crawlJobs)
        .orderBy(desc(crawlJobs.startedAt))
        .limit(50);
      return c.json({ items: rows.map(crawlJson) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/crawls/{id}",
      tags: ["Discovery"],
      summary: "A crawl's progress",
      ...scoped("read"),
      request: { params: IdParam },
      responses: { 200: json(CrawlSchema, "The crawl"), ...problems(400, 404) },
    }),
    async (c) => {
      const deps = c.get("deps");
      const row = await getCrawl(contextOf(deps), c.req.valid("param").id);
      if (!row) throw new ApiError(404, "No such crawl");
      return c.json(crawlJson(row), 200);
    },
  );
}
