// Backups of the running node: the file `GET /api/v1/backup` answers with
// (and `weft backup --out FILE` saves), and the scheduled backups of
// WEFT_BACKUP_DIR, with the oldest deleted past WEFT_BACKUP_KEEP. The node
// makes them because PGlite allows one process per data folder.
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { dumpDatabase } from "../domain/backup.ts";
import { logger } from "../logging.ts";
import type { ActionContext } from "./context.ts";

const log = logger("backup");

/** What the backup needs besides the database: the driver and the API secret it carries. */
export interface BackupOptions {
  driver: "pglite" | "postgres";
  secret: string;
}

/** A consistent copy of everything (rows, keys, the API secret) as a gzip file. */
export async function createBackup(ctx: ActionContext, options: BackupOptions): Promise<Buffer> {
  return await dumpDatabase({
    db: ctx.services.db,
    driver: options.driver,
    secret: { source: ctx.services.config.secret ? "env" : "file", value: options.secret },
  });
}

/** Scheduled backups' names sort by time: weft-backup-2026-05-01T06-00-00-000Z.gz. */
const FILE = /^weft-backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.gz$/;
/** setTimeout's longest delay; a longer interval waits in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export interface BackupStatus {
  dir: string;
  every: string;
  keep: number;
  last: { at: string; file: string; bytes: number } | null;
  failure: { at: string; message: string } | null;
}

/** The scheduled backups of one node: started in node.ts, shown by GET /node and `weft status`. */
export class BackupSchedule {
  readonly #ctx: ActionContext;
  readonly #options: BackupOptions;
  readonly #config: { dir: string; every: string; everyMs: number; keep: number };
  #last: BackupStatus["last"] = null;
  #failure: BackupStatus["failure"] = null;
  #timer?: ReturnType<typeof setTimeout>;
  #running?: Promise<void>;
  #closed = false;

  constructor(
    ctx: ActionContext,
    options: BackupOptions,
    config: { dir: string; every: string; everyMs: number; keep: number },
  ) {
    this.#ctx = ctx;
    this.#options = options;
    this.#config = config;
  }

  status(): BackupStatus {
    const { dir, every, keep } = this.#config;
    return { dir, every, keep, last: this.#last, failure: this.#failure };
  }

  /** Schedules the next backup one interval after the newest in the folder (at once when none or overdue). */
  async start(): Promise<void> {
    const newest = (await this.#files().catch(() => [])).at(-1);
    if (!newest) return this.#schedule(Date.now());
    const { mtimeMs, size } = await stat(join(this.#config.dir, newest));
    this.#last = { at: new Date(mtimeMs).toISOString(), file: newest, bytes: size };
    this.#schedule(mtimeMs + this.#config.everyMs);
  }

  #schedule(at: number): void {
    if (this.#closed) return;
    const delay = Math.max(0, at - Date.now());
    this.#timer = setTimeout(
      () => {
        if (Date.now() < at) return this.#schedule(at);
        this.#running = this.runOnce().finally(() => {
          this.#running = undefined;
          this.#schedule(Date.now() + this.#config.everyMs);
        });
      },
      Math.min(delay, MAX_DELAY_MS),
    );
    this.#timer.unref();
  }

  /** Makes one backup now and deletes the oldest beyond `keep`; a failure is logged and kept for the status. */
  async runOnce(): Promise<void> {
    const { dir, keep } = this.#config;
    const at = new Date();
    const file = `weft-backup-${at.toISOString().replace(/[:.]/g, "-")}.gz`;
    try {
      await mkdir(dir, { recursive: true });
      const bytes = await createBackup(this.#ctx, this.#options);
      // Written under another name and renamed, so a crash never leaves a
      // half-written file that looks like a backup.
      const partial = join(dir, `.${file}.partial`);
      await writeFile(partial, bytes, { mode: 0o600 });
      await rename(partial, join(dir, file));
      this.#last = { at: at.toISOString(), file, bytes: bytes.length };
      this.#failure = null;
      const old = (await this.#files()).slice(0, -keep);
      for (const name of old) await rm(join(dir, name), { force: true });
      log.info("Backed up to {file} ({bytes} bytes); {deleted} old backup(s) deleted", {
        file: join(dir, file),
        bytes: bytes.length,
        deleted: old.length,
      });
    } catch (error) {
      this.#failure = { at: at.toISOString(), message: (error as Error).message };
      log.error("The scheduled backup to {dir} failed: {error}", { dir, error });
    }
  }

  async #files(): Promise<string[]> {
    return (await readdir(this.#config.dir)).filter((name) => FILE.test(name)).sort();
  }

  /** Stops scheduling and waits for a backup being written. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
