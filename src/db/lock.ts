// A pid file in the data folder: only one process may open a PGlite folder.
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";

export class DataDirLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The data folder ${dataDir} is in use by another Weft process (pid ${pid}). ` +
        "Stop it first, or use the CLI commands that talk to the running node.",
    );
    this.name = "DataDirLockedError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function acquireDataDirLock(dataDir: string): Promise<{ release(): Promise<void> }> {
  const path = join(dataDir, "weft.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, "wx");
      await file.writeFile(String(process.pid));
      await file.close();
      return { release: () => rm(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new DataDirLockedError(dataDir, pid);
      }
      // A stale lock from a process that died (kill -9): take it over.
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}`);
}
