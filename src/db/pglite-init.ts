// Creates a new PGlite database folder in a child process.
//
// initdb inside PGlite grows its WebAssembly heap to about 500 MB, and a
// WebAssembly heap never shrinks: a node that ran initdb in its own process
// idled at about 270 MB instead of 160 MB, for as long as it ran, and
// closing and reopening PGlite in the same process did not give the memory
// back. So the first start runs initdb in a short-lived child and then opens
// the finished folder, as every later start does (about 1 s more, once).
// The child has a time limit and is started again if it runs out.
//
// The child builds the folder under a temporary name and it is renamed into
// place only when complete, so an interrupted first start leaves no
// half-made database behind.
import { spawn } from "node:child_process";
import { access, readdir, rename, rm, rmdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { logger } from "../logging.ts";

const log = logger("db", "pglite");
/** initdb takes 3-10 s here; a child still running after this is stuck. */
const INITDB_TIMEOUT_MS = 60_000;
const INITDB_ATTEMPTS = 3;

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
export async function ensurePgliteDatabase(
  dbDir: string,
  { timeoutMs = INITDB_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<void> {
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
  for (let attempt = 1; ; attempt++) {
    await rm(building, { recursive: true, force: true });
    const outcome = await runInitdb(building, timeoutMs);
    if (outcome.ok && (await exists(`${building}/PG_VERSION`))) break;
    if (outcome.ok || !outcome.timedOut || attempt >= INITDB_ATTEMPTS) {
      const reason = outcome.ok ? "initdb left no PG_VERSION" : outcome.reason;
      throw new DatabaseFolderError(`Could not create the database in ${dbDir}: ${reason}`);
    }
    log.warning("Creating the database took over {seconds} s; trying again", { seconds: timeoutMs / 1000 });
  }
  await rename(building, dbDir);
}

type InitdbOutcome = { ok: true } | { ok: false; timedOut: boolean; reason: string };

/**
 * Runs this file as a child process on `folder`. The child runs without the
 * node's V8 flags: it exits when done, so its memory does not matter, and
 * with all three flags PGlite's initdb hung in about 1 start in 30 when
 * several ran at once (none in 90 without them). A child that takes far
 * longer than initdb ever does (3-10 s) is killed and started again.
 */
function runInitdb(folder: string, timeoutMs: number): Promise<InitdbOutcome> {
  return new Promise((resolve) => {
    // stdin is a pipe the child watches: if this process dies, the child ends too.
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), folder], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let output = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: false, timedOut: false, reason: error.message });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true });
      else if (timedOut) resolve({ ok: false, timedOut, reason: `initdb did not finish in ${timeoutMs / 1000} s` });
      else resolve({ ok: false, timedOut, reason: output.trim().split("\n").at(-1) || `exit ${code ?? signal}` });
    });
  });
}

if (import.meta.main) {
  // The parent closed our stdin: it is gone, and nobody will use this folder.
  process.stdin.on("end", () => process.exit(1)).resume();
  const client = await PGlite.create(process.argv[2] as string, { startParams: PGLITE_START_PARAMS });
  await client.close();
  process.exit(0);
}
