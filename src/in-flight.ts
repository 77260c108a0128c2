// Counts the requests a node is still answering, so that closing the node
// waits for them before it closes the database under them. A test network
// (or a restart) cuts connections without waiting; the handlers behind them
// keep running and would otherwise fail on a closed database midway.
import type { MiddlewareHandler } from "hono";

export class RequestsInFlight {
  #count = 0;
  #idle: Array<() => void> = [];

  get count(): number {
    return this.#count;
  }

  readonly middleware: MiddlewareHandler = async (_c, next) => {
    this.#count++;
    try {
      await next();
    } finally {
      if (--this.#count === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  };

  /** Resolves when no request is in flight, or after `timeoutMs`, whichever comes first. */
  settled(timeoutMs: number): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref?.();
      this.#idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
