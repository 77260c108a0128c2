// Creates a new PGlite database folder in a child process.
//
// initdb inside PGlite grows its WebAssembly heap to about 500 MB, and a
// WebAssembly heap never shrinks: a node that ran initdb in its own process
// idled at about 270 MB instead of 160 MB, for as long as it ran, and
// closing and reopening PGlite in the same process did not give the memory
// back. So the first start runs initdb in a short-lived child and then opens
// the finished folder, as every later start does (about 1 s more, once).
//
// The child builds the folder under a temporary name and it is renamed into
// place only when complete, so an interrupted first start leaves no
// half-made database behind.
import { spawn } from "node:child_process";
import { access, readdir, rename, rm, rmdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { NODE_FLAGS } from "../node-flags.ts";

/**
 * PGlite runs PostgreSQL in single-user mode inside the process, so its
 * shared memory is the node's own memory, and a WebAssembly heap never gives
 * memory back. initdb's defaults (128 MB of shared buffers, 100 connections)
 * suit a server; a co-op's database is tens of megabytes read by one process
 * that also has the operating system's file cache behind it. With 30,000
 * listings, lookups and searches took the same time with 1, 2 or 8 MB of
 * shared buffers (docs/performance.md); 2 MB saves ≈ 8 MB of idle memory.
 */
export const PGLITE_START_PARAMS = [
  ...PGlite.defaultStartParams,
  ...["-c", "shared_buffers=2MB", "-c", "max_connections=10", "-c", "work_mem=4MB"],
];

/** The data folder cannot hold a database as it is; the message says what to do. */
export class DatabaseFolderError extends Error {
  override name = "DatabaseFolderError";
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Runs initdb for `dbDir` in a child process unless it already holds a database. */
export async function ensurePgliteDatabase(dbDir: string): Promise<void> {
  if (await exists(`${dbDir}/PG_VERSION`)) return;
  if (await exists(dbDir)) {
    if ((await readdir(dbDir)).length > 0) {
      throw new DatabaseFolderError(
        `${dbDir} holds files but no Weft database; move that folder away (or set WEFT_DATA_DIR) and start again.`,
      );
    }
    await rmdir(dbDir);
  }
  const building = `${dbDir}.new`;
  await rm(building, { recursive: true, force: true });
  const script = fileURLToPath(import.meta.url);
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, script, building], { stdio: ["ignore", "ignore", "pipe"] });
    let output = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(output);
      else {
        const reason = output.trim().split("\n").at(-1) || `exit ${code ?? signal}`;
        reject(new DatabaseFolderError(`Could not create the database in ${dbDir}: ${reason}`));
      }
    });
  });
  if (!(await exists(`${building}/PG_VERSION`))) {
    const reason = stderr.trim().split("\n").at(-1) || "initdb left no PG_VERSION";
    throw new DatabaseFolderError(`Could not create the database in ${dbDir}: ${reason}`);
  }
  await rename(building, dbDir);
}

if (import.meta.main) {
  const client = await PGlite.create(process.argv[2] as string, { startParams: PGLITE_START_PARAMS });
  await client.close();
}
