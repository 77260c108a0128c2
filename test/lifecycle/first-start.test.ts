// The first start in a new data folder creates the PGlite database in a
// child process (src/db/pglite-init.ts) and renames it into place only when
// complete.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { ensurePgliteDatabase } from "../../src/db/pglite-init.ts";
import { createSite, pglite, SLOW, spawnNode } from "./process.ts";

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true }))));

async function newFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "weft-first-start-"));
  folders.push(dir);
  return dir;
}

describe.skipIf(!pglite)("the first start in a new data folder", () => {
  it(
    "creates a database that opens, replacing what an interrupted first start left",
    async () => {
      const dataDir = await newFolder();
      const dbDir = join(dataDir, "db");
      // An earlier first start was killed while building the database.
      await mkdir(`${dbDir}.new`);
      await writeFile(join(`${dbDir}.new`, "half-made"), "x");
      await ensurePgliteDatabase(dbDir);
      expect(existsSync(join(dbDir, "PG_VERSION"))).toBe(true);
      expect(existsSync(`${dbDir}.new`)).toBe(false);
      expect(await readdir(dataDir)).toEqual(["db"]);
      const client = await PGlite.create(dbDir);
      try {
        expect((await client.query<{ one: number }>("select 1 as one")).rows).toEqual([{ one: 1 }]);
        await client.exec("create table kept (id int)");
      } finally {
        await client.close();
      }
      // A folder that holds a database is left as it is.
      await ensurePgliteDatabase(dbDir);
      const reopened = await PGlite.create(dbDir);
      try {
        expect((await reopened.query("select * from kept")).rows).toEqual([]);
      } finally {
        await reopened.close();
      }
    },
    SLOW,
  );

  it(
    "gives up with a clear error when initdb never finishes, after trying again",
    async () => {
      const dbDir = join(await newFolder(), "db");
      const started = Date.now();
      await expect(ensurePgliteDatabase(dbDir, { timeoutMs: 300 })).rejects.toThrow(
        `Could not create the database in ${dbDir}: initdb did not finish in 0.3 s`,
      );
      // Three attempts of 0.3 s each, and no database left in place.
      expect(Date.now() - started).toBeGreaterThanOrEqual(850);
      expect(existsSync(dbDir)).toBe(false);
    },
    SLOW,
  );

  it(
    "refuses a database folder that holds other files, with one line, and touches none of them",
    async () => {
      const site = await createSite();
      await mkdir(join(site.dataDir, "db"), { recursive: true });
      await writeFile(join(site.dataDir, "db", "notes.txt"), "not a database");
      const node = spawnNode(site);
      expect((await node.exit()).code).toBe(1);
      const lines = node.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        `${join(site.dataDir, "db")} holds files but no Weft database; move that folder away (or set WEFT_DATA_DIR) and start again.`,
      );
      expect(await readdir(join(site.dataDir, "db"))).toEqual(["notes.txt"]);
    },
    SLOW,
  );
});
