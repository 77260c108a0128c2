// Needs and capacity finding each other across two co-ops that follow each
// other: knit needs tops sewn, sew has capacity.
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, startNode, type TestNode } from "../support/network.ts";
import { follows } from "../support/orders.ts";

const MORGANTON = { lat: 35.745, lon: -81.685 };
const FEBRUARY = { availableFrom: "2027-02-01", availableUntil: "2027-02-28" };

const need = {
  kind: "need",
  title: "Need 3000 tops sewn",
  category: "apparel/cut-and-sew",
  quantity: { amount: "3000", unit: "H87" },
  region: "US-NC",
  ...FEBRUARY,
};

const sewing = {
  kind: "capacity",
  title: "Cut and sew line, February",
  category: "apparel/cut-and-sew",
  rate: { amount: "2000", unit: "H87", per: "P1W" },
  region: "US-NC",
  location: MORGANTON,
  ...FEBRUARY,
};

// A weaker match: a parent category, another state, less capacity, no window.
const finishing = {
  kind: "capacity",
  title: "General apparel finishing",
  category: "apparel",
  rate: { amount: "500", unit: "H87", per: "P1W" },
  region: "US-SC",
};

// Not matches: another category line, and a window a year later.
const wovenShirts = {
  ...sewing,
  title: "Woven shirt making",
  category: "apparel/shirts-woven",
};
const nextYear = {
  ...sewing,
  title: "Cut and sew line, 2028",
  availableFrom: "2028-02-01",
  availableUntil: "2028-02-29",
};

async function publish(node: TestNode, listing: Record<string, unknown>): Promise<any> {
  const res = await node.api("POST", "/listings", listing);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function matches(node: TestNode, query = ""): Promise<any[]> {
  const res = await node.api("GET", `/matches${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

const pairs = (items: any[]) => items.map((m) => `${m.need.title} <- ${m.offer.title}`);

describe("matches", () => {
  let knit: TestNode;
  let sew: TestNode;
  let needIri: string;
  let sewingIri: string;

  beforeAll(async () => {
    knit = await startNode();
    sew = await startNode();
    await follows(knit, sew);
    // sew follows knit, so knit's need reaches sew too.
    await follows(sew, knit);
    needIri = (await publish(knit, need)).iri;
    sewingIri = (await publish(sew, sewing)).iri;
    await publish(sew, finishing);
    await publish(sew, wovenShirts);
    await publish(sew, nextYear);
    await eventually(async () => (await knit.api("GET", "/search?kind=capacity")).body.items.length === 4);
    await eventually(async () => (await sew.api("GET", "/search?kind=need")).body.items.length === 1);
  });

  it("lists the sew capacity first for knit's need, with reasons, as new", async () => {
    const items = await matches(knit);
    expect(pairs(items)).toEqual([
      "Need 3000 tops sewn <- Cut and sew line, February",
      "Need 3000 tops sewn <- General apparel finishing",
    ]);
    const [best, weaker] = items;
    expect(best.need).toMatchObject({ iri: needIri, local: true, kind: "need" });
    expect(best.offer).toMatchObject({ iri: sewingIri, local: false, author: sew.actorUrl, kind: "capacity" });
    expect(best.new).toBe(true);
    expect(best.score).toBeGreaterThan(weaker.score);
    const reasons = best.reasons.join("; ");
    expect(reasons).toContain("apparel/cut-and-sew");
    expect(reasons).toMatch(/2000/);
    expect(reasons).toMatch(/3000/);
    expect(weaker.reasons.join("; ")).toContain("related categories");
  });

  it("leaves out another category and a window that does not overlap", async () => {
    const offers = (await matches(knit)).map((m) => m.offer.title);
    expect(offers).not.toContain("Woven shirt making");
    expect(offers).not.toContain("Cut and sew line, 2028");
  });

  it("lists only new matches with new=true, none after they are marked seen", async () => {
    expect(await matches(knit, "?new=true")).toHaveLength(2);
    expect(await matches(knit, "?new=false")).toHaveLength(2);
    const seen = await knit.api("POST", "/matches/seen");
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({ marked: 2 });
    expect(await matches(knit, "?new=true")).toEqual([]);
    const all = await matches(knit);
    expect(all).toHaveLength(2);
    expect(all.every((m) => m.new === false)).toBe(true);
    expect((await knit.api("POST", "/matches/seen")).body).toEqual({ marked: 0 });
  });

  it("shows a later capacity as the only new match", async () => {
    await publish(sew, { ...sewing, title: "Second sewing line" });
    const fresh = await eventually(async () => {
      const items = await matches(knit, "?new=true");
      return items.length > 0 ? items : null;
    });
    expect(pairs(fresh)).toEqual(["Need 3000 tops sewn <- Second sewing line"]);
    expect(await matches(knit)).toHaveLength(3);
  });

  it("matches knit's need against sew's own capacity on sew", async () => {
    const items = await matches(sew);
    expect(items.map((m) => m.need.iri)).toEqual(items.map(() => needIri));
    expect(pairs(items)).toEqual(
      expect.arrayContaining([
        "Need 3000 tops sewn <- Cut and sew line, February",
        "Need 3000 tops sewn <- General apparel finishing",
      ]),
    );
    const [best] = items;
    expect(best.need).toMatchObject({ local: false, author: knit.actorUrl });
    expect(best.offer.local).toBe(true);
    expect(best.new).toBe(true);
    // knit marking its matches seen does not touch sew's.
    expect((await matches(sew, "?new=true")).length).toBe(items.length);
    expect(items.map((m) => m.offer.title)).not.toContain("Woven shirt making");
    expect(items.map((m) => m.offer.title)).not.toContain("Cut and sew line, 2028");
  });

  it("answers bad parameters with 400", async () => {
    for (const query of ["new=maybe", "new=1", "new="]) {
      const res = await knit.api("GET", `/matches?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errors.map((e: any) => e.field)).toContain("query.new");
    }
  });
});
