// Prepares migrated database templates once per test run, because creating
// and migrating a database is the slow part of starting a node:
// - PGlite: a migrated instance dumped to a file; each test node loads it
//   (~0.3 s) instead of running initdb and migrations (~2 s).
// - PostgreSQL: a migrated template database; each test node gets
//   CREATE DATABASE … TEMPLATE (fast), dropped when the node stops.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/client.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";
import { chromiumPath, MISSING_CHROMIUM } from "./browser.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.href;
}

let toldAboutChromium = false;

export default async function setup(project: TestProject) {
  if (!chromiumPath() && !toldAboutChromium) {
    toldAboutChromium = true;
    if (process.env.CI === "true") throw new Error(MISSING_CHROMIUM.replace("skipped", "cannot run on CI"));
    console.log(MISSING_CHROMIUM);
  }
  const dir = await mkdtemp(join(tmpdir(), "weft-test-"));
  const pglite = await PGlite.create();
  await migrateDatabase(await openDatabase({ kind: "pglite-instance", client: pglite }));
  const dump = await pglite.dumpDataDir("none");
  await pglite.close();
  const pgliteTemplate = join(dir, "template.tar");
  await writeFile(pgliteTemplate, new Uint8Array(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", pgliteTemplate);

  const base = process.env.TEST_DATABASE_URL;
  let templateName: string | null = null;
  if (base) {
    templateName = `weft_tpl_${process.pid}_${Date.now().toString(36)}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${templateName}`);
    const handle = await openDatabase({ kind: "postgres", url: databaseUrl(base, templateName) });
    await migrateDatabase(handle);
    await handle.close();
    await admin.end();
    project.provide("postgresTemplate", databaseUrl(base, templateName));
  } else {
    project.provide("postgresTemplate", null);
  }

  return async () => {
    await rm(dir, { recursive: true, force: true });
    if (base && templateName) {
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      // Also drop node databases a crashed test run left behind.
      const leftovers = await admin<{ datname: string }[]>`
        SELECT datname FROM pg_database WHERE datname LIKE ${`${templateName}_n%`}`;
      for (const { datname } of leftovers) await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await admin.unsafe(`DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`);
      await admin.end();
    }
  };
}
