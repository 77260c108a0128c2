// Regional hubs: nodes subscribe to a relay and learn each other's public listings.
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, settled, startNode, type TestNode } from "../support/network.ts";

const capacity = {
  kind: "capacity",
  category: "apparel/cut-and-sew",
  rate: { amount: "2000", unit: "H87", per: "P1W" },
  region: "US-NC",
};

async function join(member: TestNode, hub: TestNode) {
  const res = await member.api("POST", "/relays", { handle: `relay@${new URL(hub.origin).host}` });
  expect(res.status).toBe(202);
  await eventually(async () => (await member.api("GET", "/relays")).body.items[0]?.state === "accepted");
}

async function searchTitles(node: TestNode, q: string): Promise<string[]> {
  return (await node.api("GET", `/search?q=${encodeURIComponent(q)}`)).body.items.map((l: any) => l.title);
}

describe("relays", () => {
  let hub: TestNode;
  let a: TestNode;
  let b: TestNode;
  beforeAll(async () => {
    hub = await startNode({ env: { WEFT_RELAY: "on" } });
    a = await startNode();
    b = await startNode();
    await join(a, hub);
    await join(b, hub);
  });

  it("serves the relay actor by WebFinger as relay@host", async () => {
    const jrd = await (await hub.get(`/.well-known/webfinger?resource=acct:relay@${new URL(hub.origin).host}`)).json();
    const self = jrd.links.find((l: any) => l.rel === "self").href;
    const actor = await (await fetch(self, { headers: { accept: "application/activity+json" } })).json();
    expect(actor.type).toBe("Application");
    expect(actor.preferredUsername).toBe("relay");
  });

  it("passes a member's public listings to the other members, who never followed it", async () => {
    await a.api("POST", "/listings", { ...capacity, title: "Hub-shared sewing capacity" });
    const hit = await eventually(async () => {
      const items = (await b.api("GET", "/search?q=hub-shared")).body.items;
      return items[0];
    });
    expect(hit.from).toMatchObject({ coop: a.actorUrl, via: "relay" });
    // b never followed a.
    expect((await b.api("GET", "/following")).body.items).toEqual([]);
  });

  it("passes edits and removals on too", async () => {
    const created = await a.api("POST", "/listings", { ...capacity, title: "Relayed then edited" });
    await eventually(async () => (await searchTitles(b, "relayed")).includes("Relayed then edited"));
    await a.api("PATCH", `/listings/${created.body.id}`, { title: "Relayed and changed" });
    await eventually(async () => (await searchTitles(b, "relayed")).includes("Relayed and changed"));
    // The edit replaced the listing: the old title is gone, not kept beside it.
    expect(await searchTitles(b, "relayed")).toEqual(["Relayed and changed"]);
    expect((await a.api("DELETE", `/listings/${created.body.id}`)).status).toBe(204);
    await eventually(async () => (await searchTitles(b, "relayed")).length === 0);
  });

  it("withdraws a listing narrowed from public from the members, but not from its followers among them", async () => {
    // c is a member too, and follows a: it may keep the followers-only version.
    const c = await startNode();
    await join(c, hub);
    await c.api("POST", "/following", { handle: a.account });
    await eventually(async () => (await c.api("GET", "/following")).body.items[0]?.state === "accepted");
    const created = await a.api("POST", "/listings", { ...capacity, title: "Narrowed capacity" });
    await eventually(async () => (await searchTitles(b, "narrowed")).includes("Narrowed capacity"));
    await eventually(async () => (await searchTitles(c, "narrowed")).includes("Narrowed capacity"));

    const narrowed = await a.api("PATCH", `/listings/${created.body.id}`, {
      title: "Narrowed capacity, members only",
      visibility: "followers",
    });
    expect(narrowed.status).toBe(200);
    await eventually(async () => (await searchTitles(b, "narrowed")).length === 0);
    await eventually(async () => (await searchTitles(c, "narrowed")).includes("Narrowed capacity, members only"));
    // Whatever order the follower got the two in, it keeps the new version.
    await settled(a, hub, b, c);
    expect(await searchTitles(c, "narrowed")).toEqual(["Narrowed capacity, members only"]);
    expect(await searchTitles(b, "narrowed")).toEqual([]);
  });

  it("never passes followers-only or partner listings through the hub", async () => {
    await a.api("POST", "/listings", { ...capacity, title: "Members only capacity", visibility: "followers" });
    await a.api("POST", "/listings", { ...capacity, title: "Partner capacity", visibility: [hub.actorUrl] });
    // A public marker sent after them arrives; the private ones never do.
    await a.api("POST", "/listings", { ...capacity, title: "Marker after private" });
    await eventually(async () => (await searchTitles(b, "marker")).length === 1);
    await settled(a, hub, b);
    expect(await searchTitles(b, "members")).toEqual([]);
    expect(await searchTitles(b, "partner")).toEqual([]);
  });

  it("stops passing listings after a member leaves", async () => {
    const relay = (await b.api("GET", "/relays")).body.items[0];
    expect((await b.api("DELETE", `/relays/${relay.id}`)).status).toBe(204);
    expect((await b.api("GET", "/relays")).body.items).toEqual([]);
    // The hub has taken b off its members before a publishes.
    await settled(a, hub, b);
    await a.api("POST", "/listings", { ...capacity, title: "After leaving" });
    await settled(a, hub, b);
    expect(await searchTitles(b, "leaving")).toEqual([]);
  });

  it("rejects bad relay requests", async () => {
    expect((await a.api("POST", "/relays", {})).status).toBe(400);
    expect((await a.api("POST", "/relays", { actor: "not a url" })).status).toBe(400);
    expect((await a.api("DELETE", "/relays/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });
});
