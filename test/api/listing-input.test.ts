// Listing bodies: each invalid one is a 400 naming its fields, and nothing is stored.
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, type BodyOf, expectProblem, expectStatus, type QueryOf, reply } from "../support/api.ts";
import { startNode, type TestNode } from "../support/network.ts";

type ListingInput = BodyOf<Api["listings"]["$post"]>;

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
} satisfies ListingInput;

describe("listings API", () => {
  let node: TestNode;
  let api: Api;
  beforeAll(async () => {
    node = await startNode();
    api = node.client();
  });

  async function listings(query: QueryOf<Api["listings"]["$get"]> = {}) {
    const res = await reply(api.listings.$get({ query }));
    expectStatus(res, 200);
    return res.body.items;
  }

  async function storedCount(): Promise<number> {
    return (await listings()).length;
  }

  /** POST /listings with a body that may be of the wrong shape (cast: the node must refuse it itself). */
  function publish(body: Record<string, unknown>) {
    return reply(api.listings.$post({ json: body as unknown as ListingInput }));
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
      const res = await publish({ ...offer, ...change });
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      const named = (expectProblem(res, 400).errors ?? []).map((e) => e.field);
      for (const field of fields) expect(named).toContain(field);
      expect(await storedCount()).toBe(before);
    });
  }

  it("needs a rate for capacity, in a known unit and period", async () => {
    const capacity = { kind: "capacity", title: "Cut and sew, knit tops", category: "apparel/cut-and-sew" } as const;
    const named = async (body: Record<string, unknown>) =>
      (expectProblem(await publish(body), 400).errors ?? []).map((e) => e.field);
    expect(await named(capacity)).toContain("rate");
    expect(await named({ ...capacity, rate: { amount: "2000", unit: "H87", per: "weekly" } })).toContain("rate.per");
    const ok = await reply(
      api.listings.$post({ json: { ...capacity, rate: { amount: "2000", unit: "H87", per: "P1W" } } }),
    );
    expectStatus(ok, 201);
    expect(ok.body.rate).toEqual({ amount: "2000", unit: "H87", per: "P1W" });
  });

  it("creates, filters, edits and removes a listing", async () => {
    const created = await reply(api.listings.$post({ json: { ...offer, description: "Combed *ring-spun* yarn" } }));
    expectStatus(created, 201);
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
    const ids = async (query: QueryOf<Api["listings"]["$get"]>) => (await listings(query)).map((l) => l.id);
    expect(await ids({ category: "textile" })).toContain(id);
    expect(await ids({ category: "textile/fab" })).not.toContain(id);
    expect(await ids({ kind: "need" })).not.toContain(id);
    const sale = { kind: "sale" } as unknown as QueryOf<Api["listings"]["$get"]>;
    expect((await reply(api.listings.$get({ query: sale }))).status).toBe(400);

    // An invalid edit changes nothing.
    const listing = api.listings[":id"];
    const rejected = await reply(
      listing.$patch({ param: { id }, json: { minimumOrder: { amount: "900", unit: "MTR" } } }),
    );
    expect(rejected.status).toBe(400);
    const unchanged = await reply(listing.$get({ param: { id } }));
    expectStatus(unchanged, 200);
    expect(unchanged.body.minimumOrder).toEqual({ amount: "50", unit: "MTR" });
    const kind = { kind: "need" } as unknown as BodyOf<typeof listing.$patch>;
    expect((await reply(listing.$patch({ param: { id }, json: kind }))).status).toBe(400);

    const paused = await reply(listing.$patch({ param: { id }, json: { status: "paused", title: "Jersey (paused)" } }));
    expectStatus(paused, 200);
    expect(paused.body).toMatchObject({
      status: "paused",
      title: "Jersey (paused)",
      description: "Combed *ring-spun* yarn",
    });
    expect(await ids({ status: "paused" })).toEqual([id]);

    expect((await reply(listing.$delete({ param: { id } }))).status).toBe(204);
    expect((await reply(listing.$get({ param: { id } }))).status).toBe(404);
    expect((await reply(listing.$delete({ param: { id } }))).status).toBe(404);
  });

  it("needs the write scope to publish", async () => {
    const res = await reply(node.client(await node.token(["read"])).listings.$post({ json: offer }));
    expect(res.status).toBe(403);
  });

  it("pages the timeline newest first with a cursor, and filters it", async () => {
    for (let i = 1; i <= 5; i++) {
      await reply(api.listings.$post({ json: { ...offer, title: `Page test ${i}`, category: "textile/paging" } }));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: QueryOf<Api["timeline"]["$get"]> = {
        category: "textile/paging",
        limit: "2",
        cursor: cursor ?? undefined,
      };
      const page = await reply(api.timeline.$get({ query }));
      expectStatus(page, 200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((l) => l.title));
      cursor = page.body.next;
    } while (cursor);
    expect(seen).toEqual(["Page test 5", "Page test 4", "Page test 3", "Page test 2", "Page test 1"]);
    const needs = await reply(api.timeline.$get({ query: { kind: "need", category: "textile/paging" } }));
    expectStatus(needs, 200);
    expect(needs.body.items).toEqual([]);
  });

  it("rejects a bad timeline cursor or limit", async () => {
    for (const query of [{ cursor: "nonsense" }, { limit: "0" }, { limit: "abc" }]) {
      expect((await reply(api.timeline.$get({ query }))).status, JSON.stringify(query)).toBe(400);
    }
  });
});
