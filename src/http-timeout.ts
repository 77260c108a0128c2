// A time limit for every HTTP request the node makes: fetching actors and
// keys, WebFinger, and delivering activities. Fedify calls the global fetch
// without a signal, so a receiver that accepts the connection and never
// answers would hold a delivery slot until Node's own limit (300 s for the
// headers); with 16 slots, a few such servers stall every delivery. The
// limit is installed on the global fetch by main.ts, for the node's process
// only; an aborted delivery is retried by Fedify like any failed one.

let installed: { original: typeof fetch; timeoutMs: number } | undefined;

/** Makes every later `fetch()` in this process give up after `timeoutMs` (the last call wins). */
export function installFetchTimeout(timeoutMs: number): void {
  if (installed) {
    installed.timeoutMs = timeoutMs;
    return;
  }
  const state = { original: globalThis.fetch, timeoutMs };
  installed = state;
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
    const signals = [AbortSignal.timeout(state.timeoutMs)];
    if (init?.signal) signals.push(init.signal);
    else if (input instanceof Request) signals.push(input.signal);
    return state.original(input, { ...init, signal: AbortSignal.any(signals) });
  };
}
