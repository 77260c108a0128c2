// Crawl jobs as stored: one row per crawl, its counters bumped as it goes,
// so the API and the pages can show progress while it runs.
import { desc, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { type CrawlJobRow, crawlJobs } from "../db/schema.ts";

export type CrawlCounter = "visited" | "discovered" | "skipped" | "listings";

export async function createCrawlJob(
  db: Database,
  options: { depth: number; maxActors: number },
): Promise<CrawlJobRow> {
  const [job] = await db.insert(crawlJobs).values({ depth: options.depth, maxActors: options.maxActors }).returning();
  return job as CrawlJobRow;
}

export async function bumpCrawlCounter(db: Database, id: string, column: CrawlCounter, by = 1): Promise<void> {
  await db
    .update(crawlJobs)
    .set({ [column]: sql`${crawlJobs[column]} + ${by}` })
    .where(eq(crawlJobs.id, id));
}

/** Ends a crawl: done, failed (with why) or interrupted. */
export async function finishCrawlJob(
  db: Database,
  id: string,
  state: "done" | "failed" | "interrupted",
  error: string | null = null,
): Promise<void> {
  await db.update(crawlJobs).set({ state, error, finishedAt: new Date() }).where(eq(crawlJobs.id, id));
}

/** Crawls cut short by a stop of the node; called at start. */
export async function markInterruptedCrawls(db: Database): Promise<void> {
  await db
    .update(crawlJobs)
    .set({ state: "interrupted", finishedAt: new Date() })
    .where(eq(crawlJobs.state, "running"));
}

export async function getCrawlJob(db: Database, id: string): Promise<CrawlJobRow | undefined> {
  const [row] = await db.select().from(crawlJobs).where(eq(crawlJobs.id, id));
  return row;
}

/** The latest crawls, newest first. */
export async function listCrawlJobs(db: Database, limit = 50): Promise<CrawlJobRow[]> {
  return await db.select().from(crawlJobs).orderBy(desc(crawlJobs.startedAt)).limit(limit);
}
