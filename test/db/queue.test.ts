import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterEach, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.ts";
import { DrizzleMessageQueue } from "../../src/db/queue.ts";
import { queueMessages } from "../../src/db/schema.ts";
import { createTestDatabase, testDriver } from "../support/databases.ts";
import { eventually } from "../support/network.ts";

const open: { handle: DatabaseHandle; drop: () => Promise<void> }[] = [];
const listeners: { stop: AbortController; done: Promise<void> }[] = [];

async function database() {
  const created = await createTestDatabase();
  const handle = await openDatabase(created.source);
  open.push({ handle, drop: created.drop });
  return handle;
}

function listen(queue: DrizzleMessageQueue, handler: (message: any) => Promise<void> | void) {
  const stop = new AbortController();
  const done = queue.listen(handler, { signal: stop.signal });
  listeners.push({ stop, done });
  return {
    stop: async () => {
      stop.abort();
      await done;
    },
  };
}

afterEach(async () => {
  const stopping = listeners.splice(0);
  for (const l of stopping) l.stop.abort();
  await Promise.all(stopping.map((l) => l.done));
  for (const { handle, drop } of open.splice(0)) {
    await handle.close();
    await drop();
  }
});

describe("DrizzleMessageQueue", () => {
  it("delivers each message and removes it once handled", async () => {
    const { db } = await database();
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 20 });
    const seen: number[] = [];
    listen(queue, (m) => void seen.push(m.n));
    await queue.enqueue({ n: 1 });
    await queue.enqueueMany([{ n: 2 }, { n: 3 }]);
    await eventually(() => seen.length === 3);
    expect(seen.sort()).toEqual([1, 2, 3]);
    await eventually(async () => (await db.select().from(queueMessages)).length === 0);
  });

  it("reports each message handled, once it is removed, and not the ones that failed", async () => {
    const { db } = await database();
    const remaining: number[] = [];
    const queue = new DrizzleMessageQueue(db, {
      pollIntervalMs: 20,
      retryDelayMs: 60_000,
      onHandled: () => {
        // Called after the row is gone: count what is left at that moment.
        void db
          .select()
          .from(queueMessages)
          .then((rows) => remaining.push(rows.length));
      },
    });
    listen(queue, (m) => {
      if (m.fail) throw new Error("refused");
    });
    await queue.enqueueMany([{ n: 1 }, { n: 2 }, { fail: true }]);
    await eventually(() => remaining.length === 2);
    await queue.idle();
    expect(remaining).toHaveLength(2);
    // The failed one waits for its retry.
    expect(Math.min(...remaining)).toBe(1);
  });

  it("honours delays", async () => {
    const { db } = await database();
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 20 });
    const at: number[] = [];
    listen(queue, () => void at.push(Date.now()));
    const start = Date.now();
    await queue.enqueue({}, { delay: Temporal.Duration.from({ milliseconds: 400 }) });
    await eventually(() => at.length === 1);
    expect(at[0]! - start).toBeGreaterThanOrEqual(380);
  });

  it("handles messages with one orderingKey one at a time, in order", async () => {
    const { db } = await database();
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 10, concurrency: 8 });
    const log: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    listen(queue, async (m) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      log.push(`start ${m.n}`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`end ${m.n}`);
      inFlight--;
    });
    for (let n = 0; n < 10; n++) await queue.enqueue({ n }, { orderingKey: "listing-1" });
    await eventually(() => log.length === 20);
    expect(maxInFlight).toBe(1);
    expect(log.filter((l) => l.startsWith("start")).map((l) => Number(l.split(" ")[1]))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it("without waiting for a poll, runs the next message of an ordering key and messages that waited for room", async () => {
    const { db } = await database();
    // A poll would come only after the test has timed out: the worker must look again by itself.
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 600_000, concurrency: 2 });
    const seen: string[] = [];
    listen(queue, async (m) => {
      await new Promise((r) => setTimeout(r, 10));
      seen.push(m.name);
    });
    await queue.enqueue({ name: "poller" }); // the worker is asleep once this is done
    await eventually(() => seen.length === 1);
    for (const n of [1, 2, 3]) await queue.enqueue({ name: `keyed ${n}` }, { orderingKey: "order-1" });
    await eventually(() => seen.length === 4);
    expect(seen.slice(1)).toEqual(["keyed 1", "keyed 2", "keyed 3"]);
    await queue.enqueueMany(["a", "b", "c", "d", "e"].map((name) => ({ name })));
    await eventually(() => seen.length === 9);
  });

  it("hands a message enqueued in this process to its listener at once when it has room, else queues it", async () => {
    const { db } = await database();
    // No poll and no claim needed: the first message is inserted already claimed by the worker.
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 600_000, concurrency: 1 });
    let claims = 0;
    const execute = db.execute.bind(db);
    db.execute = ((query: SQL) => {
      if (new PgDialect().sqlToQuery(query).sql.includes("UPDATE queue_messages")) claims++;
      return execute(query);
    }) as typeof db.execute;
    const release: (() => void)[] = [];
    const seen: string[] = [];
    listen(queue, async (m) => {
      seen.push(`start ${m.name}`);
      await new Promise<void>((r) => release.push(r));
      seen.push(`end ${m.name}`);
    });
    await eventually(() => claims > 0); // the listener is up: it looked once, found nothing, and sleeps
    const claimsBefore = claims;
    await queue.enqueue({ name: "first" });
    await eventually(() => seen.includes("start first"));
    expect(claims).toBe(claimsBefore);
    const [first] = await db.select().from(queueMessages);
    expect(first).toMatchObject({ message: { name: "first" }, attempts: 1 });
    expect(first?.lockedBy).not.toBeNull();
    // No room left (concurrency 1): the second waits in the table, unclaimed, until the first is done.
    await queue.enqueue({ name: "second" });
    const second = (await db.select().from(queueMessages)).find((row) => row.id !== first?.id);
    expect(second).toMatchObject({ message: { name: "second" }, lockedBy: null, attempts: 0 });
    release.shift()?.();
    await eventually(() => release.length === 1);
    release.shift()?.();
    await eventually(() => seen.length === 4);
    expect(seen).toEqual(["start first", "end first", "start second", "end second"]);
    await eventually(async () => (await db.select().from(queueMessages)).length === 0);
  });

  it("keeps messages across a restart: a new queue on the same database handles them", async () => {
    const { db } = await database();
    await new DrizzleMessageQueue(db).enqueue({ survived: true });
    const seen: unknown[] = [];
    listen(new DrizzleMessageQueue(db, { pollIntervalMs: 20 }), (m) => void seen.push(m));
    await eventually(() => seen.length === 1);
    expect(seen).toEqual([{ survived: true }]);
  });

  it("gives a crashed worker's message to another worker when its lease lapses", async () => {
    const { db } = await database();
    await db.insert(queueMessages).values({
      message: { orphan: true },
      lockedBy: "a worker that died",
      lockedUntil: new Date(Date.now() - 1000),
    });
    const seen: unknown[] = [];
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 20 });
    listen(queue, (m) => void seen.push(m));
    await eventually(() => seen.length === 1);
    await queue.idle();
    expect(seen).toEqual([{ orphan: true }]);
    expect(await db.select().from(queueMessages)).toEqual([]);
  });

  it("retries a failed handler with backoff, then drops the message after maxAttempts", async () => {
    const { db } = await database();
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 10, retryDelayMs: 20, maxAttempts: 3 });
    let calls = 0;
    listen(queue, () => {
      calls++;
      throw new Error("remote down");
    });
    await queue.enqueue({ doomed: true });
    await eventually(() => calls === 3);
    await eventually(async () => (await db.select().from(queueMessages)).length === 0);
    await queue.idle();
    expect(calls).toBe(3);
  });

  it("never hands one message to two workers", async () => {
    const first = await database();
    // On PostgreSQL the second worker has its own connection pool, as a
    // second process would; PGlite is single-connection by nature.
    const second =
      testDriver() === "postgres" ? await openDatabase({ kind: "postgres", url: first.url as string }) : first;
    if (second !== first) open.push({ handle: second, drop: async () => {} });
    const handled = new Map<number, number>();
    const count = (m: { n: number }) => void handled.set(m.n, (handled.get(m.n) ?? 0) + 1);
    const q1 = new DrizzleMessageQueue(first.db, { pollIntervalMs: 5, concurrency: 4 });
    const q2 = new DrizzleMessageQueue(second.db, { pollIntervalMs: 5, concurrency: 4 });
    listen(q1, count);
    listen(q2, count);
    await q1.enqueueMany(Array.from({ length: 200 }, (_, n) => ({ n })));
    await eventually(() => handled.size === 200);
    await Promise.all([q1.idle(), q2.idle()]);
    expect([...handled.values()].every((times) => times === 1)).toBe(true);
  });

  it("hands unfinished work back on shutdown", async () => {
    const { db } = await database();
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 10 });
    let started = false;
    const worker = listen(queue, async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 60_000));
    });
    await queue.enqueue({ slow: true });
    await eventually(() => started);
    const stopping = worker.stop();
    await stopping;
    const [row] = await db.select().from(queueMessages);
    expect(row).toMatchObject({ message: { slow: true }, lockedBy: null, lockedUntil: null });
  });

  it("idle() waits for handlers running and messages ready, not for delayed ones", async () => {
    const { db } = await database();
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 10 });
    let resolved = false;
    const track = (p: Promise<void>) =>
      p.then(() => {
        resolved = true;
      });
    // Ready but nobody listening: not idle.
    await queue.enqueue({ n: 1 });
    const waitingForListener = track(queue.idle());
    await db.select().from(queueMessages);
    await db.select().from(queueMessages);
    expect(resolved).toBe(false);
    // A listener whose handler is held: still not idle while it runs.
    const release: (() => void)[] = [];
    let started = 0;
    listen(queue, async () => {
      started++;
      await new Promise<void>((r) => release.push(r));
    });
    await eventually(() => started === 1);
    await db.select().from(queueMessages);
    expect(resolved).toBe(false);
    release.shift()?.();
    await waitingForListener;
    expect(await db.select().from(queueMessages)).toEqual([]);
    // A delayed message does not keep the queue busy.
    await queue.enqueue({ later: true }, { delay: Temporal.Duration.from({ hours: 1 }) });
    await queue.idle();
    expect(started).toBe(1);
    expect(await db.select().from(queueMessages)).toHaveLength(1);
    // Work that starts and ends between two looks is seen in activity.
    const before = queue.activity;
    await queue.enqueue({ n: 2 });
    await eventually(() => started === 2);
    release.shift()?.();
    await queue.idle();
    expect(queue.activity).toBeGreaterThan(before);
    expect(await db.select().from(queueMessages)).toHaveLength(1);
  });
});
