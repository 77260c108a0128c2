// Use cases for discovery by crawling: start a crawl of partners' followers
// and following, and read crawls' progress.
import { getCrawlJob, listCrawlJobs } from "../domain/crawls.ts";
import type { CrawlJobRow } from "../domain/records.ts";
import { type CrawlOptions, startCrawl as startFederatedCrawl } from "../federation/crawl.ts";
import { type ActionContext, federationContext } from "./context.ts";
import { ActionError, type FieldError, invalidInput } from "./errors.ts";

export type { CrawlOptions };

export interface CrawlJson {
  id: string;
  state: CrawlJobRow["state"];
  depth: number;
  maxActors: number;
  visited: number;
  discovered: number;
  skipped: number;
  listings: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

function crawlJson(row: CrawlJobRow): CrawlJson {
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

/** The bounds of a crawl, the same the API documents (src/api/crawls.ts). */
export const CRAWL_BOUNDS = {
  depth: { min: 1, max: 4, default: 2 },
  maxActors: { min: 1, max: 5000, default: 500 },
  ratePerSecond: { min: 0.1, max: 50, default: 10 },
} as const;

function checkOptions(options: CrawlOptions): void {
  const errors: FieldError[] = [];
  for (const field of ["depth", "maxActors", "ratePerSecond"] as const) {
    const value = options[field];
    const { min, max } = CRAWL_BOUNDS[field];
    if (typeof value !== "number" || !Number.isFinite(value)) errors.push({ field, message: "must be a number" });
    else if (field !== "ratePerSecond" && !Number.isInteger(value)) {
      errors.push({ field, message: "must be a whole number" });
    } else if (value < min) errors.push({ field, message: `must be at least ${min}` });
    else if (value > max) errors.push({ field, message: `must be at most ${max}` });
  }
  if (errors.length > 0) throw invalidInput(errors);
}

/** Starts a crawl in the background of this node; its progress is in the job it returns. */
export async function startCrawl(weft: ActionContext, options: CrawlOptions): Promise<CrawlJson> {
  checkOptions(options);
  return crawlJson(await startFederatedCrawl(federationContext(weft), options));
}

/** Crawls, newest first. */
export async function listCrawls(weft: ActionContext): Promise<CrawlJson[]> {
  return (await listCrawlJobs(weft.services.db)).map(crawlJson);
}

export async function getCrawl(weft: ActionContext, id: string): Promise<CrawlJson> {
  const row = await getCrawlJob(weft.services.db, id);
  if (!row) throw new ActionError("not_found", "No such crawl");
  return crawlJson(row);
}
