// The test network: real nodes (test/support/launch.ts), each with a fresh
// database on the driver of the current Vitest project, stopped after the
// test file.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { DatabaseSource } from "../../src/db/client.ts";
import { createTestDatabase, testDriver } from "./databases.ts";
import { launchNode, type TestNode } from "./launch.ts";

export type { ApiResponse, TestNode } from "./launch.ts";

export interface NodeOptions {
  handle?: string;
  env?: Record<string, string>;
  /**
   * Keep the database on disk (PGlite folder) so the node can be restarted
   * with the same data; in-memory test databases vanish on stop.
   */
  persistent?: boolean;
}

const running = new Set<TestNode>();

afterAll(async () => {
  await Promise.all([...running].map((n) => n.stop().catch(() => {})));
  running.clear();
});

export async function startNode(options: NodeOptions = {}): Promise<TestNode> {
  let database: DatabaseSource;
  let cleanup: () => Promise<void>;
  let dataDir: string | undefined;
  if (options.persistent && testDriver() === "pglite") {
    const dir = await mkdtemp(join(tmpdir(), "weft-node-"));
    dataDir = dir;
    database = { kind: "pglite", dataDir: dir };
    cleanup = () => rm(dir, { recursive: true, force: true });
  } else {
    const created = await createTestDatabase();
    database = created.source;
    cleanup = created.drop;
  }
  const node = await launchNode({ database, cleanup, handle: options.handle, dataDir, env: options.env });
  running.add(node);
  return node;
}

export async function startNetwork(count: number, options: NodeOptions = {}): Promise<TestNode[]> {
  const nodes: TestNode[] = [];
  // Sequentially: PGlite instances are CPU-bound to create, and the machine has two cores.
  for (let i = 0; i < count; i++) nodes.push(await startNode(options));
  return nodes;
}

/**
 * Polls `check` until it returns a truthy value (or stops throwing), or fails
 * after `timeoutMs`. The default is far beyond what an idle machine needs
 * (it returns as soon as the check passes), so a busy machine does not fail.
 */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 60_000,
): Promise<Exclude<T, null | undefined | false>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Exclude<T, null | undefined | false>;
      lastError = new Error("condition still false");
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Waits until every node given is idle (test/support/launch.ts), twice in a
 * row with no work started or ended in between: a message handled on one
 * node may enqueue on another. Use it before asserting that something did
 * NOT arrive; a fixed sleep would pass wrongly on a slow machine.
 */
export async function settled(...nodes: TestNode[]): Promise<void> {
  const timeoutMs = 120_000;
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  while (quietRounds < 2) {
    const before = nodes.map((n) => n.queueActivity);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`settled(): the nodes' queues were still busy after ${timeoutMs / 1000} s`)),
        Math.max(0, deadline - Date.now()),
      );
    });
    try {
      await Promise.race([Promise.all(nodes.map((n) => n.idle())), timeout]);
    } finally {
      clearTimeout(timer);
    }
    quietRounds = nodes.every((n, i) => n.queueActivity === before[i]) ? quietRounds + 1 : 0;
  }
}
