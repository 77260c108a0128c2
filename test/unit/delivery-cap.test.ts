// The cap on deliveries in flight per host: a POST beyond the cap waits for
// one to be answered, other hosts and GETs are not held back, and a waiting
// delivery that is aborted leaves the line without taking a slot.
import { describe, expect, it } from "vitest";
import { capDeliveriesPerHost } from "../../src/delivery-cap.ts";

/** A stand-in for the network: each call waits until the test answers it. */
function network() {
  const calls: Array<{ url: string; method: string; answer: () => void }> = [];
  const fetchFn = ((input: string | URL | Request, init?: RequestInit) =>
    new Promise<Response>((resolve) => {
      calls.push({
        url: String(input),
        method: init?.method ?? "GET",
        answer: () => resolve(new Response(null, { status: 202 })),
      });
    })) as typeof fetch;
  return { calls, fetchFn };
}

const post = { method: "POST", body: "{}" };

describe("capDeliveriesPerHost", () => {
  it("lets at most the cap of POSTs reach one host at once, the rest in their turn", async () => {
    const { calls, fetchFn } = network();
    const capped = capDeliveriesPerHost(fetchFn, 2);
    const toA = [1, 2, 3, 4].map((i) => capped(`https://a.example/inbox?${i}`, post));
    const toB = capped("https://b.example/inbox", post);
    const lookup = capped("https://a.example/coops/coop");
    await expect.poll(() => calls.length).toBe(4);
    expect(calls.map((c) => c.url)).toEqual([
      "https://a.example/inbox?1",
      "https://a.example/inbox?2",
      "https://b.example/inbox",
      "https://a.example/coops/coop",
    ]);
    calls[0]!.answer();
    expect((await toA[0]!).status).toBe(202);
    await expect.poll(() => calls.length).toBe(5);
    expect(calls[4]!.url).toBe("https://a.example/inbox?3");
    for (const call of calls) call.answer();
    await expect.poll(() => calls.length).toBe(6);
    calls[5]!.answer();
    await Promise.all([...toA, toB, lookup]);
    expect(calls.filter((c) => c.url.startsWith("https://a.example/inbox"))).toHaveLength(4);
  });

  it("drops an aborted delivery from the line without using a slot", async () => {
    const { calls, fetchFn } = network();
    const capped = capDeliveriesPerHost(fetchFn, 1);
    const first = capped("https://a.example/inbox?1", post);
    const stop = new AbortController();
    const aborted = capped("https://a.example/inbox?2", { ...post, signal: stop.signal });
    const third = capped("https://a.example/inbox?3", post);
    await expect.poll(() => calls.length).toBe(1);
    stop.abort(new Error("gave up"));
    await expect(aborted).rejects.toThrow("gave up");
    calls[0]!.answer();
    await first;
    await expect.poll(() => calls.length).toBe(2);
    expect(calls[1]!.url).toBe("https://a.example/inbox?3");
    calls[1]!.answer();
    expect((await third).status).toBe(202);
  });
});
