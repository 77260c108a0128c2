// RequestsInFlight: close() of a node waits for the requests it is answering.
// Every step waits on the handlers themselves (they say when they started)
// and on a test clock for the time limit, never on the machine's speed.
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RequestsInFlight } from "../../src/in-flight.ts";

/** One turn of the event loop: long enough for any promise already due to resolve. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An app whose GET /held/:name stays open until the test releases that name. */
function heldApp(inFlight: RequestsInFlight) {
  const started = new Map<string, () => void>();
  const releases = new Map<string, () => void>();
  const app = new Hono();
  app.use("*", inFlight.middleware);
  app.get("/held/:name", async (c) => {
    const name = c.req.param("name");
    await new Promise<void>((resolve) => {
      releases.set(name, resolve);
      started.get(name)?.();
    });
    if (name === "failing") throw new Error("handler failed");
    return c.text(`done ${name}`);
  });
  app.onError((_error, c) => c.text("failed", 500));
  return {
    /** Sends the request and resolves, with its answer still pending, once the handler runs. */
    async send(name: string): Promise<{ answer: Promise<Response>; release: () => void }> {
      const running = new Promise<void>((resolve) => started.set(name, resolve));
      const answer = Promise.resolve(app.request(`/held/${name}`));
      await running;
      return { answer, release: () => releases.get(name)?.() };
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("RequestsInFlight", () => {
  it("settles when the last request in flight is answered, not before", async () => {
    const inFlight = new RequestsInFlight();
    const app = heldApp(inFlight);
    const first = await app.send("first");
    const second = await app.send("second");
    expect(inFlight.count).toBe(2);
    let settled = false;
    const waiting = inFlight.settled(600_000).then(() => {
      settled = true;
    });

    first.release();
    expect(await (await first.answer).text()).toBe("done first");
    await turn();
    expect(inFlight.count).toBe(1);
    expect(settled).toBe(false);

    second.release();
    expect(await (await second.answer).text()).toBe("done second");
    await waiting;
    expect(settled).toBe(true);
    expect(inFlight.count).toBe(0);
  });

  it("counts a request whose handler failed as answered", async () => {
    const inFlight = new RequestsInFlight();
    const app = heldApp(inFlight);
    const failing = await app.send("failing");
    expect(inFlight.count).toBe(1);
    failing.release();
    expect((await failing.answer).status).toBe(500);
    expect(inFlight.count).toBe(0);
    await expect(Promise.race([inFlight.settled(600_000).then(() => "settled"), turn()])).resolves.toBe("settled");
  });

  it("gives up waiting after the timeout, and not before", async () => {
    const inFlight = new RequestsInFlight();
    const stuck = await heldApp(inFlight).send("stuck");
    // The test holds the clock: the timer settled() sets fires when we say.
    const timers: { fire: () => void; ms: number | undefined }[] = [];
    vi.spyOn(globalThis, "setTimeout").mockImplementation(((fire: () => void, ms?: number) => {
      timers.push({ fire, ms });
      return { unref() {} } as unknown as NodeJS.Timeout;
    }) as typeof setTimeout);
    let settled = false;
    const waiting = inFlight.settled(50).then(() => {
      settled = true;
    });
    vi.restoreAllMocks();
    expect(timers.map((t) => t.ms)).toEqual([50]);
    await turn();
    expect(settled).toBe(false);
    timers[0]?.fire();
    await waiting;
    expect(settled).toBe(true);
    // It stopped waiting; the request itself is still in flight.
    expect(inFlight.count).toBe(1);
    stuck.release();
    await stuck.answer;
    expect(inFlight.count).toBe(0);
  });

  it("settles at once when nothing is in flight", async () => {
    const inFlight = new RequestsInFlight();
    const first = await Promise.race([inFlight.settled(600_000).then(() => "settled"), turn().then(() => "waiting")]);
    expect(first).toBe("settled");
    expect(inFlight.count).toBe(0);
  });
});
