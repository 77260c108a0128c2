// Listing bodies: each invalid one is a 400 naming its fields, and nothing is stored.
import { beforeAll, describe, expect, it } from "vitest";
import { startNode, type TestNode } from "../support/network.ts";

const offer = {
  kind: "offer",
  title: "Organic cotton jersey, 180 gsm",
  category: "textile/fabric/knit",
  quantity: { amount: "500", unit: "MTR" },
  minimumOrder: { amount: "50", unit: "MTR" },
  price: { amount: "7.40", currency: "USD", per: "MTR" },
  region: "US-NC",
  availableFrom: "2027-01-04",
  availableUntil: "2027-03-31",
};

describe("listings API", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode();
  });

  async function storedCount(): Promise<number> {
    return (await node.api("GET", "/listings")).body.items.length;
  }

  const invalid: [string, Record<string, unknown>, string[]][] = [
    ["minimum above quantity", { minimumOrder: { amount: "600", unit: "MTR" } }, ["minimumOrder.amount"]],
    ["end before start", { availableUntil: "2026-12-01" }, ["availableUntil"]],
    ["unknown unit", { quantity: { amount: "500", unit: "METRES" } }, ["quantity.unit"]],
    ["unknown currency", { price: { amount: "7.40", currency: "XYZ", per: "MTR" } }, ["price.currency"]],
    ["float money", { price: { amount: 7.4, currency: "USD", per: "MTR" } }, ["price.amount"]],
    ["exponent quantity", { quantity: { amount: "5e2", unit: "MTR" } }, ["quantity.amount"]],
    ["price per another unit", { price: { amount: "7.40", currency: "USD", per: "KGM" } }, ["price.per"]],
    ["bad region", { region: "North Carolina" }, ["region"]],
    ["bad category", { category: "Textile Fabric" }, ["category"]],
    ["bad date", { availableFrom: "04/01/2027" }, ["availableFrom"]],
    ["rate on an offer", { rate: { amount: "10", unit: "H87", per: "P1W" } }, ["rate"]],
    ["unknown field", { colour: "blue" }, []],
    ["bad visibility", { visibility: "everyone" }, ["visibility"]],
    ["latitude out of range", { location: { lat: 95, lon: 0 } }, ["location.lat"]],
    ["missing title", { title: undefined }, ["title"]],
  ];

  for (const [name, change, fields] of invalid) {
    it(`rejects ${name}`, async () => {
      const before = await storedCount();
      const res = await node.api("POST", "/listings", { ...offer, ...change });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const named = res.body.errors.map((e: { field: string }) => e.field);
      for (const field of fields) expect(named).toContain(field);
      expect(await storedCount()).toBe(before);
    });
  }

  it("needs a rate for capacity, in a known unit and period", async () => {
    const capacity = { kind: "capacity", title: "Cut and sew, knit tops", category: "apparel/cut-and-sew" };
    expect((await node.api("POST", "/listings", capacity)).body.errors.map((e: any) => e.field)).toContain("rate");
    const badPeriod = await node.api("POST", "/listings", {
      ...capacity,
      rate: { amount: "2000", unit: "H87", per: "weekly" },
    });
    expect(badPeriod.body.errors.map((e: any) => e.field)).toContain("rate.per");
    const ok = await node.api("POST", "/listings", { ...capacity, rate: { amount: "2000", unit: "H87", per: "P1W" } });
    expect(ok.status).toBe(201);
    expect(ok.body.rate).toEqual({ amount: "2000", unit: "H87", per: "P1W" });
  });

  it("creates, filters, edits and removes a listing", async () => {
    const created = await node.api("POST", "/listings", { ...offer, description: "Combed *ring-spun* yarn" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: "offer",
      status: "active",
      visibility: "public",
      price: { amount: "7.40", currency: "USD", per: "MTR" },
      availableFrom: "2027-01-04T00:00:00.000Z",
      availableUntil: "2027-03-31T23:59:59.999Z",
    });
    expect(created.body.descriptionHtml).toBe("<p>Combed <em>ring-spun</em> yarn</p>");
    const id = created.body.id;
    expect((await node.api("GET", "/listings?category=textile")).body.items.map((l: any) => l.id)).toContain(id);
    expect((await node.api("GET", "/listings?category=textile/fab")).body.items.map((l: any) => l.id)).not.toContain(
      id,
    );
    expect((await node.api("GET", "/listings?kind=need")).body.items.map((l: any) => l.id)).not.toContain(id);
    expect((await node.api("GET", "/listings?kind=sale")).status).toBe(400);

    // An invalid edit changes nothing.
    const rejected = await node.api("PATCH", `/listings/${id}`, { minimumOrder: { amount: "900", unit: "MTR" } });
    expect(rejected.status).toBe(400);
    expect((await node.api("GET", `/listings/${id}`)).body.minimumOrder).toEqual({ amount: "50", unit: "MTR" });
    expect((await node.api("PATCH", `/listings/${id}`, { kind: "need" })).status).toBe(400);

    const paused = await node.api("PATCH", `/listings/${id}`, { status: "paused", title: "Jersey (paused)" });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      status: "paused",
      title: "Jersey (paused)",
      description: "Combed *ring-spun* yarn",
    });
    expect((await node.api("GET", "/listings?status=paused")).body.items.map((l: any) => l.id)).toEqual([id]);

    expect((await node.api("DELETE", `/listings/${id}`)).status).toBe(204);
    expect((await node.api("GET", `/listings/${id}`)).status).toBe(404);
    expect((await node.api("DELETE", `/listings/${id}`)).status).toBe(404);
  });

  it("needs the write scope to publish", async () => {
    const res = await node.api("POST", "/listings", offer, { token: await node.token(["read"]) });
    expect(res.status).toBe(403);
  });

  it("pages the timeline newest first with a cursor, and filters it", async () => {
    for (let i = 1; i <= 5; i++) {
      await node.api("POST", "/listings", { ...offer, title: `Page test ${i}`, category: "textile/paging" });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/timeline?category=textile/paging&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page = (await node.api("GET", query)).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((l: any) => l.title));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(["Page test 5", "Page test 4", "Page test 3", "Page test 2", "Page test 1"]);
    expect((await node.api("GET", "/timeline?kind=need&category=textile/paging")).body.items).toEqual([]);
  });

  it("rejects a bad timeline cursor or limit", async () => {
    expect((await node.api("GET", "/timeline?cursor=nonsense")).status).toBe(400);
    expect((await node.api("GET", "/timeline?limit=0")).status).toBe(400);
    expect((await node.api("GET", "/timeline?limit=abc")).status).toBe(400);
  });
});
