// Fault injection for crash tests: with WEFT_FAULT=<point>:<unit> the node
// kills itself (SIGKILL, as a power cut or the OOM killer would) when it
// reaches that point, so tests can check what survives. Points: `after-store`
// (the change is written, its activities not yet queued), `before-commit`
// (both written, not committed), `after-commit` (committed, not delivered),
// and `handling:queue` (a queued message claimed and being delivered).
import type { Config } from "./config.ts";

export function crashPoint(config: Pick<Config, "fault">, point: string): void {
  if (config.fault !== point) return;
  process.kill(process.pid, "SIGKILL");
  // The signal may land a moment later: run nothing more of ours meanwhile.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
