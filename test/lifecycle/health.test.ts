// /healthz and /readyz for process managers and load balancers: healthz
// answers while the process runs; readyz reports the database, the queue
// worker and the queue's depth, and turns 503 when the database stops
// answering or when the worker has stopped.
import { describe, expect, it } from "vitest";
import { startNode } from "../support/network.ts";

describe("health endpoints", () => {
  it("say live and ready, with the queue's depth, on a running node", async () => {
    const node = await startNode();
    const live = await node.get("/healthz");
    expect(live.status).toBe(200);
    expect(live.headers.get("cache-control")).toBe("no-store");
    expect(await live.json()).toEqual({ status: "ok" });
    // Only these two answers are kept from caches, not the node's other pages.
    expect((await node.get("/")).headers.get("cache-control")).not.toBe("no-store");

    // A delivery waiting for a partner that is not there shows in the depth.
    await node.node.queue.enqueue({ probe: true }, { delay: Temporal.Duration.from({ hours: 1 }) });
    const ready = await node.get("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      database: { status: "ok" },
      queueWorker: "running",
      queue: { queued: 1, ready: 0, delayed: 1 },
    });
  });

  it("say ready without a queue worker when the process was started without one", async () => {
    const node = await startNode({ env: { WEFT_QUEUE_WORKER: "false" } });
    const ready = await node.get("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", queueWorker: "off" });
  });

  it("say not ready (503) once the database stops answering, while healthz stays up", async () => {
    const node = await startNode();
    await node.node.database.close();
    const ready = await node.get("/readyz");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "not ready", database: { status: "unreachable" } });
    expect((await node.get("/healthz")).status).toBe(200);
  });

  it("say not ready (503) once the queue worker has stopped", async () => {
    const node = await startNode();
    // close() stops the worker (and closes the database); the HTTP server still answers.
    const closing = node.node.close();
    await closing;
    const ready = await node.get("/readyz");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "not ready", queueWorker: "stopped" });
  });
});
