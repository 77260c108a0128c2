// /healthz and /readyz, for process managers and load balancers. healthz
// says the process answers (nothing else is checked, so a slow database does
// not get a live process restarted); readyz says whether this process can do
// its work: the database answers (the queue depth is read from it, within a
// time limit) and the queue worker runs (when this process has one). A
// failing readyz is 503, so a load balancer sends requests elsewhere.
import { Hono } from "hono";
import { logger } from "../logging.ts";

/** What readyz looks at; the node (src/node.ts) provides it. */
export interface HealthProbes {
  /** Messages waiting in the delivery queue; reads the database. */
  queueDepth(): Promise<{ queued: number; ready?: number; delayed?: number }>;
  /** `off` for a process started without the worker (WEFT_QUEUE_WORKER=false). */
  queueWorker(): "running" | "stopped" | "off";
}

/** How long readyz waits for the database before calling it unreachable. */
const DATABASE_TIMEOUT_MS = 2_000;

async function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(probes: HealthProbes): Hono {
  const health = new Hono();
  // Never cached: a load balancer must see the state of now. (Set per route:
  // a `use("*")` here would apply to every path of the app this is mounted in.)
  const noStore = { "cache-control": "no-store" };
  health.get("/healthz", (c) => c.json({ status: "ok" }, 200, noStore));
  health.get("/readyz", async (c) => {
    const worker = probes.queueWorker();
    let depth: Awaited<ReturnType<HealthProbes["queueDepth"]>> | null = null;
    try {
      depth = await withinTime(probes.queueDepth(), DATABASE_TIMEOUT_MS);
    } catch (error) {
      // The reason goes to the log, not to whoever asks (it may name hosts).
      logger("health").warning("Not ready: the database did not answer: {error}", { error });
    }
    const ready = depth !== null && worker !== "stopped";
    return c.json(
      {
        status: ready ? "ready" : "not ready",
        database: depth === null ? { status: "unreachable" } : { status: "ok" },
        queueWorker: worker,
        queue: depth,
      },
      ready ? 200 : 503,
      noStore,
    );
  });
  return health;
}
