// The discovery scenario end to end, on a loopback network of six nodes in
// two regions, each region with its hub (a node running the relay):
//
//   North Carolina: hubNC (relay, US-NC), knit (US-NC, the searcher), sew (US-NC)
//   Portugal:       hubPT (relay and also a co-op, PT-13), porto (PT-13)
//   elsewhere:      quiet (US-SC), which asked not to be discovered
//
// knit joins both hubs, sew joins hubNC, porto joins hubPT. knit follows sew;
// hubPT and quiet follow sew too, so a crawl from knit reaches them.
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, settled, startNode, type TestNode } from "../support/network.ts";
import { follows } from "../support/orders.ts";

const PORTO = { lat: 41.15, lon: -8.61 };
const MORGANTON = { lat: 35.745, lon: -81.685 };

const capacity = {
  kind: "capacity",
  category: "apparel/cut-and-sew",
  rate: { amount: "2000", unit: "H87", per: "P1W" },
  availableFrom: "2027-02-01",
  availableUntil: "2027-02-28",
};

async function profile(node: TestNode, patch: Record<string, unknown>): Promise<void> {
  const res = await node.api("PATCH", "/node", patch);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function join(member: TestNode, hub: TestNode): Promise<void> {
  const relay = `relay@${new URL(hub.origin).host}`;
  const res = await member.api("POST", "/relays", { handle: relay });
  expect(res.status).toBe(202);
  await eventually(async () =>
    (await member.api("GET", "/relays")).body.items.some(
      (r: any) => r.actor === `${hub.origin}/coops/relay` && r.state === "accepted",
    ),
  );
}

async function publish(node: TestNode, listing: Record<string, unknown>): Promise<any> {
  const res = await node.api("POST", "/listings", listing);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function search(node: TestNode, query: string): Promise<any[]> {
  const res = await node.api("GET", `/search?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

const titles = async (node: TestNode, query: string) => (await search(node, query)).map((l) => l.title).sort();

async function coops(node: TestNode, query = ""): Promise<any[]> {
  const res = await node.api("GET", `/coops${query ? `?${query}` : ""}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

const actorsOf = (items: any[]) => items.map((c) => c.actor).sort();

describe("discovery across a network of co-ops and hubs", () => {
  let hubNC: TestNode;
  let hubPT: TestNode;
  let knit: TestNode;
  let sew: TestNode;
  let porto: TestNode;
  let quiet: TestNode;

  beforeAll(async () => {
    hubNC = await startNode({ env: { WEFT_RELAY: "on" } });
    hubPT = await startNode({ env: { WEFT_RELAY: "on" } });
    knit = await startNode();
    sew = await startNode();
    porto = await startNode();
    quiet = await startNode();
    await profile(hubNC, { name: "Carolina Hub", region: "US-NC" });
    await profile(hubPT, { name: "Hub Norte", region: "PT-13" });
    await profile(knit, { name: "Burke Knit", region: "US-NC" });
    await profile(sew, { name: "Sew Morganton", region: "US-NC" });
    await profile(porto, { name: "Costura Porto", region: "PT-13" });
    await profile(quiet, { name: "Quiet Mill", region: "US-SC", discoverable: false });
    await join(knit, hubNC);
    await join(knit, hubPT);
    await join(sew, hubNC);
    await join(porto, hubPT);
  });

  it("(a) finds capacity in the other region through the hubs", async () => {
    await publish(porto, {
      ...capacity,
      title: "Costura em Portugal",
      description: "Cut and sew of knit tops in Porto",
      region: "PT-13",
      location: PORTO,
    });
    await publish(sew, {
      ...capacity,
      title: "Morganton sewing line",
      region: "US-NC",
      location: MORGANTON,
    });
    const [hit] = await eventually(async () => {
      const items = await search(knit, "category=apparel/cut-and-sew&region=PT");
      return items.length > 0 ? items : null;
    });
    expect(hit).toMatchObject({
      title: "Costura em Portugal",
      region: "PT-13",
      location: PORTO,
      author: porto.actorUrl,
      local: false,
      from: { coop: porto.actorUrl, via: "relay" },
    });
    // Same-region capacity arrives through hubNC.
    const [nc] = await eventually(async () => {
      const items = await search(knit, "category=apparel/cut-and-sew&region=US-NC");
      return items.length > 0 ? items : null;
    });
    expect(nc).toMatchObject({ title: "Morganton sewing line", from: { coop: sew.actorUrl, via: "relay" } });
    // Near Porto, sorted by distance, only Porto's capacity is within 50 km.
    expect(await titles(knit, `near=${PORTO.lat},${PORTO.lon}&radiusKm=50`)).toEqual(["Costura em Portugal"]);
    // The hubs pass on only within their own members: porto is not a member of hubNC.
    await settled(hubNC, hubPT, knit, sew, porto, quiet);
    expect(await titles(porto, "q=morganton")).toEqual([]);
    // knit never followed porto.
    expect((await knit.api("GET", "/following")).body.items).toEqual([]);
  });

  // BUG: a listing learned through a hub never stores its author (no
  // rememberActor() on the relay path of src/federation/inbox/listing.ts),
  // so the hit has no handle or name and the co-op is not in the directory.
  it("(a) names the co-op behind a relayed listing, and remembers it as known via relay", async () => {
    const [hit] = await search(knit, "category=apparel/cut-and-sew&region=PT");
    expect(hit.from).toMatchObject({
      coop: porto.actorUrl,
      handle: porto.account,
      name: "Costura Porto",
      via: "relay",
      coopKnownVia: "relay",
    });
  });

  it("(b) finds a co-op it never followed through a partner's collections, leaving out one that asked not to be found", async () => {
    await follows(knit, sew);
    await follows(hubPT, sew);
    await follows(quiet, sew);
    // hubPT is a co-op too; its listings reach nobody here by federation (no followers, no hubs).
    await publish(hubPT, {
      ...capacity,
      title: "Malhas do Norte knitwear",
      category: "apparel/knitwear",
      region: "PT-13",
      location: { lat: 41.44, lon: -8.29 },
    });
    await publish(quiet, { ...capacity, title: "Quiet sewing capacity", region: "US-SC" });
    expect(await titles(knit, "q=malhas")).toEqual([]);

    const started = await knit.api("POST", "/crawls", { depth: 2, maxActors: 500, ratePerSecond: 50 });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: "running", depth: 2, maxActors: 500 });
    const job = await eventually(async () => {
      const res = await knit.api("GET", `/crawls/${started.body.id}`);
      return res.body.state === "done" ? res.body : null;
    });
    expect(job.error).toBeNull();
    expect(job.discovered).toBeGreaterThanOrEqual(1);
    expect(job.skipped).toBeGreaterThanOrEqual(1);
    expect(job.listings).toBeGreaterThanOrEqual(1);
    expect(job.finishedAt).not.toBeNull();
    expect((await knit.api("GET", "/crawls")).body.items.map((c: any) => c.id)).toContain(job.id);

    const directory = await coops(knit);
    const found = directory.find((c) => c.actor === hubPT.actorUrl);
    expect(found).toMatchObject({
      handle: hubPT.account,
      name: "Hub Norte",
      region: "PT-13",
      knownVia: "crawl",
      categories: ["apparel/knitwear"],
      listings: 1,
    });
    expect(actorsOf(directory)).not.toContain(quiet.actorUrl);

    const [hit] = await search(knit, "q=malhas");
    expect(hit).toMatchObject({
      title: "Malhas do Norte knitwear",
      from: { coop: hubPT.actorUrl, via: "crawl", coopKnownVia: "crawl" },
    });
    expect(await titles(knit, "q=quiet")).toEqual([]);
    expect((await search(knit, "region=US-SC")).map((l) => l.author)).not.toContain(quiet.actorUrl);
  });

  it("(c) never sees a private listing, whether through hubs or crawls", async () => {
    // Through the hub: porto's followers-only and partner listings, then a public marker.
    await publish(porto, { ...capacity, title: "Porto members slot", region: "PT-13", visibility: "followers" });
    await publish(porto, { ...capacity, title: "Porto partner slot", region: "PT-13", visibility: [hubNC.actorUrl] });
    // Through the crawl: hubPT's followers-only and partner listings.
    await publish(hubPT, { ...capacity, title: "Norte members slot", region: "PT-13", visibility: "followers" });
    await publish(hubPT, { ...capacity, title: "Norte partner slot", region: "PT-13", visibility: [sew.actorUrl] });
    await publish(porto, { ...capacity, title: "Porto public marker", region: "PT-13" });
    await eventually(async () => (await titles(knit, "q=marker")).length === 1);

    const crawl = await knit.api("POST", "/crawls", { depth: 2, ratePerSecond: 50 });
    expect(crawl.status).toBe(202);
    await eventually(async () => (await knit.api("GET", `/crawls/${crawl.body.id}`)).body.state === "done");
    await settled(hubNC, hubPT, knit, sew, porto, quiet);

    expect(await titles(knit, "q=slot")).toEqual([]);
    expect(await titles(knit, "region=PT&includeExpired=true")).toEqual([
      "Costura em Portugal",
      "Malhas do Norte knitwear",
      "Porto public marker",
    ]);
    for (const item of await search(knit, "region=PT")) expect(item.visibility).toBe("public");
  });

  it("(d) filters the directory by region and by category", async () => {
    const pt = await coops(knit, "region=PT");
    expect(actorsOf(pt)).toContain(hubPT.actorUrl);
    expect(actorsOf(await coops(knit, "region=PT-13"))).toContain(hubPT.actorUrl);
    expect(actorsOf(await coops(knit, "region=PT-11"))).toEqual([]);
    const nc = actorsOf(await coops(knit, "region=US-NC"));
    expect(nc).toContain(sew.actorUrl);
    expect(nc).not.toContain(hubPT.actorUrl);
    expect(nc).not.toContain(porto.actorUrl);
    expect(actorsOf(await coops(knit, "region=US"))).not.toContain(quiet.actorUrl);
    expect(actorsOf(await coops(knit, "region=US-SC"))).toEqual([]);
    // Co-ops with such listings; a category matches its sub-categories.
    const cutAndSew = await coops(knit, "category=apparel/cut-and-sew");
    expect(actorsOf(cutAndSew)).toContain(sew.actorUrl);
    expect(actorsOf(cutAndSew)).not.toContain(hubPT.actorUrl);
    expect(actorsOf(await coops(knit, "category=apparel/knitwear"))).toEqual([hubPT.actorUrl]);
    expect(actorsOf(await coops(knit, "category=apparel"))).toEqual(
      expect.arrayContaining([hubPT.actorUrl, sew.actorUrl]),
    );
    expect(actorsOf(await coops(knit, "category=apparel/knitwear&region=US"))).toEqual([]);
    expect(actorsOf(await coops(knit, "category=textile"))).toEqual([]);
    const sewEntry = cutAndSew.find((c) => c.actor === sew.actorUrl);
    expect(sewEntry).toMatchObject({ region: "US-NC", categories: ["apparel/cut-and-sew"], listings: 1 });
    // First met through hubNC (once relayed authors are remembered), else when knit followed it.
    expect(["relay", "following"]).toContain(sewEntry.knownVia);
    for (const [query, field] of [
      ["region=Portugal", "query.region"],
      ["category=Apparel", "query.category"],
    ]) {
      const res = await knit.api("GET", `/coops?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    }
  });

  // BUG (as above): porto, met only through hubPT, is missing from the directory.
  it("(d) lists the co-ops met through a hub in the directory, with region and categories", async () => {
    expect(actorsOf(await coops(knit, "region=PT"))).toEqual([hubPT.actorUrl, porto.actorUrl].sort());
    expect(actorsOf(await coops(knit, "category=apparel/cut-and-sew"))).toEqual([porto.actorUrl, sew.actorUrl].sort());
    const found = (await coops(knit, "region=PT")).find((c) => c.actor === porto.actorUrl);
    expect(found).toMatchObject({
      handle: porto.account,
      name: "Costura Porto",
      region: "PT-13",
      knownVia: "relay",
      categories: ["apparel/cut-and-sew"],
      listings: 2,
    });
  });
});
