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
import { queueMessages } from "./schema.ts";

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
  readonly #sleepers = new Set<() => void>();
  /** A wake-up that came while no listener was asleep (it was claiming). */
  #wakePending = false;

  constructor(db: Database, options: DrizzleMessageQueueOptions = {}) {
    this.#db = db;
    this.#pollIntervalMs = options.pollIntervalMs ?? 500;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#concurrency = options.concurrency ?? 16;
    this.#maxAttempts = options.maxAttempts ?? 10;
    this.#retryDelayMs = options.retryDelayMs ?? 1000;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  enqueueMany = async (messages: readonly unknown[], options?: MessageQueueEnqueueOptions): Promise<void> => {
    if (messages.length === 0) return;
    const delayMs = options?.delay ? Math.max(0, options.delay.total("millisecond")) : 0;
    await this.#db.insert(queueMessages).values(
      messages.map((message) => ({
        message,
        orderingKey: options?.orderingKey ?? null,
        deliverAt: sql`now() + ${`${delayMs} milliseconds`}::interval`,
      })),
    );
    if (delayMs === 0) this.#wakeAll();
  };

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
    while (!signal?.aborted) {
      const free = this.#concurrency - running.size;
      const claimed = free > 0 ? await this.#claim(free).catch((error) => this.#claimFailed(error)) : [];
      for (const row of claimed) {
        const task = this.#run(row, handler).finally(() => {
          running.delete(row.id);
          this.#wakeAll();
        });
        running.set(row.id, task);
      }
      if (claimed.length === 0 || running.size >= this.#concurrency) await this.#sleep(signal);
    }
    // Shutting down: let in-flight handlers finish for a moment, then hand
    // back whatever is still ours so the next start picks it up at once.
    await Promise.race([Promise.allSettled(running.values()), new Promise((r) => setTimeout(r, 5_000))]);
    if (running.size > 0) await this.#release([...running.keys()]).catch(() => {});
  }

  async #claim(limit: number): Promise<{ id: number; message: unknown; attempts: number }[]> {
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
      RETURNING id, message, attempts`);
    return rowsOf<{ id: number | string; message: unknown; attempts: number }>(result).map((r) => ({
      ...r,
      id: Number(r.id),
    }));
  }

  async #claimFailed(error: unknown): Promise<[]> {
    // The database went away for a moment (restart, network): keep the
    // listener alive and try again at the next poll.
    log.error("Could not claim queued messages: {error}", { error });
    return [];
  }

  async #run(
    row: { id: number; message: unknown; attempts: number },
    handler: (message: unknown) => Promise<void> | void,
  ): Promise<void> {
    try {
      await handler(row.message);
      await this.#db.delete(queueMessages).where(eq(queueMessages.id, row.id));
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
