// Who may talk to us, between real nodes with signatures on. Every test node
// is 127.0.0.1 on its own port, so the rules here name host:port: a rule
// with a port covers that node only (a bare host would cover them all).
import { signRequest } from "@fedify/fedify";
import { beforeAll, describe, expect, it } from "vitest";
import { getListingByIri } from "../../src/domain/listings.ts";
import { eventually, settled, startNetwork, startNode, type TestNode } from "../support/network.ts";
import { follows, type Market, openMarket, orderBody, orderOn } from "../support/orders.ts";

const capacity = {
  kind: "capacity",
  category: "apparel/cut-and-sew",
  rate: { amount: "2000", unit: "H87", per: "P1W" },
  region: "US-NC",
};

const hostOf = (node: TestNode) => new URL(node.origin).host;

async function titles(node: TestNode, path: string): Promise<string[]> {
  return (await node.api("GET", path)).body.items.map((l: any) => l.title);
}

async function rule(node: TestNode, kind: "block" | "allow", other: TestNode) {
  const res = await node.api("POST", "/domains", { domain: hostOf(other), kind, note: "test" });
  expect(res.status).toBe(201);
}

describe("blocking a server", () => {
  let us: TestNode;
  let blocked: TestNode;
  let friend: TestNode;
  beforeAll(async () => {
    [us, blocked, friend] = (await startNetwork(3)) as [TestNode, TestNode, TestNode];
    await follows(us, blocked);
    await follows(blocked, us);
    await follows(friend, us);
  });

  it("refuses bad rules and changes nothing", async () => {
    expect((await us.api("POST", "/domains", { domain: "not a host!", kind: "block" })).status).toBe(400);
    const own = await us.api("POST", "/domains", { domain: hostOf(us), kind: "block" });
    expect(own.status).toBe(400);
    expect(own.body.errors[0].field).toBe("domain");
    expect((await us.api("DELETE", "/domains/nobody.example?kind=block")).status).toBe(404);
    expect((await us.api("GET", "/domains")).body).toEqual({ mode: "open", items: [] });
  });

  it("hides a blocked server's listings from search and the timeline, and shows them again once unblocked", async () => {
    await blocked.api("POST", "/listings", { ...capacity, title: "Knitting before the block" });
    await eventually(async () => (await titles(us, "/search?q=knitting")).length === 1);
    await rule(us, "block", blocked);
    expect(await titles(us, "/search?q=knitting")).toEqual([]);
    expect(await titles(us, "/timeline")).not.toContain("Knitting before the block");
    expect((await us.api("GET", "/domains")).body.items).toMatchObject([{ domain: hostOf(blocked), kind: "block" }]);

    expect((await us.api("DELETE", `/domains/${encodeURIComponent(hostOf(blocked))}?kind=block`)).status).toBe(204);
    expect(await titles(us, "/search?q=knitting")).toEqual(["Knitting before the block"]);
    await rule(us, "block", blocked);
  });

  it("refuses a blocked server's activity at the front door with 403, storing nothing", async () => {
    const [rsa] = blocked.node.deps.services.keyPairs;
    const iri = `${blocked.origin}/listings/${crypto.randomUUID()}`;
    const create = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${blocked.origin}/activities/${crypto.randomUUID()}`,
      type: "Create",
      actor: blocked.actorUrl,
      to: "https://www.w3.org/ns/activitystreams#Public",
      object: { id: iri, type: "Note", attributedTo: blocked.actorUrl, content: "hello" },
    };
    const request = new Request(`${us.origin}/coops/coop/inbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify(create),
    });
    const res = await fetch(await signRequest(request, rsa!.privateKey, new URL(`${blocked.actorUrl}#main-key`)));
    expect(res.status).toBe(403);
    expect((await res.json()).detail).toContain(hostOf(blocked));
  });

  it("does not store what a blocked server publishes, nor deliver ours to it", async () => {
    const theirs = await blocked.api("POST", "/listings", { ...capacity, title: "Weaving after the block" });
    const ours = await us.api("POST", "/listings", { ...capacity, title: "Dyeing for our partners" });
    expect(ours.status).toBe(201);
    // The friend gets ours: delivery ran; the blocked server does not.
    await eventually(async () => (await titles(friend, "/timeline")).includes("Dyeing for our partners"));
    await settled(us, blocked, friend);
    expect(await titles(blocked, "/search?q=dyeing")).toEqual([]);
    expect(await titles(blocked, "/timeline")).not.toContain("Dyeing for our partners");
    // Looked for without the block filter: not in our database at all.
    expect(await getListingByIri(us.node.deps.services.db, theirs.body.iri)).toBeUndefined();
  });

  it("refuses to follow a blocked server, with a clear error", async () => {
    const res = await us.api("POST", "/following", { handle: `someone@${hostOf(blocked)}` });
    expect(res.status).toBe(422);
    expect(res.body.detail).toBe(`${hostOf(blocked)} is blocked on this node; unblock it first`);
  });
});

describe("allow-list mode (WEFT_FEDERATION=allowlist)", () => {
  let m: Market;
  let stranger: TestNode;
  beforeAll(async () => {
    const seller = await startNode({ env: { WEFT_FEDERATION: "allowlist" } });
    const [buyer, other] = (await startNetwork(2)) as [TestNode, TestNode];
    stranger = other;
    await rule(seller, "allow", buyer);
    m = await openMarket([seller, buyer]);
  });

  it("admits the listed server's follow and order", async () => {
    const placed = await m.buyer.api("POST", "/orders", orderBody(m));
    expect(placed.status).toBe(201);
    await eventually(async () => (await orderOn(m.seller, placed.body.iri))?.state === "sent");
  });

  it("refuses a follow from a server not on the list", async () => {
    expect((await stranger.api("POST", "/following", { handle: m.seller.account })).status).toBe(202);
    await settled(stranger, m.seller);
    expect((await m.seller.api("GET", "/followers")).body.items.map((f: any) => f.actor.iri)).toEqual([
      m.buyer.actorUrl,
    ]);
    expect((await stranger.api("GET", "/following")).body.items[0].state).toBe("pending");
  });

  it("refuses to follow a server not on the list", async () => {
    const res = await m.seller.api("POST", "/following", { handle: stranger.account });
    expect(res.status).toBe(422);
    expect(res.body.detail).toBe(`${hostOf(stranger)} is not on this node's allow list; allow it first`);
  });

  it("refuses orders once the server is taken off the list", async () => {
    expect((await m.seller.api("DELETE", `/domains/${hostOf(m.buyer)}?kind=allow`)).status).toBe(204);
    const placed = await m.buyer.api("POST", "/orders", orderBody(m));
    expect(placed.status).toBe(201);
    await settled(m.buyer, m.seller);
    expect(await orderOn(m.seller, placed.body.iri)).toBeUndefined();
  });
});

describe("hub admission", () => {
  async function ask(member: TestNode, hub: TestNode) {
    const res = await member.api("POST", "/relays", { handle: `relay@${hostOf(hub)}` });
    expect(res.status).toBe(202);
  }
  const relayState = async (member: TestNode) => (await member.api("GET", "/relays")).body.items[0]?.state;

  it("keeps a subscription pending until an owner approves it (approval)", async () => {
    const hub = await startNode({ env: { WEFT_RELAY: "on", WEFT_RELAY_ADMISSION: "approval" } });
    const [a, b] = (await startNetwork(2)) as [TestNode, TestNode];
    await ask(a, hub);
    await ask(b, hub);
    const waiting = await eventually(async () => {
      const items = (await hub.api("GET", "/relay/members")).body.items;
      return items.length === 2 ? items : null;
    });
    expect(waiting.map((w: any) => w.state)).toEqual(["pending", "pending"]);
    await settled(hub, a, b);
    expect(await relayState(a)).toBe("pending");

    const approved = await hub.api("POST", "/relay/members/approve", { actor: a.actorUrl });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ actor: a.actorUrl, state: "accepted" });
    await eventually(async () => (await relayState(a)) === "accepted");

    expect((await hub.api("POST", "/relay/members/reject", { actor: b.actorUrl })).status).toBe(204);
    await eventually(async () => (await relayState(b)) === "rejected");
    expect((await hub.api("GET", "/relay/members")).body.items.map((i: any) => i.actor)).toEqual([a.actorUrl]);
    expect((await hub.api("POST", "/relay/members/approve", { actor: b.actorUrl })).status).toBe(404);
  });

  it("admits only allowed servers (allowlist)", async () => {
    const hub = await startNode({ env: { WEFT_RELAY: "on", WEFT_RELAY_ADMISSION: "allowlist" } });
    const [a, b] = (await startNetwork(2)) as [TestNode, TestNode];
    await rule(hub, "allow", a);
    await ask(a, hub);
    await ask(b, hub);
    await eventually(async () => (await relayState(a)) === "accepted");
    await eventually(async () => (await relayState(b)) === "rejected");
    expect((await hub.api("GET", "/relay/members")).body.items.map((i: any) => i.actor)).toEqual([a.actorUrl]);
  });
});
