// `weft restore`: brings a backup (db/backup-format.ts) back into an empty
// data folder (PGlite) or an empty PostgreSQL database, with the API secret.
//
// The backup's own schema is made first (the migrations up to the one it
// was taken at), its rows loaded in one transaction, and then the rest of
// the migrations run, so an older backup comes up to date exactly as an
// older database would.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { secretPath } from "../secret.ts";
import { BACKUP_FORMAT, type BackupLine, type BackupManifest } from "./backup-format.ts";
import { type Database, type DatabaseHandle, openDatabase, rowsOf } from "./client.ts";
import { MIGRATIONS_FOLDER, migrateDatabase } from "./migrate.ts";

/** The backup or the target cannot be used; the message is one line saying why. */
export class RestoreError extends Error {
  override name = "RestoreError";
}

export interface BackupContents {
  manifest: BackupManifest;
  tables: { table: string; columns: string[]; rows: Record<string, unknown>[] }[];
}

export type RestoreTarget = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string; dataDir: string };

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const BATCH = 500;

/** Parses a backup file, refusing anything that is not a complete Weft backup. */
export function readBackup(bytes: Uint8Array): BackupContents {
  let lines: string[];
  try {
    lines = gunzipSync(bytes).toString("utf8").split("\n").filter(Boolean);
  } catch {
    throw new RestoreError("this file is not a Weft backup (it is not gzip-compressed)");
  }
  const parsed = lines.map((line) => {
    try {
      return JSON.parse(line) as BackupManifest | BackupLine;
    } catch {
      throw new RestoreError("this backup is damaged (a line is not JSON)");
    }
  });
  const manifest = parsed[0] as BackupManifest | undefined;
  if (manifest?.format !== BACKUP_FORMAT) throw new RestoreError("this file is not a Weft backup");
  const tables: BackupContents["tables"] = [];
  let end: Extract<BackupLine, { end: true }> | undefined;
  for (const line of parsed.slice(1) as BackupLine[]) {
    if ("table" in line) tables.push({ table: line.table, columns: line.columns, rows: [] });
    else if ("row" in line && tables.length > 0) tables.at(-1)?.rows.push(line.row);
    else if ("end" in line) end = line;
  }
  const rows = tables.reduce((n, t) => n + t.rows.length, 0);
  if (!end || end.tables !== tables.length || end.rows !== rows) {
    throw new RestoreError("this backup is incomplete (it was cut off while being written or copied)");
  }
  return { manifest, tables };
}

async function isEmptyFolder(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw error;
  }
}

async function existingSecret(dataDir: string): Promise<string | undefined> {
  return await readFile(secretPath(dataDir), "utf8").then(
    (text) => text.trim(),
    () => undefined,
  );
}

/**
 * A migrations folder holding Weft's migrations up to `when`, so the
 * backup's rows meet the schema they were read from.
 */
async function migrationsUpTo(when: number): Promise<{ folder: string; remove(): Promise<void> }> {
  const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
    entries: { when: number; tag: string }[];
  };
  if (when > Math.max(...journal.entries.map((e) => e.when))) {
    throw new RestoreError("this backup comes from a newer Weft than this one; upgrade Weft, then restore");
  }
  const entries = journal.entries.filter((e) => e.when <= when);
  const folder = await mkdtemp(join(tmpdir(), "weft-restore-"));
  await mkdir(join(folder, "meta"));
  await writeFile(join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const { tag } of entries) await copyFile(join(MIGRATIONS_FOLDER, `${tag}.sql`), join(folder, `${tag}.sql`));
  return { folder, remove: () => rm(folder, { recursive: true, force: true }) };
}

/** Tables in an order where each comes after the tables its foreign keys point to. */
async function loadOrder(db: Database, tables: string[]): Promise<string[]> {
  const edges = rowsOf<{ child: string; parent: string }>(
    await db.execute(sql`
      select child.relname as child, parent.relname as parent
      from pg_constraint c
      join pg_class child on child.oid = c.conrelid
      join pg_class parent on parent.oid = c.confrelid
      join pg_namespace n on n.oid = child.relnamespace
      where c.contype = 'f' and n.nspname = 'public'`),
  );
  const ordered: string[] = [];
  const visit = (table: string, path: Set<string>) => {
    if (ordered.includes(table) || path.has(table)) return;
    path.add(table);
    for (const { child, parent } of edges) if (child === table && parent !== table) visit(parent, path);
    if (tables.includes(table)) ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

async function loadRows(db: Database, contents: BackupContents): Promise<void> {
  const current = rowsOf<{ table: string; column: string; serial: boolean }>(
    await db.execute(sql`
      select table_name as "table", column_name as "column", coalesce(column_default like 'nextval(%', false) as serial
      from information_schema.columns where table_schema = 'public' and is_generated = 'NEVER'`),
  );
  const byName = new Map(contents.tables.map((t) => [t.table, t]));
  for (const table of byName.keys()) {
    if (!current.some((c) => c.table === table)) {
      throw new RestoreError(`this backup holds a table "${table}" that this Weft does not know`);
    }
  }
  await db.transaction(async (tx) => {
    for (const table of await loadOrder(tx as unknown as Database, [...byName.keys()])) {
      const { columns, rows } = byName.get(table) as BackupContents["tables"][number];
      const names = columns.filter((c) => current.some((k) => k.table === table && k.column === c)).map(quote);
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = JSON.stringify(rows.slice(i, i + BATCH));
        const list = sql.raw(names.join(", "));
        await tx.execute(
          sql`insert into ${sql.raw(quote(table))} (${list}) select ${list} from json_populate_recordset(null::${sql.raw(quote(table))}, ${batch}::json)`,
        );
      }
    }
    // Sequences (the queue's and sign-in attempts' ids) continue after the restored rows.
    for (const { table, column } of current.filter((c) => c.serial)) {
      const [t, c] = [quote(table), quote(column)];
      await tx.execute(
        sql.raw(
          `select setval(pg_get_serial_sequence('${t.replaceAll("'", "''")}', '${column.replaceAll("'", "''")}'), coalesce((select max(${c}) from ${t}), 0) + 1, false)`,
        ),
      );
    }
  });
}

async function isEmptyDatabase(handle: DatabaseHandle): Promise<boolean> {
  const [row] = rowsOf<{ n: string | number }>(
    await handle.db.execute(
      sql`select count(*) as n from information_schema.tables where table_schema in ('public', 'drizzle')`,
    ),
  );
  return Number(row?.n ?? 0) === 0;
}

/** Restores `contents` into `target`; refuses a target that is not empty, changing nothing. */
export async function restoreBackup(contents: BackupContents, target: RestoreTarget): Promise<void> {
  const { manifest } = contents;
  const secretFile = manifest.secret.source === "file" ? secretPath(target.dataDir) : undefined;
  if (target.kind === "pglite" && !(await isEmptyFolder(target.dataDir))) {
    throw new RestoreError(`${target.dataDir} is not empty; restore into a new or empty folder`);
  }
  if (secretFile && target.kind === "postgres") {
    const existing = await existingSecret(target.dataDir);
    if (existing !== undefined && existing !== manifest.secret.value) {
      throw new RestoreError(`${secretFile} holds another secret; move it away or choose another WEFT_DATA_DIR`);
    }
  }
  const migrations = await migrationsUpTo(manifest.migration.when);
  let handle: DatabaseHandle | undefined;
  try {
    handle =
      target.kind === "pglite"
        ? await openDatabase({ kind: "pglite", dataDir: target.dataDir })
        : await openDatabase({ kind: "postgres", url: target.url });
    if (target.kind === "postgres" && !(await isEmptyDatabase(handle))) {
      throw new RestoreError("the database is not empty; restore into a newly created database");
    }
    await migrateDatabase(handle, migrations.folder);
    await loadRows(handle.db, contents);
    await migrateDatabase(handle);
    await handle.close();
    handle = undefined;
    if (secretFile) {
      await mkdir(target.dataDir, { recursive: true });
      await writeFile(secretFile, `${manifest.secret.value}\n`, { mode: 0o600 });
    }
  } catch (error) {
    await handle?.close().catch(() => {});
    // The folder was empty before: leave nothing half restored in it.
    if (target.kind === "pglite") await rm(target.dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    await migrations.remove();
  }
}
