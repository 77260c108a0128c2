// Shared pieces of the federation benchmarks (listing-latency, fanout,
// ingest, orders, relay-fanout):
//
// - Receivers: many lightweight ActivityPub servers on loopback. Plain
//   node:http servers that answer 202 to any POST without verifying
//   signatures, count deliveries per path (and per activity id), and serve
//   whatever JSON documents they were given on GET (actor documents).
// - Weft nodes in this process on PGlite or PostgreSQL, like
//   test/support/launch.ts's launchNode() but with every queue option
//   (concurrency too), stopped and dropped through the BenchContext.
// - Small helpers: polling, following, a listing to publish, queue depth.

import "../src/temporal.ts";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { createAdaptorServer } from "@hono/node-server";
import { count, eq } from "drizzle-orm";
import { loadConfig } from "../src/config.ts";
import { type Database, type DatabaseSource, openDatabase } from "../src/db/client.ts";
import { migrateDatabase } from "../src/db/migrate.ts";
import type { DrizzleMessageQueueOptions } from "../src/db/queue.ts";
import { following, queueMessages } from "../src/db/schema.ts";
import { createNode } from "../src/node.ts";
import { TestNode } from "../test/support/launch.ts";
import { type BenchContext, benchDatabaseName, benchLogging, sleep } from "./support.ts";

// ------------------------------------------------------------------ receivers

/** One POST a receiver answered. */
export interface Delivery {
  server: number;
  path: string;
  /** performance.now() when the whole body had arrived. */
  at: number;
  /** The activity's `id` and `type`, and its object's `type`, when the body was JSON. */
  id?: string;
  type?: string;
  objectType?: string;
}

export class Receivers {
  readonly servers: Server[];
  readonly ports: number[];
  readonly deliveries: Delivery[] = [];
  /** POSTs per inbox URL (`http://127.0.0.1:port/path`). */
  readonly perInbox = new Map<string, number>();
  /** GET documents by `port path`. */
  readonly #documents = new Map<string, string>();
  readonly #waiters = new Set<(delivery: Delivery) => void>();
  gets = 0;

  constructor(servers: Server[]) {
    this.servers = servers;
    this.ports = servers.map((s) => (s.address() as AddressInfo).port);
  }

  origin(i: number): string {
    return `http://127.0.0.1:${this.ports[i]}`;
  }

  /** Serves `document` as application/activity+json at `url` (on one of these servers). */
  serve(url: string, document: unknown): void {
    const u = new URL(url);
    this.#documents.set(`${u.port} ${u.pathname}`, JSON.stringify(document));
  }

  /** Forgets the deliveries seen so far. */
  reset(): void {
    this.deliveries.length = 0;
    this.perInbox.clear();
  }

  /**
   * Resolves with the arrival time of the `n`th delivery that `match`
   * accepts (counting those already here); rejects after `timeoutMs`.
   */
  waitForCount(match: (delivery: Delivery) => boolean, n: number, timeoutMs: number, what: string): Promise<number> {
    let seen = 0;
    for (const delivery of this.deliveries) {
      if (match(delivery) && ++seen >= n) return Promise.resolve(delivery.at);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (${seen} of ${n})`));
      }, timeoutMs);
      const waiter = (delivery: Delivery) => {
        if (!match(delivery) || ++seen < n) return;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve(delivery.at);
      };
      this.#waiters.add(waiter);
    });
  }

  handle(server: number, request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? "/").split("?")[0]!;
    if (request.method === "GET") {
      this.gets++;
      const document = this.#documents.get(`${this.ports[server]} ${path}`);
      if (document === undefined) {
        response.writeHead(404).end();
      } else {
        response.writeHead(200, { "content-type": "application/activity+json" }).end(document);
      }
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const at = performance.now();
      response.writeHead(202).end();
      const delivery: Delivery = { server, path, at };
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        delivery.id = body.id;
        delivery.type = body.type;
        delivery.objectType = typeof body.object === "object" ? body.object?.type : undefined;
      } catch {
        // Not JSON: counted all the same.
      }
      this.deliveries.push(delivery);
      const inbox = `${this.origin(server)}${path}`;
      this.perInbox.set(inbox, (this.perInbox.get(inbox) ?? 0) + 1);
      for (const waiter of [...this.#waiters]) waiter(delivery);
    });
  }
}

/** Starts `count` receiving servers on 127.0.0.1 (closed at the end through `ctx`). */
export async function startReceivers(ctx: BenchContext, count: number): Promise<Receivers> {
  const servers: Server[] = [];
  ctx.defer(() =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => {}),
  );
  let receivers: Receivers | undefined;
  for (let i = 0; i < count; i++) {
    const index = i;
    const server = createServer({ keepAliveTimeout: 30_000 }, (request, response) =>
      receivers!.handle(index, request, response),
    );
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
  }
  receivers = new Receivers(servers);
  return receivers;
}

// ---------------------------------------------------------------------- nodes

export type Driver = "pglite" | "postgres";

export const DRIVER_LABEL: Record<Driver, string> = { pglite: "PGlite", postgres: "PostgreSQL" };

/**
 * Nodes in the bench process log nothing unless BENCH_LOG sets a level. Configured once per process
 * (benchLogging): configuring LogTape again disposes the previous stderr sink, which ends process.stderr.
 */
export async function quietLogs(): Promise<void> {
  await benchLogging();
}

/**
 * `count` migrated databases: clones of one migrated in-memory PGlite, or
 * PostgreSQL databases made from a migrated template (dropped at the end).
 */
export async function databaseSources(
  ctx: BenchContext,
  driver: Driver,
  count: number,
  adminUrl?: string,
): Promise<DatabaseSource[]> {
  if (driver === "pglite") {
    const template = await PGlite.create();
    try {
      // openDatabase's handle would close the template; only migrate through it.
      await migrateDatabase(await openDatabase({ kind: "pglite-instance", client: template }));
      const sources: DatabaseSource[] = [];
      for (let i = 0; i < count; i++) {
        sources.push({ kind: "pglite-instance", client: (await template.clone()) as PGlite });
      }
      return sources;
    } finally {
      await template.close();
    }
  }
  if (!adminUrl) throw new Error("PostgreSQL needs an admin URL");
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
  for (let i = 0; i < count; i++) {
    const url = await ctx.createPostgresDatabase(adminUrl, `${templateName}_${i}`, templateName);
    sources.push({ kind: "postgres", url });
  }
  return sources;
}

export interface BenchNodeOptions {
  database: DatabaseSource;
  handle?: string;
  env?: Record<string, string>;
  /** All of DrizzleMessageQueue's options; pollIntervalMs 50 as in launchNode(). */
  queue?: DrizzleMessageQueueOptions;
}

let counter = 0;

/**
 * launchNode() of test/support/launch.ts, but passing every queue option
 * (launchNode passes only pollIntervalMs). The node is stopped at the end
 * through `ctx`; stopping it earlier (await node.stop()) is fine too.
 */
/** Rate limits off (0) for benchmark nodes. */
export const BENCH_NO_RATE_LIMITS = {
  WEFT_RATE_LIMIT_API: "0",
  WEFT_RATE_LIMIT_INBOX: "0",
  WEFT_RATE_LIMIT_INBOX_SERVER: "0",
};

export async function launchBenchNode(ctx: BenchContext, options: BenchNodeOptions): Promise<TestNode> {
  let node: Awaited<ReturnType<typeof createNode>> | undefined;
  const server = createAdaptorServer({
    fetch: (request: Request) => (node ? node.app.fetch(request) : new Response("starting", { status: 503 })),
  }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const config = loadConfig({
    PORT: String(port),
    WEFT_ORIGIN: `http://127.0.0.1:${port}`,
    WEFT_HANDLE: options.handle ?? "coop",
    WEFT_NAME: `Bench co-op ${++counter}`,
    WEFT_DATA_DIR: "/nonexistent/weft-bench",
    WEFT_SECRET: `bench-secret-${port}-${Math.random().toString(36).slice(2)}-padding-to-32`,
    // A benchmark floods one node from one address on purpose: measure the node, not its rate limits.
    ...BENCH_NO_RATE_LIMITS,
    ...options.env,
  });
  const queue = { pollIntervalMs: 50, ...options.queue };
  try {
    node = await createNode(config, { database: options.database, queue });
  } catch (error) {
    server.close();
    throw error;
  }
  const testNode = new TestNode(server, config, node, options.database, async () => {}, queue);
  let stopped: Promise<void> | undefined;
  const stop = testNode.stop.bind(testNode);
  testNode.stop = () => (stopped ??= stop());
  ctx.defer(() => testNode.stop());
  return testNode;
}

// -------------------------------------------------------------------- helpers

/** Polls `check` every `intervalMs` until it is true; returns performance.now() of that moment. */
export async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  { intervalMs = 2, timeoutMs = 15_000 }: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return performance.now();
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * The messages a node's queue handled, as its `onHandled` option reports
 * them: waiting on these is cheaper than polling the node's tables, which on
 * PGlite run in the same thread as the node's own queries.
 */
export class HandledSignal {
  #waiters: (() => void)[] = [];

  readonly notify = (): void => {
    for (const wake of this.#waiters.splice(0)) wake();
  };

  /** Resolves on the next handled message, or after `fallbackMs` (work done outside the queue). */
  next(fallbackMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(wake, fallbackMs);
      function wake() {
        clearTimeout(timer);
        resolve();
      }
      this.#waiters.push(wake);
    });
  }
}

/** Like until(), but checks after each message `signal`'s node handled instead of every few ms. */
export async function untilHandled(
  signal: HandledSignal,
  check: () => Promise<boolean>,
  what: string,
  { fallbackMs = 50, timeoutMs = 15_000 }: { fallbackMs?: number; timeoutMs?: number } = {},
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    // Listen before looking, so that a message handled during the check is not missed.
    const handled = signal.next(fallbackMs);
    if (await check()) return performance.now();
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await handled;
  }
}

export async function queueDepth(db: Database): Promise<number> {
  return Number((await db.select({ n: count() }).from(queueMessages))[0]!.n);
}

export async function queuesEmpty(...nodes: TestNode[]): Promise<void> {
  await until(
    async () => (await Promise.all(nodes.map((n) => queueDepth(n.db)))).every((n) => n === 0),
    "empty queues",
    {
      intervalMs: 10,
      timeoutMs: 60_000,
    },
  );
}

/** `follower` follows `followed` through the API and waits until it is accepted. */
export async function followAccepted(follower: TestNode, followed: TestNode): Promise<void> {
  const sent = await follower.api("POST", "/following", { handle: followed.account });
  if (sent.status !== 202) throw new Error(`POST /following answered ${sent.status}: ${JSON.stringify(sent.body)}`);
  const id = sent.body.id as string;
  await until(
    async () => {
      const [row] = await follower.db.select({ state: following.state }).from(following).where(eq(following.id, id));
      return row?.state === "accepted";
    },
    "the follow to be accepted",
    { intervalMs: 10 },
  );
}

/** A public offer (as test/support/orders.ts's jersey), with a title of the caller's. */
export function offer(title: string, overrides: Record<string, unknown> = {}) {
  return {
    kind: "offer",
    title,
    description: "Soft **organic** jersey, 180 gsm.",
    category: "textile/fabric/knit",
    quantity: { amount: "500", unit: "MTR" },
    minimumOrder: { amount: "50", unit: "MTR" },
    price: { amount: "7.40", currency: "USD", per: "MTR" },
    region: "US-NC",
    visibility: "public",
    ...overrides,
  };
}

/** POST /api/v1/listings; throws unless 201. Returns the listing's IRI. */
export async function publish(node: TestNode, listing: Record<string, unknown>): Promise<string> {
  const created = await node.api("POST", "/listings", listing);
  if (created.status !== 201)
    throw new Error(`POST /listings answered ${created.status}: ${JSON.stringify(created.body)}`);
  return created.body.iri as string;
}

/** CPU time of this process (all threads, the loopback servers and PGlite included), in ms. */
export function cpuMs(since?: NodeJS.CpuUsage): number {
  const usage = process.cpuUsage(since);
  return (usage.user + usage.system) / 1000;
}
