// The backup file's format, shared by the node that writes it
// (domain/backup.ts) and `weft restore` that reads it (db/restore.ts).
//
// A backup is gzip-compressed JSON lines, portable between PGlite and
// PostgreSQL: a manifest line, then for each table a line naming it and its
// columns followed by one line per row (PostgreSQL's row_to_json, which
// json_populate_recordset reads back losslessly), then an end line with the
// counts, so a truncated file is refused rather than half restored.

export const BACKUP_FORMAT = "weft-backup";
export const BACKUP_FORMAT_VERSION = 1;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  /** The Weft version that wrote it. */
  weft: string;
  driver: "pglite" | "postgres";
  createdAt: string;
  /** The newest migration applied (drizzle's `when`, its folderMillis); restore applies up to it, then the rest. */
  migration: { when: number; count: number };
  /**
   * The API token secret. `file`: the node kept it in its data folder, and
   * restore writes it back there; `env`: it came from WEFT_SECRET, which the
   * restored node must be given again.
   */
  secret: { source: "file" | "env"; value: string };
}

/** A line after the manifest. */
export type BackupLine =
  | { table: string; columns: string[] }
  | { row: Record<string, unknown> }
  | { end: true; tables: number; rows: number };
