// Fedify's KvStore on our own database, so it works on PGlite and PostgreSQL.

import { isDeepStrictEqual } from "node:util";
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { and, asc, eq, gt, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { logger } from "../logging.ts";
import type { Database } from "./client.ts";
import { kvEntries } from "./schema.ts";

function keyLiteral(key: readonly string[]): SQL {
  return sql`ARRAY[${sql.join(
    key.map((part) => sql`${part}`),
    sql`, `,
  )}]::text[]`;
}

function expiry(options?: KvStoreSetOptions): Date | null {
  return options?.ttl ? new Date(Date.now() + options.ttl.total("millisecond")) : null;
}

const cacheLog = logger("db", "kv");

const live = () => or(isNull(kvEntries.expiresAt), gt(kvEntries.expiresAt, sql`now()`));

export class DrizzleKvStore implements KvStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const [row] = await this.#db
      .select({ value: kvEntries.value })
      .from(kvEntries)
      .where(and(eq(kvEntries.key, keyLiteral(key)), live()));
    return row?.value as T | undefined;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const expiresAt = expiry(options);
    await this.#db
      .insert(kvEntries)
      .values({ key: keyLiteral(key), value, expiresAt })
      .onConflictDoUpdate({ target: kvEntries.key, set: { value, expiresAt } });
  }

  async delete(key: KvKey): Promise<void> {
    await this.#db.delete(kvEntries).where(eq(kvEntries.key, keyLiteral(key)));
  }

  /** Compare-and-swap: sets `newValue` only if the current value equals `expectedValue`. */
  cas = async (
    key: KvKey,
    expectedValue: unknown,
    newValue: unknown,
    options?: KvStoreSetOptions,
  ): Promise<boolean> => {
    return await this.#db.transaction(async (tx) => {
      // Row lock so two swaps on one key serialise; an absent key is
      // covered by the primary key (the second insert conflicts).
      const [row] = await tx
        .select({ value: kvEntries.value, expiresAt: kvEntries.expiresAt })
        .from(kvEntries)
        .where(eq(kvEntries.key, keyLiteral(key)))
        .for("update");
      const current = row && (row.expiresAt === null || row.expiresAt > new Date()) ? row.value : undefined;
      if (!isDeepStrictEqual(current, expectedValue)) return false;
      if (newValue === undefined) {
        await tx.delete(kvEntries).where(eq(kvEntries.key, keyLiteral(key)));
        return true;
      }
      const expiresAt = expiry(options);
      if (row) {
        await tx
          .update(kvEntries)
          .set({ value: newValue, expiresAt })
          .where(eq(kvEntries.key, keyLiteral(key)));
        return true;
      }
      const inserted = await tx
        .insert(kvEntries)
        .values({ key: keyLiteral(key), value: newValue, expiresAt })
        .onConflictDoNothing()
        .returning({ key: kvEntries.key });
      return inserted.length > 0;
    });
  };

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const where =
      prefix && prefix.length > 0
        ? and(sql`${kvEntries.key}[1:${prefix.length}] = ${keyLiteral(prefix)}`, live())
        : live();
    const rows = await this.#db
      .select({ key: kvEntries.key, value: kvEntries.value })
      .from(kvEntries)
      .where(where)
      .orderBy(asc(kvEntries.key));
    for (const row of rows) {
      yield { key: row.key as unknown as KvKey, value: row.value };
    }
  }

  /** Removes expired entries; called now and then by the node's maintenance timer. */
  async purgeExpired(): Promise<number> {
    const removed = await this.#db
      .delete(kvEntries)
      .where(lte(kvEntries.expiresAt, sql`now()`))
      .returning({ key: kvEntries.key });
    return removed.length;
  }
}

/**
 * A KvStore that also keeps, in this process's memory, the entries under
 * some prefixes: caches whose entries rarely change and are read on every
 * delivery (Fedify's public keys and the HTTP signature form each server
 * took). Reads of those come from memory once seen, for at most `maxAgeMs`
 * (and never past their time to live); writing again a value this process
 * wrote is skipped. So another process's change to such an entry is seen
 * here within `maxAgeMs`, which is fine for a cache that Fedify refreshes
 * when it proves wrong (a key that no longer verifies is fetched anew, a
 * refused signature form is knocked again).
 *
 * Because they are only caches, a failed read of one of those entries is a
 * miss and a failed write is kept in memory only, both logged. This matters:
 * Fedify starts a key lookup and awaits a digest before it awaits the
 * lookup, so a lookup that rejects meanwhile (database restarting, node
 * closing) is an unhandled rejection, and that ends a Node process.
 */
export class MemoryCachedKvStore implements KvStore {
  readonly #store: KvStore;
  readonly #prefixes: readonly KvKey[];
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;
  /** `written`: set by this process without a time to live, so the store holds exactly this. */
  readonly #memory = new Map<string, { value: unknown; until: number; written: boolean }>();

  constructor(store: KvStore, prefixes: readonly KvKey[], { maxEntries = 10_000, maxAgeMs = 5 * 60_000 } = {}) {
    this.#store = store;
    this.#prefixes = prefixes;
    this.#maxEntries = maxEntries;
    this.#maxAgeMs = maxAgeMs;
    if (store.cas) {
      const cas = store.cas.bind(store);
      this.cas = async (key, expectedValue, newValue, options) => {
        this.#memory.delete(JSON.stringify(key));
        return await cas(key, expectedValue, newValue, options);
      };
    }
  }

  cas?: KvStore["cas"];

  #cached(key: KvKey): string | null {
    const kept = this.#prefixes.some((prefix) => prefix.every((part, i) => key[i] === part));
    return kept ? JSON.stringify(key) : null;
  }

  #remember(id: string, value: unknown, ttl: Temporal.Duration | undefined, written: boolean): void {
    this.#memory.delete(id);
    if (this.#memory.size >= this.#maxEntries) this.#memory.delete(this.#memory.keys().next().value as string);
    const age = Math.min(this.#maxAgeMs, ttl ? ttl.total("millisecond") : Number.POSITIVE_INFINITY);
    this.#memory.set(id, { value, until: Date.now() + age, written: written && !ttl });
  }

  #fresh(id: string) {
    const kept = this.#memory.get(id);
    return kept && kept.until > Date.now() ? kept : undefined;
  }

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const id = this.#cached(key);
    if (id === null) return await this.#store.get<T>(key);
    const kept = this.#fresh(id);
    if (kept) return kept.value as T;
    let value: T | undefined;
    try {
      value = await this.#store.get<T>(key);
    } catch (error) {
      cacheLog.warning("Could not read the cache entry {key}; treating it as a miss: {error}", { key, error });
      return undefined;
    }
    if (value === undefined) this.#memory.delete(id);
    else this.#remember(id, value, undefined, false);
    return value;
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const id = this.#cached(key);
    if (id === null) return await this.#store.set(key, value, options);
    const kept = this.#fresh(id);
    if (!options?.ttl && kept?.written && isDeepStrictEqual(kept.value, value)) return;
    this.#memory.delete(id);
    try {
      await this.#store.set(key, value, options);
    } catch (error) {
      cacheLog.warning("Could not write the cache entry {key}; keeping it in memory only: {error}", { key, error });
      this.#remember(id, value, options?.ttl, false);
      return;
    }
    this.#remember(id, value, options?.ttl, true);
  }

  async delete(key: KvKey): Promise<void> {
    const id = this.#cached(key);
    if (id !== null) this.#memory.delete(id);
    await this.#store.delete(key);
  }

  list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    return this.#store.list(prefix);
  }
}
