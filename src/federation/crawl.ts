// Crawling: discover co-ops through our partners' followers and following
// collections, breadth first, bounded in depth, rate and total, and fetch
// each discovered co-op's public listings without following it. Actors that
// say `discoverable: false` are neither stored nor crawled further.
import { setTimeout } from "node:timers/promises";
import type { DocumentLoader } from "@fedify/fedify";
import { type Actor, Collection, isActor, OrderedCollection, Proposal } from "@fedify/vocab";
import { actorIri } from "../domain/actor.ts";
import { bumpCrawlCounter, type CrawlCounter, createCrawlJob, finishCrawlJob } from "../domain/crawls.ts";
import { acceptedFollowing, listFollowers } from "../domain/follows.ts";
import type { CrawlJobRow } from "../domain/records.ts";
import { logger } from "../logging.ts";
import type { WeftContext } from "./context.ts";
import { receiveProposal, visibilityOf } from "./inbox/listing.ts";
import { rememberActor } from "./remote-actor.ts";

const log = logger("federation", "crawl");
/** Items read from one followers/following collection. */
const MAX_COLLECTION_ITEMS = 200;
const MAX_LISTINGS_PER_COOP = 500;

export interface CrawlOptions {
  depth: number;
  maxActors: number;
  /** Fetches per second at most, so a crawl never floods a partner's server. */
  ratePerSecond: number;
}

export async function startCrawl(ctx: WeftContext, options: CrawlOptions): Promise<CrawlJobRow> {
  const row = await createCrawlJob(ctx.data.db, options);
  // Runs in the background of the node (stopped when it closes); progress is in the row.
  ctx.data.background.run(`Crawl ${row.id}`, async (signal) => {
    try {
      await runCrawl(ctx, row.id, options, signal);
    } catch (error) {
      if (signal.aborted) {
        log.info("Crawl {id} interrupted: the node is closing", { id: row.id });
        await finishCrawlJob(ctx.data.db, row.id, "interrupted");
        return;
      }
      log.error("Crawl {id} failed: {error}", { id: row.id, error });
      await finishCrawlJob(ctx.data.db, row.id, "failed", String(error)).catch(() => {});
    }
  });
  return row;
}

async function runCrawl(ctx: WeftContext, jobId: string, options: CrawlOptions, signal: AbortSignal): Promise<void> {
  const { db } = ctx.data;
  const documentLoader = await ctx.getDocumentLoader({ identifier: ctx.data.config.handle });
  const me = actorIri(ctx.data.config);
  const minGapMs = 1000 / options.ratePerSecond;
  let lastFetch = 0;
  // Every fetch waits its turn here, which is also where a closing node stops the crawl.
  const pace = async () => {
    signal.throwIfAborted();
    const wait = lastFetch + minGapMs - Date.now();
    if (wait > 0) await setTimeout(wait, undefined, { signal });
    lastFetch = Date.now();
  };
  const bump = (column: CrawlCounter, by = 1) => bumpCrawlCounter(db, jobId, column, by);

  const partners = [
    ...(await acceptedFollowing(db)).map((a) => a.iri),
    ...(await listFollowers(db, { state: "accepted" })).map((f) => f.actor.iri),
  ];
  const seen = new Set<string>([me, ...partners]);
  let frontier = [...new Set(partners)];
  let discovered = 0;
  for (let level = 0; level < options.depth && frontier.length > 0; level++) {
    const next: string[] = [];
    for (const iri of frontier) {
      if (discovered >= options.maxActors) break;
      await pace();
      const actor = await ctx.lookupObject(iri, { documentLoader }).catch(() => null);
      await bump("visited");
      if (!isActor(actor) || actor.discoverable === false) continue;
      for (const collection of [actor.followersId, actor.followingId]) {
        if (!collection || discovered >= options.maxActors) continue;
        await pace();
        const object = await ctx.lookupObject(collection, { documentLoader }).catch(() => null);
        if (!(object instanceof Collection || object instanceof OrderedCollection)) continue;
        let read = 0;
        for await (const item of ctx.traverseCollection(object, { documentLoader, suppressError: true })) {
          if (++read > MAX_COLLECTION_ITEMS || discovered >= options.maxActors) break;
          const found = item.id?.href;
          if (!found || seen.has(found)) continue;
          seen.add(found);
          await pace();
          const candidate = await ctx.lookupObject(found, { documentLoader }).catch(() => null);
          if (!isActor(candidate) || !candidate.id || !candidate.inboxId) continue;
          if (candidate.discoverable === false) {
            await bump("skipped");
            continue;
          }
          await rememberActor(ctx, candidate, "crawl");
          discovered++;
          await bump("discovered");
          await bump("listings", await fetchPublicListings(ctx, candidate, documentLoader, pace));
          next.push(found);
        }
      }
    }
    frontier = next;
  }
  await finishCrawlJob(db, jobId, "done");
  log.info("Crawl {id} done: {discovered} co-ops discovered", { id: jobId, discovered });
}

/** Stores a discovered co-op's public listings (never its private ones). */
async function fetchPublicListings(
  ctx: WeftContext,
  actor: Actor,
  documentLoader: DocumentLoader,
  pace: () => Promise<void>,
): Promise<number> {
  const actorIri = actor.id?.href as string;
  let stored = 0;
  let read = 0;
  for await (const stream of actor.getStreams({ documentLoader })) {
    if (!(stream instanceof OrderedCollection || stream instanceof Collection)) continue;
    if (stream.id?.origin !== new URL(actorIri).origin) continue;
    await pace();
    for await (const item of ctx.traverseCollection(stream, { documentLoader, suppressError: true })) {
      if (++read > MAX_LISTINGS_PER_COOP) break;
      if (!(item instanceof Proposal)) continue;
      if (visibilityOf(item, actor.followersId?.href ?? null).visibility !== "public") continue;
      if ((await receiveProposal(ctx, item, actorIri, "crawl", actor.followersId?.href ?? null)) === "stored") stored++;
    }
  }
  return stored;
}
