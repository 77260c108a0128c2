// RequestsInFlight: close() of a node waits for the requests it is answering.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { RequestsInFlight } from "../../src/in-flight.ts";

describe("RequestsInFlight", () => {
  it("settles when the last request in flight is answered, not before", async () => {
    const inFlight = new RequestsInFlight();
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const app = new Hono();
    app.use("*", inFlight.middleware);
    app.get("/slow", async (c) => {
      await released;
      return c.text("done");
    });
    const answer = app.request("/slow");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(inFlight.count).toBe(1);
    let settled = false;
    const waiting = inFlight.settled(5_000).then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    release();
    await waiting;
    expect(settled).toBe(true);
    expect(await (await answer).text()).toBe("done");
    expect(inFlight.count).toBe(0);
  });

  it("gives up waiting after the timeout", async () => {
    const inFlight = new RequestsInFlight();
    const app = new Hono();
    app.use("*", inFlight.middleware);
    app.get("/stuck", () => new Promise<Response>(() => {}));
    void app.request("/stuck");
    await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await inFlight.settled(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(inFlight.count).toBe(1);
  });

  it("settles at once when nothing is in flight", async () => {
    await new RequestsInFlight().settled(60_000);
  });
});
