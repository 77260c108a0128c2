// Fedify's MessageQueue on our own database.
//
// - Messages are rows; a worker claims a batch with FOR UPDATE SKIP LOCKED
//   and a lease (locked_until), so several processes on one PostgreSQL never
//   handle the same message twice, and a crashed worker's messages become
//   claimable again when its lease lapses.
// - A message is deleted only after its handler finished: work survives a
//   restart.
// - orderingKey: a message is claimable only when no older message with the
//   same key is still in the table (queued or in progress).
// - A message enqueued in a process whose listener has room is inserted
//   already claimed by that listener and started at once: no claim, no wait.
// - idle() tells when this process has nothing to do right now (tests wait on
//   it to assert that something did not happen, instead of sleeping).

import { randomUUID } from "node:crypto";
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import { and, count, eq, gt, inArray, sql } from "drizzle-orm";
import { logger } from "../logging.ts";
import { type Database, rowsOf } from "./client.ts";
import { forgetWorker, recoverStaleLeases } from "./queue-workers.ts";
import { queueMessages } from "./schema.ts";
import { afterCommit, inUnitOfWork } from "./unit-of-work.ts";

const log = logger("queue");

export interface DrizzleMessageQueueOptions {
  /** How often to look for new work when nothing wakes us (other processes' messages, delays). */
  pollIntervalMs?: number;
  /** How long a claimed message stays ours before another worker may take it. */
  leaseMs?: number;
  /** Messages handled at once by one listener. */
  concurrency?: number;
  /** After this many failed handler runs a message is dropped (and logged). */
  maxAttempts?: number;
  /** First retry delay after a handler failed; doubles with each attempt. */
  retryDelayMs?: number;
  /**
   * Called after each message this process handled successfully. The bench
   * waits on it to look at the tables, instead of polling them: on PGlite a
   * poll runs in the same thread as the node's own queries.
   */
  onHandled?: () => void;
  /**
   * Whether this process is the only one on the database (a PGlite folder,
   * held under its lock): then every lease found at start is a dead
   * process's, and is taken back at once.
   */
  exclusive?: boolean;
  /** Called as a handler starts on a claimed message (the crash tests kill the process there). */
  beforeHandle?: () => void;
  /** Runs each handling, given as `handle` (src/telemetry.ts wraps it in a span). */
  around?: (message: unknown, handle: () => Promise<void>) => Promise<void>;
}

/** The listener of this process, as enqueue sees it. */
interface LocalListener {
  /** Holds `n` of the listener's slots for messages about to be inserted as ours; false if it has no room. */
  reserve(n: number): boolean;
  /** Starts the rows inserted as ours, and gives back the `n` slots held for them. */
  start(rows: ClaimedRow[], n: number): void;
}

interface ClaimedRow {
  id: number;
  message: unknown;
  attempts: number;
  orderingKey: string | null;
}

export class DrizzleMessageQueue implements MessageQueue {
  // Fedify retries failed deliveries itself by re-enqueuing with a delay.
  readonly nativeRetrial = false;
  readonly #db: Database;
  readonly #workerId = randomUUID();
  readonly #pollIntervalMs: number;
  readonly #leaseMs: number;
  readonly #concurrency: number;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #onHandled: (() => void) | undefined;
  readonly #exclusive: boolean;
  readonly #beforeHandle: (() => void) | undefined;
  readonly #around: DrizzleMessageQueueOptions["around"];
  readonly #sleepers = new Set<() => void>();
  /** A wake-up that came while no listener was asleep (it was claiming). */
  #wakePending = false;
  /** This process's listener, which takes messages enqueued here directly when it has room. */
  #local: LocalListener | null = null;
  /** The last enqueue of each ordering key in this process: they go one after the other. */
  readonly #keyTails = new Map<string, Promise<unknown>>();
  /** Enqueues and handler runs under way in this process. */
  #busy = 0;
  /** Counts every start and end of an enqueue or handler run: idle() sees work that came and went. */
  #activity = 0;
  readonly #idleWaiters = new Set<() => void>();

  constructor(db: Database, options: DrizzleMessageQueueOptions = {}) {
    this.#db = db;
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#concurrency = options.concurrency ?? 16;
    this.#maxAttempts = options.maxAttempts ?? 10;
    this.#retryDelayMs = options.retryDelayMs ?? 1000;
    this.#onHandled = options.onHandled;
    this.#exclusive = options.exclusive ?? false;
    this.#beforeHandle = options.beforeHandle;
    this.#around = options.around;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  enqueueMany = async (messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> => {
    if (messages.length === 0) return;
    this.#begin();
    try {
      await this.#enqueueMany(messages, options);
    } finally {
      this.#end();
    }
  };

  async #enqueueMany(messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> {
    const delayMs = options?.delay ? Math.max(0, options.delay.total("millisecond")) : 0;
    const key = options?.orderingKey ?? null;
    if (key === null) return await this.#insert(messages, null, delayMs);
    // One after the other within this process, so that a message can see
    // whether an older one of its key is still in the table.
    const previous = this.#keyTails.get(key) ?? Promise.resolve();
    const mine = previous.catch(() => {}).then(() => this.#insert(messages, key, delayMs));
    this.#keyTails.set(key, mine);
    try {
      await mine;
    } finally {
      if (this.#keyTails.get(key) === mine) this.#keyTails.delete(key);
    }
  }

  #begin(): void {
    this.#busy++;
    this.#activity++;
  }

  #end(): void {
    this.#busy--;
    this.#activity++;
    if (this.#busy === 0) for (const wake of [...this.#idleWaiters]) wake();
  }

  /** Grows with every enqueue or handler run that starts or ends here; unchanged means nothing happened. */
  get activity(): number {
    return this.#activity;
  }

  /**
   * Resolves once this process is handling nothing, enqueuing nothing, and
   * the table holds no message it could claim now (delayed retries and
   * messages waiting behind them do not count). It does not give up: callers
   * put their own limit around it.
   */
  async idle(): Promise<void> {
    for (;;) {
      if (this.#busy === 0) {
        const before = this.#activity;
        const ready = await this.#readyCount();
        if (ready === 0 && this.#busy === 0 && this.#activity === before) return;
      }
      // Wait for the work under way to end, or for the listener to claim what is ready.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#idleWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, this.#pollIntervalMs);
        this.#idleWaiters.add(done);
      });
    }
  }

  /** Messages a listener could claim now: the claim's own conditions. */
  async #readyCount(): Promise<number> {
    const result = await this.#db.execute(sql`
      SELECT count(*)::int AS n FROM queue_messages q
       WHERE q.deliver_at <= now()
         AND (q.locked_until IS NULL OR q.locked_until < now())
         AND (q.ordering_key IS NULL OR NOT EXISTS (
               SELECT 1 FROM queue_messages p
                WHERE p.ordering_key = q.ordering_key AND p.id < q.id))`);
    return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
  }

  async #insert(messages: readonly unknown[], key: string | null, delayMs: number): Promise<void> {
    // Inside a use case's transaction (unit-of-work.ts) the rows go through
    // it and commit with the change; nobody may start them before that, so
    // they are queued as usual and the listener is woken after the commit.
    if (inUnitOfWork()) {
      await this.#insertQueued(messages, key, delayMs);
      if (delayMs === 0) afterCommit(() => this.#wakeAll());
      return;
    }
    const local = this.#local;
    // A listener here with room takes the message at once: it is inserted
    // already claimed by us, which saves the claim's round trip. Not when it
    // must wait for an older message of its ordering key (then it is queued
    // as usual, and that one's end wakes the listener).
    if (delayMs === 0 && local && (key === null || messages.length === 1) && local.reserve(messages.length)) {
      let rows: ClaimedRow[] = [];
      try {
        rows = key === null ? await this.#insertClaimed(messages) : await this.#insertClaimedIfFirst(messages[0], key);
      } finally {
        local.start(rows, messages.length);
      }
      // Queued behind an older one after all: that one may have ended while
      // we were inserting, so look now rather than at the next poll.
      if (rows.length < messages.length) this.#wakeAll();
      return;
    }
    await this.#insertQueued(messages, key, delayMs);
    if (delayMs === 0) this.#wakeAll();
  }

  async #insertQueued(messages: readonly unknown[], key: string | null, delayMs: number): Promise<void> {
    await this.#db.insert(queueMessages).values(
      messages.map((message) => ({
        message,
        orderingKey: key,
        deliverAt: sql`now() + ${`${delayMs} milliseconds`}::interval`,
      })),
    );
  }

  async #insertClaimed(messages: readonly unknown[]): Promise<ClaimedRow[]> {
    const rows = await this.#db
      .insert(queueMessages)
      .values(messages.map((message) => ({ message, ...this.#lease() })))
      .returning({ id: queueMessages.id, message: queueMessages.message, attempts: queueMessages.attempts });
    return rows.map((row) => ({ ...row, orderingKey: null }));
  }

  /** Inserts the message claimed by us if no older message of its key is in the table; else as usual. */
  async #insertClaimedIfFirst(message: unknown, key: string): Promise<ClaimedRow[]> {
    const result = await this.#db.execute(sql`
      INSERT INTO queue_messages (message, ordering_key, locked_until, locked_by, attempts)
      SELECT ${JSON.stringify(message)}::jsonb, ${key},
             CASE WHEN s.first THEN now() + ${`${this.#leaseMs} milliseconds`}::interval END,
             CASE WHEN s.first THEN ${this.#workerId} END,
             CASE WHEN s.first THEN 1 ELSE 0 END
        FROM (SELECT NOT EXISTS (SELECT 1 FROM queue_messages WHERE ordering_key = ${key}) AS first) AS s
      RETURNING id, message, attempts, locked_by`);
    return rowsOf<{ id: number | string; message: unknown; attempts: number; locked_by: string | null }>(result)
      .filter((row) => row.locked_by !== null)
      .map((row) => ({ id: Number(row.id), message: row.message, attempts: row.attempts, orderingKey: key }));
  }

  #lease() {
    return {
      lockedUntil: sql`now() + ${`${this.#leaseMs} milliseconds`}::interval`,
      lockedBy: this.#workerId,
      attempts: 1,
    };
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const [all] = await this.#db.select({ n: count() }).from(queueMessages);
    const [delayed] = await this.#db
      .select({ n: count() })
      .from(queueMessages)
      .where(gt(queueMessages.deliverAt, sql`now()`));
    const queued = Number(all?.n ?? 0);
    const delayedCount = Number(delayed?.n ?? 0);
    return { queued, ready: queued - delayedCount, delayed: delayedCount };
  }

  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options: MessageQueueListenOptions = {},
  ): Promise<void> {
    const { signal } = options;
    const running = new Map<number, Promise<void>>();
    /** Slots promised to messages being enqueued in this process (see #insert). */
    let reserved = 0;
    const start = (row: ClaimedRow) => {
      this.#begin();
      const task = this.#run(row, handler).finally(() => {
        const wasFull = running.size + reserved >= this.#concurrency;
        running.delete(row.id);
        this.#end();
        // Look again only if that can find something: the next message of
        // this one's ordering key, or anything when we had no room for it.
        if (wasFull || row.orderingKey !== null) this.#wakeAll();
      });
      running.set(row.id, task);
    };
    const local: LocalListener = {
      reserve: (n) => {
        if (signal?.aborted || running.size + reserved + n > this.#concurrency) return false;
        reserved += n;
        return true;
      },
      start: (rows, n) => {
        reserved -= n;
        if (!signal?.aborted) for (const row of rows) start(row);
        else if (rows.length > 0) this.#release(rows.map((row) => row.id)).catch(() => {});
      },
    };
    // Before this listener takes anything: the leases of a process that ended.
    await recoverStaleLeases(this.#db, this.#workerId, this.#exclusive).catch((error) =>
      log.error("Could not take back stale leases: {error}", { error }),
    );
    this.#local = local;
    while (!signal?.aborted) {
      const free = this.#concurrency - running.size - reserved;
      const claimed = free > 0 ? await this.#claim(free).catch((error) => this.#claimFailed(error)) : [];
      for (const row of claimed) start(row);
      // Fewer than we had room for: nothing else is ready; an enqueue in this
      // process wakes us, the poll finds other processes' and delayed ones.
      if (claimed.length < free || running.size + reserved >= this.#concurrency) await this.#sleep(signal);
    }
    if (this.#local === local) this.#local = null;
    // Shutting down: let in-flight handlers finish for a moment, then hand
    // back whatever is still ours so the next start picks it up at once.
    await Promise.race([Promise.allSettled(running.values()), new Promise((r) => setTimeout(r, 5_000))]);
    if (running.size > 0) await this.#release([...running.keys()]).catch(() => {});
    await forgetWorker(this.#db, this.#workerId).catch(() => {});
  }

  async #claim(limit: number): Promise<ClaimedRow[]> {
    const result = await this.#db.execute(sql`
      UPDATE queue_messages
         SET locked_until = now() + ${`${this.#leaseMs} milliseconds`}::interval,
             locked_by = ${this.#workerId},
             attempts = attempts + 1
       WHERE id IN (
         SELECT q.id FROM queue_messages q
          WHERE q.deliver_at <= now()
            AND (q.locked_until IS NULL OR q.locked_until < now())
            AND (q.ordering_key IS NULL OR NOT EXISTS (
                  SELECT 1 FROM queue_messages p
                   WHERE p.ordering_key = q.ordering_key AND p.id < q.id))
          ORDER BY q.deliver_at, q.id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
      RETURNING id, message, attempts, ordering_key`);
    return rowsOf<{ id: number | string; message: unknown; attempts: number; ordering_key: string | null }>(result).map(
      (r) => ({ id: Number(r.id), message: r.message, attempts: r.attempts, orderingKey: r.ordering_key }),
    );
  }

  async #claimFailed(error: unknown): Promise<[]> {
    // The database went away for a moment (restart, network): keep the
    // listener alive and try again at the next poll.
    log.error("Could not claim queued messages: {error}", { error });
    return [];
  }

  async #run(row: ClaimedRow, handler: (message: unknown) => Promise<void> | void): Promise<void> {
    try {
      this.#beforeHandle?.();
      const handle = async () => {
        await handler(row.message);
      };
      await (this.#around ? this.#around(row.message, handle) : handle());
      await this.#db.delete(queueMessages).where(eq(queueMessages.id, row.id));
      this.#onHandled?.();
    } catch (error) {
      if (row.attempts >= this.#maxAttempts) {
        log.error("Dropping queued message {id} after {attempts} failed attempts: {error}", {
          id: row.id,
          attempts: row.attempts,
          error,
        });
        await this.#db.delete(queueMessages).where(eq(queueMessages.id, row.id));
        return;
      }
      const backoffMs = Math.min(2 ** (row.attempts - 1) * this.#retryDelayMs, 3_600_000);
      log.warning("Queued message {id} failed (attempt {attempts}); retrying in {backoffMs} ms: {error}", {
        id: row.id,
        attempts: row.attempts,
        backoffMs,
        error,
      });
      await this.#db
        .update(queueMessages)
        .set({
          lockedUntil: null,
          lockedBy: null,
          deliverAt: sql`now() + ${`${backoffMs} milliseconds`}::interval`,
        })
        .where(eq(queueMessages.id, row.id));
    }
  }

  async #release(ids: number[]): Promise<void> {
    await this.#db
      .update(queueMessages)
      .set({ lockedUntil: null, lockedBy: null })
      .where(and(inArray(queueMessages.id, ids), eq(queueMessages.lockedBy, this.#workerId)));
  }

  #sleep(signal?: AbortSignal): Promise<void> {
    if (this.#wakePending) {
      // Something was enqueued while we were claiming: look again at once.
      this.#wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        this.#sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.#pollIntervalMs);
      signal?.addEventListener("abort", done, { once: true });
      this.#sleepers.add(done);
    });
  }

  #wakeAll(): void {
    if (this.#sleepers.size === 0) this.#wakePending = true;
    for (const wake of [...this.#sleepers]) wake();
  }
}
