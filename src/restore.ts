// `weft restore FILE`, run by the CLI (src/cli/backup.ts) as a process of
// its own: the restore opens the database itself, which the CLI's layer
// never does, and no node may be running on the target. The target is the
// environment's: DATABASE_URL, else WEFT_DATA_DIR. Prints one line.
import "./node-version.ts";
import { readFile } from "node:fs/promises";
import { ConfigError, loadConfig } from "./config.ts";
import { DataDirLockedError } from "./db/lock.ts";
import { DatabaseFolderError } from "./db/pglite-init.ts";
import { RestoreError, readBackup, restoreBackup } from "./db/restore.ts";

async function restore(file: string, env: NodeJS.ProcessEnv): Promise<string> {
  const config = loadConfig(env);
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new RestoreError(`cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  });
  const contents = readBackup(bytes);
  await restoreBackup(
    contents,
    config.databaseUrl
      ? { kind: "postgres", url: config.databaseUrl, dataDir: config.dataDir }
      : { kind: "pglite", dataDir: config.dataDir },
  );
  const rows = contents.tables.reduce((n, t) => n + t.rows.length, 0);
  const { manifest } = contents;
  const where = config.databaseUrl ? "the database at DATABASE_URL" : config.dataDir;
  const secret =
    manifest.secret.source === "env" ? "; the node used WEFT_SECRET: start it with the same WEFT_SECRET" : "";
  return `Restored the backup of ${manifest.createdAt} (Weft ${manifest.weft}, ${rows} rows) into ${where}${secret}. Start the node on it.`;
}

if (import.meta.main) {
  try {
    process.stdout.write(`${await restore(process.argv[2] as string, process.env)}\n`);
  } catch (error) {
    const known = [RestoreError, ConfigError, DatabaseFolderError, DataDirLockedError].some((k) => error instanceof k);
    if (!known) throw error;
    process.stderr.write(`${(error as Error).message.replace(/\s*\n\s*/g, " ")}\n`);
    process.exitCode = 1;
  }
}
