// Search filters on hand-checked data: each filter is checked against the
// exact set of listings it must return.
import { beforeAll, describe, expect, it } from "vitest";
import { saveRemoteListing } from "../../src/domain/listings.ts";
import { startNode, type TestNode } from "../support/network.ts";

const base = { kind: "capacity", rate: { amount: "2000", unit: "H87", per: "P1W" } };
// Morganton NC; Asheville NC (~79 km); Greenville SC (~130 km); Porto PT (far).
const MORGANTON = { lat: 35.745, lon: -81.685 };
const fixtures = [
  {
    ...base,
    title: "Cut and sew, knit tops",
    description: "Sewing of jersey tops",
    category: "apparel/cut-and-sew",
    region: "US-NC",
    location: MORGANTON,
    availableFrom: "2027-02-01",
    availableUntil: "2027-02-28",
  },
  {
    ...base,
    title: "Sewing line for woven shirts",
    category: "apparel/cut-and-sew/woven",
    region: "US-NC",
    location: { lat: 35.595, lon: -82.551 },
    availableFrom: "2027-03-01",
    availableUntil: "2027-03-31",
    rate: { amount: "500", unit: "H87", per: "P1W" },
  },
  {
    ...base,
    title: "Knitting capacity",
    category: "textile/knit",
    region: "US-SC",
    location: { lat: 34.852, lon: -82.394 },
  },
  {
    ...base,
    title: "Costura em Portugal",
    description: "Cut and sew in Porto",
    category: "apparel/cut-and-sew",
    region: "PT-13",
    location: { lat: 41.15, lon: -8.61 },
  },
  {
    kind: "offer",
    title: "Organic cotton jersey",
    category: "textile/fabric/knit",
    region: "US-NC",
    quantity: { amount: "500", unit: "MTR" },
    price: { amount: "7.40", currency: "USD", per: "MTR" },
  },
  {
    kind: "offer",
    title: "Cheap jersey",
    category: "textile/fabric/knit",
    region: "US-GA",
    quantity: { amount: "50", unit: "MTR" },
    price: { amount: "3.10", currency: "USD", per: "MTR" },
  },
  {
    kind: "need",
    title: "Need 3000 tops sewn",
    category: "apparel/cut-and-sew",
    region: "US-NC",
    quantity: { amount: "3000", unit: "H87" },
  },
  {
    ...base,
    title: "Expired sewing slot",
    category: "apparel/cut-and-sew",
    region: "US-NC",
    availableFrom: "2020-01-01",
    availableUntil: "2020-01-31",
  },
];

describe("search", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode();
    for (const f of fixtures) expect((await node.api("POST", "/listings", f)).status).toBe(201);
  });

  async function titles(query: string): Promise<string[]> {
    const res = await node.api("GET", `/search?${query}`);
    expect(res.status).toBe(200);
    return res.body.items.map((l: any) => l.title).sort();
  }

  it("finds words in titles and descriptions, stemmed", async () => {
    // "sewing" and "sew" share the stem; "sewn" does not (English stemming).
    expect(await titles("q=sewing")).toEqual([
      "Costura em Portugal",
      "Cut and sew, knit tops",
      "Sewing line for woven shirts",
    ]);
    expect(await titles("q=jersey")).toEqual(["Cheap jersey", "Cut and sew, knit tops", "Organic cotton jersey"]);
  });

  it("filters by kind and by category with its sub-categories", async () => {
    expect(await titles("kind=need")).toEqual(["Need 3000 tops sewn"]);
    expect(await titles("kind=capacity&category=apparel/cut-and-sew")).toEqual([
      "Costura em Portugal",
      "Cut and sew, knit tops",
      "Sewing line for woven shirts",
    ]);
    expect(await titles("category=apparel/cut")).toEqual([]);
  });

  it("filters by region: a country matches its subdivisions", async () => {
    expect(await titles("region=US-NC&kind=capacity")).toEqual([
      "Cut and sew, knit tops",
      "Sewing line for woven shirts",
    ]);
    expect(await titles("region=US&kind=capacity")).toEqual([
      "Cut and sew, knit tops",
      "Knitting capacity",
      "Sewing line for woven shirts",
    ]);
    expect(await titles("region=PT")).toEqual(["Costura em Portugal"]);
  });

  it("filters by distance and sorts by it", async () => {
    const near = `near=${MORGANTON.lat},${MORGANTON.lon}`;
    expect(await titles(`${near}&radiusKm=100`)).toEqual(["Cut and sew, knit tops", "Sewing line for woven shirts"]);
    const sorted = (await node.api("GET", `/search?${near}&radiusKm=200&sort=distance`)).body.items;
    expect(sorted.map((l: any) => l.title)).toEqual([
      "Cut and sew, knit tops",
      "Sewing line for woven shirts",
      "Knitting capacity",
    ]);
    expect(sorted[0].distanceKm).toBe(0);
    // Morganton to Asheville is about 79 km as the crow flies.
    expect(sorted[1].distanceKm).toBeGreaterThan(75);
    expect(sorted[1].distanceKm).toBeLessThan(85);
  });

  it("keeps listings whose window overlaps the one asked for; ended ones only on request", async () => {
    expect(await titles("kind=capacity&from=2027-02-10&until=2027-02-20")).toEqual([
      "Costura em Portugal",
      "Cut and sew, knit tops",
      "Knitting capacity",
    ]);
    expect(await titles("q=slot")).toEqual([]);
    expect(await titles("q=slot&includeExpired=true")).toEqual(["Expired sewing slot"]);
  });

  it("filters by minimum quantity in a unit and by price ceiling in a currency", async () => {
    expect(await titles("minQuantity=1000&unit=H87&kind=capacity")).toEqual([
      "Costura em Portugal",
      "Cut and sew, knit tops",
      "Knitting capacity",
    ]);
    expect(await titles("minQuantity=100&unit=MTR")).toEqual(["Organic cotton jersey"]);
    expect(await titles("maxPrice=5&currency=USD")).toEqual(["Cheap jersey"]);
    expect(await titles("maxPrice=5&currency=EUR")).toEqual([]);
  });

  it("combines filters, ranks by relevance and pages with a cursor", async () => {
    const near = `near=${MORGANTON.lat},${MORGANTON.lon}`;
    expect(
      await titles(`q=sew&category=apparel&region=US&${near}&radiusKm=120&from=2027-02-01&until=2027-03-31`),
    ).toEqual(["Cut and sew, knit tops", "Sewing line for woven shirts"]);
    const first = (await node.api("GET", "/search?q=sewing&limit=2")).body;
    expect(first.items).toHaveLength(2);
    const second = (await node.api("GET", `/search?q=sewing&limit=2&cursor=${first.next}`)).body;
    expect(second.next).toBeNull();
    const all = [...first.items, ...second.items].map((l: any) => l.title);
    expect(new Set(all).size).toBe(3);
  });

  it("says where each listing came from", async () => {
    const db = node.db;
    await saveRemoteListing(
      db,
      {
        iri: "https://far.example/listings/1",
        authorIri: "https://far.example/coops/coop",
        source: "backfill",
        published: new Date(),
        updated: new Date(),
      },
      {
        kind: "offer",
        title: "Remote linen",
        descriptionHtml: "",
        category: "textile/fabric/woven",
        quantity: null,
        minimumOrder: null,
        price: null,
        rate: null,
        availableFrom: null,
        availableUntil: null,
        region: "PT",
        location: null,
        visibility: "public",
        partners: [],
        status: "active",
      },
    );
    const [remote] = (await node.api("GET", "/search?q=linen")).body.items;
    expect(remote.from).toMatchObject({ coop: "https://far.example/coops/coop", via: "backfill" });
    const [own] = (await node.api("GET", "/search?q=organic")).body.items;
    expect(own.from).toMatchObject({ coop: node.actorUrl, via: "own", coopKnownVia: "own" });
  });

  it("answers bad parameters with 400 naming them", async () => {
    for (const [query, field] of [
      ["near=95,10&radiusKm=5", "query.near"],
      ["radiusKm=5", "query.radiusKm"],
      ["minQuantity=10", "query.minQuantity"],
      ["maxPrice=1.5&currency=DOLLARS", "query.currency"],
      ["region=Carolina", "query.region"],
      ["sort=distance", "query.sort"],
      ["from=2027-03-01&until=2027-02-01", "query.until"],
      ["kind=gift", "query.kind"],
      ["limit=500", "query.limit"],
    ]) {
      const res = await node.api("GET", `/search?${query}`);
      expect(res.status, query).toBe(400);
      expect(
        res.body.errors.map((e: any) => e.field),
        query,
      ).toContain(field);
    }
  });
});
