// Opens the database: PostgreSQL through postgres.js when DATABASE_URL is a
// postgres:// URL, otherwise the embedded PGlite in WEFT_DATA_DIR/db.

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { acquireDataDirLock } from "./lock.ts";
import { ensurePgliteDatabase, PGLITE_START_PARAMS } from "./pglite-init.ts";
import * as schema from "./schema.ts";
import { unitOfWorkDatabase } from "./unit-of-work.ts";

export type Schema = typeof schema;
/** The driver-independent Drizzle database every module works with. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseSource =
  | { kind: "pglite"; dataDir: string }
  /** An already open PGlite (tests clone a migrated template instead of migrating anew). */
  | { kind: "pglite-instance"; client: PGlite }
  | { kind: "postgres"; url: string };

export interface DatabaseHandle {
  /** Joins the unit of work of the caller, if any (unit-of-work.ts). */
  db: Database;
  driver: "pglite" | "postgres";
  /** For PostgreSQL: the URL, so migrations can take their own connection. */
  url?: string;
  pglite?: PGlite;
  close(): Promise<void>;
}

export function databaseSourceFor(config: { databaseUrl?: string; dataDir: string }): DatabaseSource {
  return config.databaseUrl
    ? { kind: "postgres", url: config.databaseUrl }
    : { kind: "pglite", dataDir: config.dataDir };
}

export async function openDatabase(source: DatabaseSource): Promise<DatabaseHandle> {
  switch (source.kind) {
    case "postgres": {
      const client = postgres(source.url, { max: 10, onnotice: () => {} });
      return {
        db: unitOfWorkDatabase(drizzlePostgres({ client, schema }) as unknown as Database),
        driver: "postgres",
        url: source.url,
        close: () => client.end({ timeout: 5 }),
      };
    }
    case "pglite-instance":
      return {
        db: unitOfWorkDatabase(drizzlePglite({ client: source.client, schema }) as unknown as Database),
        driver: "pglite",
        pglite: source.client,
        close: () => source.client.close(),
      };
    case "pglite": {
      await mkdir(source.dataDir, { recursive: true });
      // PGlite allows one process per folder; fail with a clear message
      // instead of corrupting it when a second node starts on the same data.
      const lock = await acquireDataDirLock(source.dataDir);
      try {
        const dbDir = join(source.dataDir, "db");
        await ensurePgliteDatabase(dbDir);
        const client = await PGlite.create(dbDir, { startParams: PGLITE_START_PARAMS });
        return {
          db: unitOfWorkDatabase(drizzlePglite({ client, schema }) as unknown as Database),
          driver: "pglite",
          pglite: client,
          close: async () => {
            await client.close();
            await lock.release();
          },
        };
      } catch (error) {
        await lock.release();
        throw error;
      }
    }
  }
}

/** Rows of a raw `db.execute()`; postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
