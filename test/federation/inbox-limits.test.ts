// Limits on what reaches the node: API requests per address, inbox
// deliveries per address and per signing server (429 with Retry-After), and
// inbound activities too big, too deep or with too many order lines (413 or
// 400, nothing stored). The limits are set low here; the defaults are far
// above what the rest of the suite sends.
import { signRequest } from "@fedify/fedify";
import { describe, expect, it } from "vitest";
import { ORDER_EVENT_MEDIA_TYPE } from "../../src/federation/order-vocab.ts";
import { startNode, type TestNode } from "../support/network.ts";

/** POSTs `activity` to `target`'s shared inbox, signed with `signer`'s key when given. */
async function deliver(target: TestNode, activity: object, signer?: TestNode, headers: Record<string, string> = {}) {
  const request = new Request(`${target.origin}/inbox`, {
    method: "POST",
    headers: { "content-type": "application/activity+json", ...headers },
    body: JSON.stringify(activity),
  });
  if (!signer) return fetch(request);
  const [rsa] = signer.node.deps.services.keyPairs;
  return fetch(await signRequest(request, rsa!.privateKey, new URL(`${signer.actorUrl}#main-key`)));
}

/** A Delete of something the target never had: accepted (202) and harmless. */
function deleteOf(actor: TestNode) {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actor.origin}/activities/${crypto.randomUUID()}`,
    type: "Delete",
    actor: actor.actorUrl,
    object: `${actor.origin}/listings/${crypto.randomUUID()}`,
  };
}

/** A 429 saying to wait at most `most` seconds (less when the requests before it took a while). */
async function expectTooMany(response: Response, most: number) {
  expect(response.status).toBe(429);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(most);
  expect(await response.json()).toMatchObject({ status: 429, retryAfter });
}

describe("rate limits", () => {
  it("answer an address's API requests over the limit with 429 and Retry-After", async () => {
    const node = await startNode({ env: { WEFT_RATE_LIMIT_API: "3" } });
    for (let i = 0; i < 3; i++) expect((await node.api("GET", "/listings")).status).toBe(200);
    // 3 a minute: one more after at most 20 s.
    const over = await fetch(new URL("/api/v1/listings", node.origin), {
      headers: { authorization: `Bearer ${await node.token()}` },
    });
    await expectTooMany(over, 20);
  });

  it("answer an address's inbox deliveries over the limit with 429 before reading them", async () => {
    const node = await startNode({ env: { WEFT_RATE_LIMIT_INBOX: "2" } });
    const stranger = { origin: "https://elsewhere.example", actorUrl: "https://elsewhere.example/coops/coop" };
    for (let i = 0; i < 2; i++) {
      expect((await deliver(node, deleteOf(stranger as TestNode))).status).toBe(401);
    }
    await expectTooMany(await deliver(node, deleteOf(stranger as TestNode)), 30);
  });

  it("count a server's deliveries only once they are verified, and refuse the one over its limit", async () => {
    const partner = await startNode();
    const node = await startNode({ env: { WEFT_RATE_LIMIT_INBOX_SERVER: "2" } });
    // Forgeries naming the partner's key are refused by their signature and do not use up its allowance.
    const forged = `keyId="${partner.actorUrl}#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="AAAA"`;
    for (let i = 0; i < 3; i++) {
      expect((await deliver(node, deleteOf(partner), undefined, { signature: forged })).status).toBe(401);
    }
    for (let i = 0; i < 2; i++) expect((await deliver(node, deleteOf(partner), partner)).status).toBe(202);
    await expectTooMany(await deliver(node, deleteOf(partner), partner), 30);
  });
});

describe("inbound activity limits", () => {
  it("refuse an activity too big, too deep or with too many order lines, and store nothing", async () => {
    const partner = await startNode();
    const node = await startNode({
      env: { WEFT_ACTIVITY_MAX_BYTES: "4096", WEFT_ACTIVITY_MAX_DEPTH: "10", WEFT_ORDER_MAX_LINES: "3" },
    });

    const big = { ...deleteOf(partner), summary: "x".repeat(5000) };
    const tooBig = await deliver(node, big, partner);
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ status: 413, detail: "Activities are limited to 4096 bytes" });

    let nested: object = { type: "Note" };
    for (let i = 0; i < 12; i++) nested = { type: "Note", inReplyTo: nested };
    const tooDeep = await deliver(node, { ...deleteOf(partner), object: nested }, partner);
    expect(tooDeep.status).toBe(400);
    expect(await tooDeep.json()).toMatchObject({ detail: "Activities may nest at most 10 levels deep" });

    const line = (n: number) => ({ id: `l${n}`, listing: `${node.origin}/listings/x`, quantity: { amount: "1" } });
    const envelope = {
      order: `${partner.origin}/orders/${crypto.randomUUID()}`,
      buyer: partner.actorUrl,
      seller: node.actorUrl,
      event: { type: "place", payload: { terms: { lines: [1, 2, 3, 4].map(line) } } },
    };
    const offer = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${partner.origin}/activities/${crypto.randomUUID()}`,
      type: "Offer",
      actor: partner.actorUrl,
      to: node.actorUrl,
      object: {
        id: envelope.order,
        type: "Note",
        attachment: [{ type: "Document", mediaType: ORDER_EVENT_MEDIA_TYPE, content: JSON.stringify(envelope) }],
      },
    };
    const tooLong = await deliver(node, offer, partner);
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ detail: "Orders are limited to 3 lines; this one has 4" });

    expect((await node.api("GET", "/orders")).body.items).toEqual([]);
    expect((await node.api("GET", "/timeline")).body.items).toEqual([]);
    // Within the limits, the same sender is heard.
    expect((await deliver(node, deleteOf(partner), partner)).status).toBe(202);
  });
});
