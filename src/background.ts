// Work a node does outside any request (a crawl runs for minutes after the
// request that started it has been answered): tracked, so that closing the
// node stops it and waits for it rather than leaving it to run into a closed
// database.
import { logger } from "./logging.ts";

export class BackgroundTasks {
  readonly #running = new Map<Promise<void>, AbortController>();
  #closed = false;

  /** Runs `work` until it ends or the node closes (then `signal` aborts). */
  run(name: string, work: (signal: AbortSignal) => Promise<void>): void {
    if (this.#closed) throw new Error(`The node is closing; ${name} was not started`);
    const controller = new AbortController();
    const done: Promise<void> = work(controller.signal)
      .catch((error) => logger("background").error("{name} failed: {error}", { name, error }))
      .finally(() => this.#running.delete(done));
    this.#running.set(done, controller);
  }

  /** How many are running. */
  get size(): number {
    return this.#running.size;
  }

  /** Aborts every task and waits for all of them to end; no new ones start. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const controller of this.#running.values()) controller.abort(new Error("The node is closing"));
    await Promise.all(this.#running.keys());
  }
}
