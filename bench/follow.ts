// Follow round trip on loopback: node B follows node A (POST
// /api/v1/following) until B's `following` row is accepted, i.e. A's Accept
// came back and was processed. Two real nodes in this process, on PGlite
// (clones of one migrated in-memory instance) and, when a server answers,
// on PostgreSQL (databases made from a migrated template).
//
// The end is seen by polling B's `following` row every millisecond, but only
// from the moment A's Accept entered B's queue (a hook on enqueueMany, which
// also times the phases): polling all along would compete with the nodes
// for PGlite and the CPU. Between iterations B unfollows (DELETE
// /api/v1/following/{id}) and we wait until A has dropped the follower and
// both queues are empty.

import "../src/temporal.ts";
import { PGlite } from "@electric-sql/pglite";
import { count, eq } from "drizzle-orm";
import { type Database, type DatabaseSource, openDatabase } from "../src/db/client.ts";
import { migrateDatabase } from "../src/db/migrate.ts";
import { followers, following, queueMessages } from "../src/db/schema.ts";
import { launchNode, type TestNode } from "../test/support/launch.ts";
import { BENCH_NO_RATE_LIMITS } from "./receivers.ts";
import {
  type BenchContext,
  type Benchmark,
  benchDatabaseName,
  benchLogging,
  type Figure,
  median,
  percentile,
  sleep,
} from "./support.ts";

const ITERATIONS = Number(process.env.BENCH_FOLLOW_ITERATIONS ?? 50);
const WARMUP = 3;
const POLL_MS = 1;
const TIMEOUT_MS = 15_000;
const TARGET_P50_MS = 150;

type Driver = "pglite" | "postgres";

async function pgliteSources(): Promise<DatabaseSource[]> {
  const template = await PGlite.create();
  try {
    // openDatabase's handle would close the template; only migrate through it.
    await migrateDatabase(await openDatabase({ kind: "pglite-instance", client: template }));
    const a = (await template.clone()) as PGlite;
    const b = (await template.clone()) as PGlite;
    return [
      { kind: "pglite-instance", client: a },
      { kind: "pglite-instance", client: b },
    ];
  } finally {
    await template.close();
  }
}

async function postgresSources(ctx: BenchContext, adminUrl: string): Promise<DatabaseSource[]> {
  const templateName = benchDatabaseName("tpl");
  const handle = await openDatabase({
    kind: "postgres",
    url: await ctx.createPostgresDatabase(adminUrl, templateName),
  });
  try {
    await migrateDatabase(handle);
  } finally {
    await handle.close();
  }
  const sources: DatabaseSource[] = [];
  for (const suffix of ["a", "b"]) {
    const url = await ctx.createPostgresDatabase(adminUrl, `${templateName}_${suffix}`, templateName);
    sources.push({ kind: "postgres", url });
  }
  return sources;
}

/** Polls `check` every `intervalMs` until it is true; returns when that was seen. */
async function until(check: () => Promise<boolean>, what: string, intervalMs = POLL_MS): Promise<number> {
  const deadline = performance.now() + TIMEOUT_MS;
  for (;;) {
    if (await check()) return performance.now();
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

const queueEmpty = async (db: Database) => (await db.select({ n: count() }).from(queueMessages))[0]!.n === 0;

interface QueueEvent {
  t: number;
  node: "A" | "B";
  type: string;
}

/**
 * When each node's queue took a message (after its INSERT, when the worker
 * is woken). Waiting for these costs nothing, unlike polling the database,
 * which competes with the nodes for the same PGlite instance and CPU.
 */
class QueueEvents {
  readonly events: QueueEvent[] = [];
  readonly #waiters = new Set<() => void>();

  record(node: TestNode, label: "A" | "B"): void {
    const queue = node.node.queue;
    const enqueueMany = queue.enqueueMany;
    queue.enqueueMany = async (messages, options) => {
      await enqueueMany(messages, options);
      const t = performance.now();
      for (const message of messages) this.events.push({ t, node: label, type: (message as { type: string }).type });
      for (const wake of this.#waiters) wake();
    };
  }

  find(node: "A" | "B", type: string, before = Number.POSITIVE_INFINITY): number | undefined {
    return this.events.find((e) => e.node === node && e.type === type && e.t <= before)?.t;
  }

  async waitFor(node: "A" | "B", type: string, what: string): Promise<void> {
    const deadline = performance.now() + TIMEOUT_MS;
    while (this.find(node, type) === undefined) {
      if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, 100);
        this.#waiters.add(done);
      });
    }
  }
}

interface Sample {
  roundTrip: number;
  post: number;
  unfollow: number;
  /** B's outbox Follow enqueued, A's inbox Follow enqueued, A's outbox Accept enqueued, B's inbox Accept enqueued. */
  marks: (number | undefined)[];
  start: number;
  accepted: number;
}

async function iteration(a: TestNode, b: TestNode, queues: QueueEvents): Promise<Sample> {
  queues.events.length = 0;
  const start = performance.now();
  const sent = await b.api("POST", "/following", { handle: a.account });
  const post = performance.now() - start;
  if (sent.status !== 202) throw new Error(`POST /following answered ${sent.status}: ${JSON.stringify(sent.body)}`);
  const id = sent.body.id as string;
  // Poll B's row only once A's answer is in B's inbox queue: no polling load before.
  await queues.waitFor("B", "inbox", "the Accept in B's inbox");
  const accepted = await until(async () => {
    const [row] = await b.db.select({ state: following.state }).from(following).where(eq(following.id, id));
    if (row?.state === "rejected") throw new Error("The follow was rejected");
    return row?.state === "accepted";
  }, "the Accept");
  const marks = [
    queues.find("B", "outbox", accepted),
    queues.find("A", "inbox", accepted),
    queues.find("A", "outbox", accepted),
    queues.find("B", "inbox", accepted),
  ];

  queues.events.length = 0;
  const undoStart = performance.now();
  const removed = await b.api("DELETE", `/following/${id}`);
  if (removed.status !== 204) throw new Error(`DELETE /following answered ${removed.status}`);
  await queues.waitFor("A", "inbox", "the Undo in A's inbox");
  const gone = await until(
    async () => (await a.db.select({ n: count() }).from(followers))[0]!.n === 0,
    "the Undo on A",
  );
  // Nothing left over for the next iteration.
  await until(async () => (await queueEmpty(a.db)) && (await queueEmpty(b.db)), "empty queues", 5);
  return { roundTrip: accepted - start, post, unfollow: gone - undoStart, marks, start, accepted };
}

async function dbRoundTrip(db: Database): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    await db.select({ n: count() }).from(following).where(eq(following.state, "accepted"));
    times.push(performance.now() - start);
  }
  return median(times);
}

async function runDriver(ctx: BenchContext, driver: Driver, sources: DatabaseSource[]): Promise<Figure[]> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const [a, b] = await Promise.all(
      sources.map(async (database, i) => {
        const node = await launchNode({ database, handle: i === 0 ? "a" : "b", env: BENCH_NO_RATE_LIMITS });
        let stopped: Promise<void> | undefined;
        const stop = () => (stopped ??= node.stop());
        stops.push(stop);
        ctx.defer(stop);
        return node;
      }),
    );
    return await measureDriver(driver, a!, b!);
  } finally {
    // Stop this driver's nodes now, so their workers do not run during the next one.
    await Promise.all(stops.map((stop) => stop()));
  }
}

async function measureDriver(driver: Driver, a: TestNode, b: TestNode): Promise<Figure[]> {
  const queues = new QueueEvents();
  queues.record(a, "A");
  queues.record(b, "B");

  const first = await iteration(a, b, queues);
  for (let i = 1; i < WARMUP; i++) await iteration(a, b, queues);
  const samples: Sample[] = [];
  for (let i = 0; i < ITERATIONS; i++) samples.push(await iteration(a, b, queues));

  const roundTrips = samples.map((s) => s.roundTrip);
  const phase = (from: number | "start", to: number | "accepted") =>
    median(
      samples.flatMap((s) => {
        const t0 = from === "start" ? s.start : s.marks[from];
        const t1 = to === "accepted" ? s.accepted : s.marks[to];
        return t0 === undefined || t1 === undefined ? [] : [t1 - t0];
      }),
    );
  const p = (name: string) => `${driver}: ${name}`;
  const part = (name: string, value: number, note: string): Figure => ({
    name: p(name),
    value,
    unit: "ms",
    note,
    part: true,
  });
  return [
    { name: p("round trip p50"), value: percentile(roundTrips, 50), unit: "ms", target: TARGET_P50_MS },
    part("1. POST → Follow queued on B", phase("start", 0), "B: WebFinger, A's actor (cached), DB, sign the Follow"),
    part("2. → Follow queued in A's inbox", phase(0, 1), "B's worker: HTTP-sign, POST; A: verify signatures"),
    part("3. → Accept queued on A", phase(1, 2), "A's worker: onFollow: GET B's actor, DB, sign the Accept"),
    part("4. → Accept queued in B's inbox", phase(2, 3), "A's worker: HTTP-sign, POST; B: verify signatures"),
    part("5. → accepted seen in B's DB", phase(3, "accepted"), `B's worker: onAccept; our ${POLL_MS} ms poll`),
    { name: p("round trip p90"), value: percentile(roundTrips, 90), unit: "ms" },
    { name: p("round trip p99"), value: percentile(roundTrips, 99), unit: "ms" },
    { name: p("first round trip (cold)"), value: first.roundTrip, unit: "ms" },
    { name: p("POST /following → 202, median"), value: median(samples.map((s) => s.post)), unit: "ms" },
    { name: p("unfollow → follower gone on A, median"), value: median(samples.map((s) => s.unfollow)), unit: "ms" },
    { name: p("one small query, median"), value: await dbRoundTrip(b.db), unit: "ms" },
  ];
}

export const follow: Benchmark = {
  name: "follow",
  description: `follow round trip between two in-process nodes, ${ITERATIONS} iterations after ${WARMUP} warm-ups`,
  async run(ctx) {
    await benchLogging();
    const figures = await runDriver(ctx, "pglite", await pgliteSources());
    const adminUrl = await ctx.postgresUrl();
    if (adminUrl) {
      figures.push(...(await runDriver(ctx, "postgres", await postgresSources(ctx, adminUrl))));
    } else {
      figures.push({ name: "postgres: round trip p50", value: Number.NaN, unit: "ms", note: "skipped: no PostgreSQL" });
    }
    return figures;
  },
};
