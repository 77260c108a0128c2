// Fedify's KvStore on our own database, so it works on PGlite and PostgreSQL.

import { isDeepStrictEqual } from "node:util";
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import { and, asc, eq, gt, isNull, lte, or, type SQL, sql } from "drizzle-orm";
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
