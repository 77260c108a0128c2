// The secret that signs API tokens. WEFT_SECRET when set (several processes
// sharing one PostgreSQL need the same one); otherwise a random secret kept
// in the data folder, created on first use. It is a file, not a database
// row, so the `weft` command can sign its own short-lived tokens while a node
// holds the PGlite folder.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "./config.ts";

export function secretPath(dataDir: string): string {
  return join(dataDir, "api-secret");
}

export async function loadOrCreateSecret(config: Pick<Config, "secret" | "dataDir">): Promise<string> {
  if (config.secret) return config.secret;
  const path = secretPath(config.dataDir);
  try {
    return (await readFile(path, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    await writeFile(path, `${secret}\n`, { flag: "wx", mode: 0o600 });
    return secret;
  } catch (error) {
    // Another process created it a moment ago: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return (await readFile(path, "utf8")).trim();
    throw error;
  }
}
