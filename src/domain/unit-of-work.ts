// A use case's change and the activities it causes, committed together (the
// transactional outbox, src/db/unit-of-work.ts), with the crash points the
// crash tests kill the node at (src/fault.ts).
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { runInTransaction } from "../db/unit-of-work.ts";
import { crashPoint } from "../fault.ts";

/**
 * Runs `fn` (store, then send) in one transaction named `unit` for the crash
 * points. Hold no remote fetch in it: on PGlite the node's other queries wait
 * for it.
 */
export async function inTransaction<T>(
  services: { db: Database; config: Pick<Config, "fault"> },
  unit: string,
  fn: () => Promise<T>,
): Promise<T> {
  const result = await runInTransaction(services.db, async () => {
    const value = await fn();
    crashPoint(services.config, `before-commit:${unit}`);
    return value;
  });
  crashPoint(services.config, `after-commit:${unit}`);
  return result;
}

/** The crash point between storing the change and queueing its activities. */
export function afterStore(config: Pick<Config, "fault">, unit: string): void {
  crashPoint(config, `after-store:${unit}`);
}
