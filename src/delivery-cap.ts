// A cap on deliveries in flight to one host. Fedify's queue worker runs up
// to 16 deliveries at once and would send all of them to one server when a
// fan-out (a listing to many followers on one hub, a burst of orders) puts
// them first in the queue; a small co-op's node on the other end should not
// get 16 connections at once from one partner. Fedify calls the global fetch
// for every delivery (there is no per-host option), so main.ts wraps the
// global fetch of the node's process, like the time limit (http-timeout.ts):
// a POST to a host that already has `perHost` in flight waits for one of
// them to be answered. GETs (actor and key lookups) are not held back. A
// delivery waiting here still holds its queue slot, so the cap spares the
// receiver, not our slots; the time limit bounds how long each one is held.

type Fetch = typeof fetch;

function hostOf(input: string | URL | Request): string {
  const url = input instanceof Request ? input.url : input;
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

function methodOf(input: string | URL | Request, init?: RequestInit): string {
  return (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
}

/** `fetchFn`, with at most `perHost` POSTs in flight to any one host; the rest wait their turn, in order. */
export function capDeliveriesPerHost(fetchFn: Fetch, perHost: number): Fetch {
  const hosts = new Map<string, { active: number; waiting: Array<() => void> }>();
  const release = (host: string) => {
    const state = hosts.get(host);
    if (!state) return;
    const next = state.waiting.shift();
    if (next) return next();
    if (--state.active === 0) hosts.delete(host);
  };
  const acquire = (host: string, signal: AbortSignal | null | undefined): Promise<void> | null => {
    const state = hosts.get(host) ?? { active: 0, waiting: [] };
    hosts.set(host, state);
    if (state.active < perHost) {
      state.active++;
      return null;
    }
    return new Promise<void>((resolve, reject) => {
      // The slot passes straight from the one that finished to this one.
      const take = () => {
        signal?.removeEventListener("abort", abort);
        resolve();
      };
      const abort = () => {
        const index = state.waiting.indexOf(take);
        if (index >= 0) state.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener("abort", abort, { once: true });
      state.waiting.push(take);
    });
  };
  return async (input, init) => {
    if (methodOf(input, init) !== "POST") return fetchFn(input, init);
    const host = hostOf(input);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const wait = acquire(host, signal);
    if (wait) await wait;
    try {
      return await fetchFn(input, init);
    } finally {
      release(host);
    }
  };
}

let installed = false;

/** Caps the deliveries of every later `fetch()` in this process (once; later calls change nothing). */
export function installDeliveryCap(perHost: number): void {
  if (installed) return;
  installed = true;
  globalThis.fetch = capDeliveriesPerHost(globalThis.fetch, perHost);
}
