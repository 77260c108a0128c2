// The transactional outbox (a change and the messages it queues commit
// together) and fast recovery (a worker takes back a dead process's leases
// at start), on the queue and the database alone.
import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.ts";
import { DrizzleMessageQueue } from "../../src/db/queue.ts";
import { kvEntries, queueMessages, queueWorkers } from "../../src/db/schema.ts";
import { runInTransaction } from "../../src/db/unit-of-work.ts";
import { createTestDatabase } from "../support/databases.ts";
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
  return done;
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

/** The pid of a process that has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid as number;
}

const far = () => new Date(Date.now() + 3_600_000);

describe("transactional outbox", () => {
  it("commits a change and the messages it queued together, and starts them only after the commit", async () => {
    const { db } = await database();
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 60_000 });
    const seen: unknown[] = [];
    let committed = false;
    const seenBeforeCommit: boolean[] = [];
    listen(queue, (m) => {
      seenBeforeCommit.push(!committed);
      seen.push(m);
    });
    await queue.idle();
    await runInTransaction(db, async () => {
      await db.insert(kvEntries).values({ key: ["change", "1"], value: { n: 1 } });
      await queue.enqueue({ n: 1 });
      await queue.enqueue({ n: 2 }, { orderingKey: "k" });
    });
    committed = true;
    // Woken by the commit, not by the (hour-long) poll.
    await eventually(() => seen.length === 2);
    expect(seenBeforeCommit).toEqual([false, false]);
    expect(await db.select().from(kvEntries)).toHaveLength(1);
  });

  it("rolls back the messages with the change", async () => {
    const { db } = await database();
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 20 });
    const seen: unknown[] = [];
    listen(queue, (m) => void seen.push(m));
    await expect(
      runInTransaction(db, async () => {
        await db.insert(kvEntries).values({ key: ["change", "2"], value: { n: 2 } });
        await queue.enqueue({ n: 3 });
        // Nested: joins the same transaction.
        await runInTransaction(db, () => queue.enqueue({ n: 4 }));
        throw new Error("refused after sending");
      }),
    ).rejects.toThrow("refused after sending");
    await queue.enqueue({ after: true });
    await eventually(() => seen.length === 1);
    await queue.idle();
    expect(seen).toEqual([{ after: true }]);
    expect(await db.select().from(kvEntries)).toEqual([]);
    expect(await db.select().from(queueMessages)).toEqual([]);
  });
});

describe("fast recovery", () => {
  it("on a database of its own, takes back every lease at once", async () => {
    const { db } = await database();
    await db.insert(queueMessages).values({ message: { orphan: 1 }, lockedBy: "old", lockedUntil: far() });
    const seen: unknown[] = [];
    listen(new DrizzleMessageQueue(db, { pollIntervalMs: 20, exclusive: true }), (m) => void seen.push(m));
    await eventually(() => seen.length === 1);
    expect(seen).toEqual([{ orphan: 1 }]);
  });

  it("on a shared database, takes back the leases of workers on this host whose process ended, and no others", async () => {
    const { db } = await database();
    const host = hostname();
    const dead = await deadPid();
    await db.insert(queueWorkers).values([
      { id: "dead", hostname: host, pid: dead },
      { id: "alive", hostname: host, pid: process.ppid },
      { id: "elsewhere", hostname: `not-${host}`, pid: dead },
    ]);
    await db.insert(queueMessages).values([
      { message: { of: "dead" }, lockedBy: "dead", lockedUntil: far() },
      { message: { of: "alive" }, lockedBy: "alive", lockedUntil: far() },
      { message: { of: "elsewhere" }, lockedBy: "elsewhere", lockedUntil: far() },
    ]);
    const queue = new DrizzleMessageQueue(db, { pollIntervalMs: 20 });
    const seen: unknown[] = [];
    listen(queue, (m) => void seen.push(m));
    await eventually(() => seen.length === 1);
    await queue.idle();
    expect(seen).toEqual([{ of: "dead" }]);
    const workers = (await db.select().from(queueWorkers)).map((w) => w.id);
    expect(workers).toHaveLength(3);
    expect(workers).toEqual(expect.arrayContaining(["alive", "elsewhere"]));
    const first = workers.find((id) => id !== "alive" && id !== "elsewhere") as string;
    // A second worker of this process does not take the first one's leases.
    await db.insert(queueMessages).values({ message: { of: "first" }, lockedBy: first, lockedUntil: far() });
    const second = new DrizzleMessageQueue(db, { pollIntervalMs: 20 });
    listen(second, (m) => void seen.push(m));
    await eventually(async () => (await db.select().from(queueWorkers)).length === 4);
    await second.idle();
    expect(seen).toEqual([{ of: "dead" }]);
  });
});
