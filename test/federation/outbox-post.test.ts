// The actor's outbox takes POSTs from the node itself only (it sends its
// order activities through it): anyone else is refused and nothing is sent,
// even with an HTTP signature by the co-op's own key.
import { signRequest } from "@fedify/fedify";
import { beforeAll, describe, expect, it } from "vitest";
import { startNetwork, type TestNode } from "../support/network.ts";

describe("POST to a co-op's outbox", () => {
  let a: TestNode;
  let b: TestNode;
  beforeAll(async () => {
    [a, b] = (await startNetwork(2)) as [TestNode, TestNode];
  });

  /** A Follow of b by a: were a's outbox to forward it, b would gain a follower. */
  function post(headers: Record<string, string> = {}): Request {
    return new Request(`${a.actorUrl}/outbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json", ...headers },
      body: JSON.stringify({
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${a.origin}/activities/${crypto.randomUUID()}`,
        type: "Follow",
        actor: a.actorUrl,
        object: b.actorUrl,
        to: b.actorUrl,
      }),
    });
  }

  async function expectNothingSent(response: Response): Promise<void> {
    expect(response.status).toBe(401);
    // Forwarding queues the delivery before answering: nothing may be queued.
    expect((await a.api("GET", "/node")).body.queue.queued).toBe(0);
    expect((await b.api("GET", "/followers")).body.items).toEqual([]);
  }

  it("is refused without the node's secret", async () => {
    await expectNothingSent(await fetch(post()));
    await expectNothingSent(await fetch(post({ "weft-outbox-secret": Buffer.alloc(32, 7).toString("base64url") })));
  });

  it("is refused when signed with the co-op's own key", async () => {
    const [rsa] = a.node.deps.services.keyPairs;
    await expectNothingSent(await fetch(await signRequest(post(), rsa!.privateKey, new URL(`${a.actorUrl}#main-key`))));
  });

  it("still serves the outbox to GET", async () => {
    const res = await fetch(`${a.actorUrl}/outbox`, { headers: { accept: "application/activity+json" } });
    expect(res.status).toBe(200);
    expect((await res.json()).type).toBe("OrderedCollection");
  });
});
