// Fast recovery for the queue: a node restarted after a crash takes back the
// messages its previous process had claimed at once, instead of waiting for
// their leases to lapse (a minute by default).
//
// It can know that process is gone in two ways. On PGlite the node holds the
// data folder's lock, so no other process uses the database: every lease it
// finds at start is a dead process's. On PostgreSQL several processes may
// share the queue, so each worker records itself (queue_workers: id, host,
// pid); a worker recorded on this host whose process no longer runs, or
// whose pid is now ours without being one of this process's workers (a
// restarted container), is gone. Workers on other hosts are never judged:
// their leases lapse as before, so no message is ever handled twice.
import { hostname } from "node:os";
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { logger } from "../logging.ts";
import type { Database } from "./client.ts";
import { queueMessages, queueWorkers } from "./schema.ts";

const log = logger("queue");

/** The workers of this process: a recorded worker with our pid but not in here is a previous process's. */
const workersHere = new Set<string>();

/** Whether process `pid` runs on this host (EPERM: it does, as another user). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Records worker `workerId` of this process and hands back, unclaimed, the
 * messages of the workers that are certainly gone (all others' when
 * `exclusive`: the database is this process's alone). Returns how many.
 */
export async function recoverStaleLeases(db: Database, workerId: string, exclusive: boolean): Promise<number> {
  const me = { id: workerId, hostname: hostname(), pid: process.pid };
  workersHere.add(workerId);
  const taken = await db.transaction(async (tx) => {
    let gone: string[] | null = null;
    if (exclusive) {
      await tx.delete(queueWorkers).where(ne(queueWorkers.id, workerId));
    } else {
      const recorded = await tx.select().from(queueWorkers).where(eq(queueWorkers.hostname, me.hostname));
      gone = recorded
        .filter((w) => !workersHere.has(w.id) && (w.pid === me.pid || !processRuns(w.pid)))
        .map((w) => w.id);
      if (gone.length === 0) return [];
      await tx.delete(queueWorkers).where(inArray(queueWorkers.id, gone));
    }
    return await tx
      .update(queueMessages)
      .set({ lockedUntil: null, lockedBy: null })
      .where(
        gone === null
          ? and(sql`${queueMessages.lockedBy} IS NOT NULL`, ne(queueMessages.lockedBy, workerId))
          : inArray(queueMessages.lockedBy, gone),
      )
      .returning({ id: queueMessages.id });
  });
  await db.insert(queueWorkers).values(me).onConflictDoNothing();
  if (taken.length > 0) {
    log.info("Took back {count} queued messages of a process that ended", { count: taken.length });
  }
  return taken.length;
}

/** Removes the record of a worker that stopped cleanly. */
export async function forgetWorker(db: Database, workerId: string): Promise<void> {
  workersHere.delete(workerId);
  await db.delete(queueWorkers).where(eq(queueWorkers.id, workerId));
}
