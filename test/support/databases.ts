// A fresh, already migrated database for one test node, on the driver the
// current Vitest project runs (WEFT_TEST_DRIVER).

import { readFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { type DatabaseHandle, type DatabaseSource, openDatabase } from "../../src/db/client.ts";

export type TestDriver = "pglite" | "postgres";

export function testDriver(): TestDriver {
  return process.env.WEFT_TEST_DRIVER === "postgres" ? "postgres" : "pglite";
}

let templateBytes: Promise<Blob> | undefined;

export interface TestDatabase {
  source: DatabaseSource;
  /** Drops the database (PostgreSQL); PGlite instances vanish with their node. */
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDriver() === "pglite") {
    templateBytes ??= readFile(inject("pgliteTemplate")).then((b) => new Blob([new Uint8Array(b)]));
    const client = await PGlite.create({ loadDataDir: await templateBytes });
    return { source: { kind: "pglite-instance", client }, drop: async () => {} };
  }
  const templateUrl = inject("postgresTemplate");
  if (!templateUrl) throw new Error("WEFT_TEST_DRIVER=postgres needs TEST_DATABASE_URL");
  const template = new URL(templateUrl);
  const templateName = template.pathname.slice(1);
  const name = `${templateName}_n${Math.random().toString(36).slice(2, 10)}`;
  const adminUrl = new URL(templateUrl);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.href, { max: 1, onnotice: () => {} });
  // Two CREATE DATABASE … TEMPLATE at once can collide on the template; retry.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${templateName}`);
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  return {
    source: { kind: "postgres", url: url.href },
    drop: async () => {
      const dropper = postgres(adminUrl.href, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** A new PostgreSQL database with nothing in it (not even migrations), for restores. */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const templateUrl = inject("postgresTemplate");
  if (!templateUrl) throw new Error("WEFT_TEST_DRIVER=postgres needs TEST_DATABASE_URL");
  const name = `weft_empty_${Math.random().toString(36).slice(2, 10)}`;
  const adminUrl = new URL(templateUrl);
  adminUrl.pathname = "/postgres";
  const admin = postgres(adminUrl.href, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const dropper = postgres(adminUrl.href, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/**
 * A test database opened for the whole file (beforeAll) and dropped after
 * it; `database.handle` is set once the hook ran.
 */
export function useTestDatabase(): { readonly handle: DatabaseHandle } {
  const state = {} as { handle: DatabaseHandle; drop: () => Promise<void> };
  beforeAll(async () => {
    const created = await createTestDatabase();
    state.drop = created.drop;
    state.handle = await openDatabase(created.source);
  });
  afterAll(async () => {
    await state.handle?.close();
    await state.drop?.();
  });
  return state;
}
