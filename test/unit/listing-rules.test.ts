// The rules every listing must satisfy before it is stored, whether typed by
// staff or received from another node (src/domain/listing-rules.ts). Each
// broken rule names its field.
import { describe, expect, it } from "vitest";
import { type ListingData, listingRuleErrors } from "../../src/domain/listing-rules.ts";

const offer: ListingData = {
  kind: "offer",
  title: "Organic cotton jersey",
  descriptionHtml: "<p>180 g/m²</p>",
  category: "textile/fabric/knit",
  quantity: { amount: "500", unit: "MTR" },
  minimumOrder: { amount: "50", unit: "MTR" },
  price: { amount: "7.40", currency: "EUR", per: "MTR" },
  rate: null,
  availableFrom: new Date("2027-03-01T00:00:00Z"),
  availableUntil: new Date("2027-06-01T00:00:00Z"),
  region: "PT-13",
  location: { lat: 41.15, lon: -8.61 },
  visibility: "public",
  partners: [],
  status: "active",
};

const capacity: ListingData = {
  ...offer,
  kind: "capacity",
  title: "Sewing line",
  category: "apparel/cut-and-sew",
  quantity: null,
  minimumOrder: null,
  price: null,
  rate: { amount: "2000", unit: "H87", per: "P1W" },
};

/** The fields named by the errors of `changes` applied to `base`. */
const fields = (changes: Partial<ListingData>, base = offer) =>
  listingRuleErrors({ ...base, ...changes }).map((e) => e.field);

describe("listingRuleErrors", () => {
  it("finds nothing wrong with a complete offer, a capacity, or a bare need", () => {
    expect(listingRuleErrors(offer)).toEqual([]);
    expect(listingRuleErrors(capacity)).toEqual([]);
    const need: ListingData = {
      ...offer,
      kind: "need",
      quantity: null,
      minimumOrder: null,
      price: null,
      availableFrom: null,
      availableUntil: null,
      region: null,
      location: null,
    };
    expect(listingRuleErrors(need)).toEqual([]);
  });

  it("wants a title and a category path", () => {
    expect(fields({ title: "   " })).toEqual(["title"]);
    for (const category of ["Textile/fabric", "textile//knit", "textile/", "/textile", "a_b", "textile/fabric-"]) {
      expect(fields({ category }), category).toEqual(["category"]);
    }
    expect(fields({ category: "a/b/c/d/e/f" })).toEqual([]);
    expect(fields({ category: "a/b/c/d/e/f/g" })).toEqual(["category"]);
  });

  it("wants decimal strings and known units in quantities", () => {
    expect(fields({ quantity: { amount: "1.5e3", unit: "MTR" } })).toEqual(["quantity.amount"]);
    expect(fields({ quantity: { amount: "-5", unit: "MTR" } })).toEqual(["quantity.amount"]);
    const [error] = listingRuleErrors({ ...offer, quantity: { amount: "500", unit: "BANANAS" } });
    expect(error).toEqual({ field: "quantity.unit", message: '"BANANAS" is not a known UN/ECE Rec 20 unit code' });
    expect(fields({ minimumOrder: { amount: "5.", unit: "MTR" } })).toEqual(["minimumOrder.amount"]);
  });

  it("keeps the minimum order within the quantity, compared by value, in the same unit", () => {
    expect(fields({ quantity: { amount: "10", unit: "MTR" }, minimumOrder: { amount: "9.5", unit: "MTR" } })).toEqual(
      [],
    );
    expect(fields({ quantity: { amount: "10", unit: "MTR" }, minimumOrder: { amount: "10", unit: "MTR" } })).toEqual(
      [],
    );
    expect(fields({ quantity: { amount: "10", unit: "MTR" }, minimumOrder: { amount: "10.01", unit: "MTR" } })).toEqual(
      ["minimumOrder.amount"],
    );
    expect(fields({ minimumOrder: { amount: "50", unit: "YRD" } })).toEqual(["minimumOrder.unit"]);
  });

  it("wants a price in a known currency, per the quantity's unit", () => {
    expect(fields({ price: { amount: "7,40", currency: "EUR", per: "MTR" } })).toEqual(["price.amount"]);
    expect(fields({ price: { amount: "7.40", currency: "EURO", per: "MTR" } })).toEqual(["price.currency"]);
    expect(fields({ price: { amount: "7.40", currency: "EUR", per: "YRD" } })).toEqual(["price.per"]);
    expect(new Set(fields({ price: { amount: "7.40", currency: "EUR", per: "XYZ" } }))).toEqual(new Set(["price.per"]));
    // A lump sum (no unit) is fine.
    expect(fields({ price: { amount: "900", currency: "EUR", per: null } })).toEqual([]);
  });

  it("gives capacities, and only capacities, a rate per an ISO 8601 period", () => {
    expect(fields({ rate: null }, capacity)).toEqual(["rate"]);
    expect(fields({ rate: { amount: "2000", unit: "H87", per: "P1W" } })).toEqual(["rate"]);
    expect(fields({ rate: { amount: "2000", unit: "H87", per: "1 week" } }, capacity)).toEqual(["rate.per"]);
    expect(fields({ rate: { amount: "2000", unit: "H87", per: "PT8H" } }, capacity)).toEqual(["rate.per"]);
    expect(fields({ rate: { amount: "lots", unit: "pieces", per: "P1W" } }, capacity)).toEqual([
      "rate.amount",
      "rate.unit",
    ]);
  });

  it("wants the window in order, a real region and a point on Earth", () => {
    expect(fields({ availableUntil: new Date("2027-02-28T00:00:00Z") })).toEqual(["availableUntil"]);
    expect(fields({ availableUntil: offer.availableFrom })).toEqual([]);
    expect(fields({ availableFrom: null })).toEqual([]);
    for (const region of ["pt-13", "Portugal", "XX", "PT-"]) expect(fields({ region }), region).toEqual(["region"]);
    expect(fields({ region: "PT" })).toEqual([]);
    expect(fields({ location: { lat: 90, lon: -180 } })).toEqual([]);
    expect(fields({ location: { lat: 90.01, lon: 0 } })).toEqual(["location.lat"]);
    expect(fields({ location: { lat: 0, lon: -180.5 } })).toEqual(["location.lon"]);
    expect(fields({ location: { lat: Number.NaN, lon: Number.NaN } })).toEqual(["location.lat", "location.lon"]);
  });

  it("wants partners for a partners-only listing", () => {
    expect(fields({ visibility: "partners" })).toEqual(["visibility"]);
    expect(fields({ visibility: "partners", partners: ["https://dye.example/coops/coop"] })).toEqual([]);
  });

  it("reports every broken rule at once", () => {
    expect(fields({ title: "", category: "?", price: { amount: "x", currency: "x", per: null } })).toEqual([
      "title",
      "category",
      "price.amount",
      "price.currency",
    ]);
  });
});
