// Use cases for discovery by crawling: start a crawl of partners' followers
// and following, and read crawls' progress.
import { getCrawlJob, listCrawlJobs } from "../domain/crawls.ts";
import type { CrawlJobRow } from "../domain/records.ts";
import { type CrawlOptions, startCrawl as startFederatedCrawl } from "../federation/crawl.ts";
import { type ActionContext, federationContext } from "./context.ts";
import { ActionError } from "./errors.ts";

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

/** Starts a crawl in the background of this node; its progress is in the job it returns. */
export async function startCrawl(weft: ActionContext, options: CrawlOptions): Promise<CrawlJson> {
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
