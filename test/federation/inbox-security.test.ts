// The inbox accepts only activities signed by their actor's own key.
import { generateCryptoKeyPair, signRequest } from "@fedify/fedify";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, startNetwork, type TestNode } from "../support/network.ts";

function followOf(actor: string, object: string) {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${actor.replace(/\/coops\/.*/, "")}/activities/${crypto.randomUUID()}`,
    type: "Follow",
    actor,
    object,
  };
}

function inboxPost(target: TestNode, body: string): Request {
  return new Request(`${target.origin}/coops/coop/inbox`, {
    method: "POST",
    headers: { "content-type": "application/activity+json", accept: "application/activity+json" },
    body,
  });
}

describe("inbox signature verification", () => {
  let sender: TestNode;
  let target: TestNode;
  let stranger: TestNode;
  beforeAll(async () => {
    [sender, target, stranger] = (await startNetwork(3)) as [TestNode, TestNode, TestNode];
  });

  async function followersOfTarget() {
    return (await target.api("GET", "/followers")).body.items;
  }

  it("rejects an unsigned POST with 401 and stores nothing", async () => {
    const res = await fetch(inboxPost(target, JSON.stringify(followOf(sender.actorUrl, target.actorUrl))));
    expect(res.status).toBe(401);
    expect(await followersOfTarget()).toEqual([]);
  });

  it("rejects a POST signed with a key that is not the actor's (forged keyId)", async () => {
    const { privateKey } = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const request = inboxPost(target, JSON.stringify(followOf(sender.actorUrl, target.actorUrl)));
    const signed = await signRequest(request, privateKey, new URL(`${sender.actorUrl}#main-key`));
    const res = await fetch(signed);
    expect(res.status).toBe(401);
    expect(await followersOfTarget()).toEqual([]);
  });

  it("rejects an activity signed by one co-op on behalf of another", async () => {
    // Correctly signed by `stranger`, but claiming to come from `sender`.
    const [rsa] = stranger.node.deps.services.keyPairs;
    const request = inboxPost(target, JSON.stringify(followOf(sender.actorUrl, target.actorUrl)));
    const signed = await signRequest(request, rsa!.privateKey, new URL(`${stranger.actorUrl}#main-key`));
    const res = await fetch(signed);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await followersOfTarget()).toEqual([]);
  });

  it("rejects a signed request whose body was altered after signing", async () => {
    const [rsa] = sender.node.deps.services.keyPairs;
    const request = inboxPost(target, JSON.stringify(followOf(sender.actorUrl, target.actorUrl)));
    const signed = await signRequest(request, rsa!.privateKey, new URL(`${sender.actorUrl}#main-key`));
    const tampered = new Request(signed.url, {
      method: "POST",
      headers: signed.headers,
      body: JSON.stringify(followOf(stranger.actorUrl, target.actorUrl)),
    });
    expect((await fetch(tampered)).status).toBe(401);
    expect(await followersOfTarget()).toEqual([]);
  });

  it("rejects malformed JSON with a 400, even when signed", async () => {
    const [rsa] = sender.node.deps.services.keyPairs;
    const signed = await signRequest(
      inboxPost(target, '{"type": "Follow", '),
      rsa!.privateKey,
      new URL(`${sender.actorUrl}#main-key`),
    );
    const res = await fetch(signed);
    expect(res.status).toBe(400);
    expect(await followersOfTarget()).toEqual([]);
  });

  it("accepts the same Follow when it is properly signed by its actor", async () => {
    const [rsa] = sender.node.deps.services.keyPairs;
    const signed = await signRequest(
      inboxPost(target, JSON.stringify(followOf(sender.actorUrl, target.actorUrl))),
      rsa!.privateKey,
      new URL(`${sender.actorUrl}#main-key`),
    );
    const res = await fetch(signed);
    expect(res.status).toBe(202);
    // Inbox work is queued: the follower appears once the queue handled it.
    const followers = await eventually(async () => {
      const items = await followersOfTarget();
      return items.length > 0 && items;
    });
    expect(followers.map((f: { actor: { iri: string } }) => f.actor.iri)).toEqual([sender.actorUrl]);
  });
});
