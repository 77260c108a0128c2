// Listing latency on loopback: a listing published on node A (POST
// /api/v1/listings) until it is in follower B's listings table, polled
// directly through B's database every 2 ms. Two real nodes in this process,
// on PGlite (clones of one migrated in-memory instance) and, when a server
// answers, on PostgreSQL.
//
// Between iterations both queues are let run empty, so the Note twin of the
// previous listing (sent after the Proposal, same ordering key) never
// overlaps the next measurement. A hook on enqueueMany times when A queued
// the delivery and when B's inbox queued it, to split the latency.

import { eq } from "drizzle-orm";
import { listings } from "../src/db/schema.ts";
import type { TestNode } from "../test/support/launch.ts";
import {
  DRIVER_LABEL,
  type Driver,
  databaseSources,
  followAccepted,
  launchBenchNode,
  offer,
  publish,
  queuesEmpty,
  quietLogs,
  until,
} from "./receivers.ts";
import { type BenchContext, type Benchmark, type Figure, median, percentile } from "./support.ts";

const ITERATIONS = Number(process.env.BENCH_LISTING_ITERATIONS ?? 50);
const WARMUP = 3;
const POLL_MS = 2;
const TARGET_P50_MS = 300;

interface Sample {
  latency: number;
  post: number;
  /** Start → A queued the delivery; → B's inbox queued it; → seen in B's table. */
  outboxQueued?: number;
  inboxQueued?: number;
}

/** When `node`'s queue took a message of `type` (outbox, fanout, inbox), newest wins. */
function recordEnqueues(node: TestNode, marks: Map<string, number>): void {
  const queue = node.node.queue;
  const enqueueMany = queue.enqueueMany;
  queue.enqueueMany = async (messages, options) => {
    await enqueueMany(messages, options);
    const t = performance.now();
    for (const message of messages) {
      const type = (message as { type: string }).type;
      if (!marks.has(type)) marks.set(type, t);
    }
  };
}

async function iteration(
  a: TestNode,
  b: TestNode,
  n: number,
  marksA: Map<string, number>,
  marksB: Map<string, number>,
) {
  marksA.clear();
  marksB.clear();
  const start = performance.now();
  const iri = await publish(a, offer(`Latency probe ${n}`));
  const post = performance.now() - start;
  const seen = await until(
    async () => (await b.db.select({ id: listings.id }).from(listings).where(eq(listings.iri, iri))).length > 0,
    `listing ${n} on B`,
    { intervalMs: POLL_MS },
  );
  const sample: Sample = { latency: seen - start, post };
  const outbox = marksA.get("outbox");
  const inbox = marksB.get("inbox");
  if (outbox !== undefined) sample.outboxQueued = outbox - start;
  if (inbox !== undefined) sample.inboxQueued = inbox - start;
  await queuesEmpty(a, b);
  return sample;
}

async function runDriver(ctx: BenchContext, driver: Driver, adminUrl?: string): Promise<Figure[]> {
  const [sourceA, sourceB] = await databaseSources(ctx, driver, 2, adminUrl);
  const a = await launchBenchNode(ctx, { database: sourceA!, handle: "a" });
  const b = await launchBenchNode(ctx, { database: sourceB!, handle: "b" });
  try {
    await followAccepted(b, a);
    await queuesEmpty(a, b);
    const marksA = new Map<string, number>();
    const marksB = new Map<string, number>();
    recordEnqueues(a, marksA);
    recordEnqueues(b, marksB);
    const first = await iteration(a, b, 0, marksA, marksB);
    for (let i = 1; i < WARMUP; i++) await iteration(a, b, i, marksA, marksB);
    const samples: Sample[] = [];
    for (let i = 0; i < ITERATIONS; i++) samples.push(await iteration(a, b, WARMUP + i, marksA, marksB));

    const latencies = samples.map((s) => s.latency);
    const label = DRIVER_LABEL[driver];
    const p = (name: string) => `${label}: ${name}`;
    const phase = (pick: (s: Sample) => number | undefined) =>
      median(samples.flatMap((s) => (pick(s) === undefined ? [] : [pick(s)!])));
    return [
      {
        name: p("publish → in follower's table p50"),
        value: percentile(latencies, 50),
        unit: "ms",
        target: TARGET_P50_MS,
        note: `${ITERATIONS} listings after ${WARMUP} warm-ups; B's table polled every ${POLL_MS} ms`,
      },
      {
        name: p("1. POST → delivery queued on A"),
        value: phase((s) => s.outboxQueued),
        unit: "ms",
        part: true,
        note: "A: insert, outbox record, proof + LD signature, queue",
      },
      {
        name: p("2. → queued in B's inbox"),
        value: phase((s) =>
          s.inboxQueued === undefined || s.outboxQueued === undefined ? undefined : s.inboxQueued - s.outboxQueued,
        ),
        unit: "ms",
        part: true,
        note: "A's worker: HTTP signature, POST; B: verify LD signature, queue",
      },
      {
        name: p("3. → row in B's table"),
        value: phase((s) => (s.inboxQueued === undefined ? undefined : s.latency - s.inboxQueued)),
        unit: "ms",
        part: true,
        note: `B's worker: parse, store, matches; our ${POLL_MS} ms poll`,
      },
      { name: p("publish → in follower's table p90"), value: percentile(latencies, 90), unit: "ms" },
      { name: p("publish → in follower's table p99"), value: percentile(latencies, 99), unit: "ms" },
      { name: p("first listing (cold)"), value: first.latency, unit: "ms" },
      { name: p("POST /listings → 201, median"), value: median(samples.map((s) => s.post)), unit: "ms" },
    ];
  } finally {
    // Stop this driver's nodes now, so their workers do not run during the next one.
    await Promise.all([a.stop(), b.stop()]);
  }
}

export const listingLatency: Benchmark = {
  name: "listing-latency",
  description: `listing published on A → in follower B's table, ${ITERATIONS} listings, PGlite and PostgreSQL`,
  async run(ctx) {
    await quietLogs();
    const figures = await runDriver(ctx, "pglite");
    const adminUrl = await ctx.postgresUrl();
    if (adminUrl) figures.push(...(await runDriver(ctx, "postgres", adminUrl)));
    else
      figures.push({
        name: "PostgreSQL: publish → in follower's table p50",
        value: Number.NaN,
        unit: "ms",
        note: "skipped: no PostgreSQL",
      });
    return figures;
  },
};
