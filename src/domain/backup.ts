// Reads the whole database for a backup, consistently, while the node runs:
// every table in one read-only REPEATABLE READ transaction, so the copy is
// one moment of the database even while deliveries and requests write.
// The format is in db/backup-format.ts; restoring is db/restore.ts.
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, type BackupLine, type BackupManifest } from "../db/backup-format.ts";
import { type Database, rowsOf } from "../db/client.ts";
import { VERSION } from "../version.ts";

export interface BackupSource {
  db: Database;
  driver: "pglite" | "postgres";
  secret: BackupManifest["secret"];
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The database as a backup file (gzip). It is built in memory: a co-op's
 * database is tens of megabytes, and on PGlite the transaction holds the
 * one connection, so it ends as soon as the rows are read rather than at
 * the pace of whoever downloads the file.
 */
export async function dumpDatabase(source: BackupSource): Promise<Buffer> {
  const lines: string[] = [];
  let rowCount = 0;
  let tableCount = 0;
  const push = (line: BackupManifest | BackupLine) => lines.push(JSON.stringify(line));
  await source.db.transaction(
    async (tx) => {
      const migrations = rowsOf<{ when: string | number | null; count: string | number }>(
        await tx.execute(sql`select max(created_at) as "when", count(*) as "count" from drizzle.__drizzle_migrations`),
      )[0];
      push({
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        weft: VERSION,
        driver: source.driver,
        createdAt: new Date().toISOString(),
        migration: { when: Number(migrations?.when ?? 0), count: Number(migrations?.count ?? 0) },
        secret: source.secret,
      });
      // Generated columns (search vectors, prefixes) are left out: the
      // restored database computes them again.
      const columns = rowsOf<{ table: string; column: string }>(
        await tx.execute(sql`
          select c.table_name as "table", c.column_name as "column"
          from information_schema.columns c
          join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
          where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
          order by c.table_name, c.ordinal_position`),
      );
      const byTable = new Map<string, string[]>();
      for (const { table, column } of columns) byTable.set(table, [...(byTable.get(table) ?? []), column]);
      for (const [table, names] of byTable) {
        tableCount++;
        push({ table, columns: names });
        const rows = rowsOf<{ j: string }>(
          await tx.execute(sql.raw(`select row_to_json(t)::text as j from ${quote(table)} t`)),
        );
        for (const { j } of rows) {
          const row = JSON.parse(j) as Record<string, unknown>;
          for (const key of Object.keys(row)) if (!names.includes(key)) delete row[key];
          push({ row });
          rowCount++;
        }
      }
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  push({ end: true, tables: tableCount, rows: rowCount });
  return gzipSync(`${lines.join("\n")}\n`);
}
