// The transactional outbox: a state change and every activity it causes are
// committed together or not at all.
//
// A use case runs its store-and-send inside runInTransaction(). While it runs,
// the Database handle every module holds (services.db, the KV store, the
// queue) is this module's proxy, which sends each query of that async context
// through the transaction: the change's rows, and the queue rows Fedify's
// sendActivity()/forwardActivity() enqueue (DrizzleMessageQueue.enqueue).
// Nothing else needs to know. Everything outside the unit of work (other
// requests, the queue worker) goes straight to the database. The queue
// worker is nudged after the commit (afterCommit()), so nothing is delivered
// before it is committed, and a crash before the commit leaves neither the
// change nor its activities.
//
// On PGlite every query outside the transaction waits for it to end, so a
// unit of work holds no remote fetch: use cases look up what they need first.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Database } from "./client.ts";

interface UnitOfWork {
  tx: Database;
  /** False once the transaction ended: later work of the same async context goes to the database again. */
  open: boolean;
  afterCommit: (() => void)[];
}

const current = new AsyncLocalStorage<UnitOfWork>();

function openUnit(): UnitOfWork | undefined {
  const unit = current.getStore();
  return unit?.open ? unit : undefined;
}

/** Whether the caller runs inside an open unit of work (its queries go through the transaction). */
export function inUnitOfWork(): boolean {
  return openUnit() !== undefined;
}

/**
 * Runs `fn` once the unit of work the caller is in has committed, or at once
 * outside one. Nothing runs when it rolls back.
 */
export function afterCommit(fn: () => void): void {
  const unit = openUnit();
  if (unit) unit.afterCommit.push(fn);
  else fn();
}

const units = new WeakMap<Database, Database>();

/**
 * `raw` as every module should hold it: inside a unit of work each query goes
 * through its transaction, elsewhere to `raw`.
 */
export function unitOfWorkDatabase(raw: Database): Database {
  const proxy = new Proxy(raw, {
    get(target, property) {
      const unit = openUnit();
      const base = (unit ? unit.tx : target) as unknown as Record<string | symbol, unknown>;
      const value = base[property];
      return typeof value === "function" ? value.bind(base) : value;
    },
  });
  units.set(proxy, raw);
  return proxy;
}

/**
 * Runs `fn` in one transaction with everything it enqueues. Within a unit of
 * work already open, `fn` joins it (all of it commits or none).
 */
export async function runInTransaction<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  if (openUnit()) return await fn();
  const raw = units.get(db) ?? db;
  const unit: UnitOfWork = { tx: raw, open: false, afterCommit: [] };
  let result: T;
  try {
    result = await raw.transaction(async (tx) => {
      unit.tx = tx as unknown as Database;
      unit.open = true;
      return await current.run(unit, fn);
    });
  } finally {
    unit.open = false;
  }
  for (const fn of unit.afterCommit) fn();
  return result;
}
