// Listings as FEP-0837 Proposals (src/federation/listing-vocab.ts): the
// readable terms line, hashtags, audiences, and a listing that goes out as a
// Proposal and is read back as the same listing.
import "../../src/temporal.ts";
import { PUBLIC_COLLECTION } from "@fedify/vocab";
import { describe, expect, it } from "vitest";
import type { ListingRow } from "../../src/db/schema.ts";
import type { ListingData } from "../../src/domain/listing-rules.ts";
import { categoryHashtag, termsText } from "../../src/domain/listing-text.ts";
import { audienceOf, listingDataFromProposal, toProposal } from "../../src/federation/listing-vocab.ts";

const ORIGIN = "https://dye.example";
const FOLLOWERS = new URL(`${ORIGIN}/coops/coop/followers`);

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
  price: { amount: "1.10", currency: "EUR", per: "H87" },
  rate: { amount: "2000", unit: "H87", per: "P2W" },
};

function rowOf(id: string, updated = new Date("2027-02-01T00:00:00Z")): ListingRow {
  return {
    iri: `${ORIGIN}/listings/${id}`,
    authorIri: `${ORIGIN}/coops/coop`,
    descriptionSource: null,
    published: new Date("2027-01-01T00:00:00Z"),
    updated,
  } as ListingRow;
}

describe("termsText", () => {
  it("reads an offer's terms as one line, with unit names", () => {
    expect(termsText(offer)).toBe(
      "Offer · 500 metre (MTR) available · minimum order 50 metre (MTR) · 7.40 EUR per metre (MTR) · 2027-03-01 to 2027-06-01 · PT-13",
    );
  });

  it("reads rates, pieces, needs, open windows and unknown codes", () => {
    expect(termsText({ ...capacity, availableFrom: null, region: null, price: null })).toBe(
      "Capacity · 2000 pieces (H87) per 2 weeks · … to 2027-06-01",
    );
    expect(
      termsText({
        ...offer,
        kind: "need",
        minimumOrder: null,
        price: null,
        availableFrom: null,
        availableUntil: null,
        region: null,
        quantity: { amount: "3", unit: "XYZ" },
      }),
    ).toBe("Wanted · 3 XYZ");
    expect(termsText({ ...capacity, rate: { amount: "1", unit: "DAY", per: "P1M" }, price: null })).toContain(
      "1 day (DAY) per month",
    );
  });
});

describe("categoryHashtag and audienceOf", () => {
  it("turns a category into a hashtag Mastodon accepts", () => {
    expect(categoryHashtag("apparel/cut-and-sew")).toBe("#apparel_cut_and_sew");
    expect(categoryHashtag("textile")).toBe("#textile");
  });

  it("addresses public listings to everyone, the others to followers or partners only", () => {
    expect(audienceOf("public", [], FOLLOWERS)).toEqual({ tos: [PUBLIC_COLLECTION], ccs: [FOLLOWERS] });
    expect(audienceOf("followers", [], FOLLOWERS)).toEqual({ tos: [FOLLOWERS], ccs: [] });
    const partner = "https://knit.example/coops/coop";
    expect(audienceOf("partners", [partner], FOLLOWERS)).toEqual({ tos: [new URL(partner)], ccs: [] });
  });
});

describe("toProposal and listingDataFromProposal", () => {
  it("give back the offer that went out", async () => {
    const proposal = toProposal(rowOf("1"), offer, FOLLOWERS, ORIGIN);
    expect(proposal.purpose).toBe("offer");
    expect(proposal.publishes?.id?.href).toBe(`${ORIGIN}/listings/1#primary`);
    const back = await listingDataFromProposal(proposal, "public", []);
    expect({ ...back, descriptionHtml: "" }).toEqual({ ...offer, descriptionHtml: "" });
    // The description carries the terms line and the hashtag for plain fediverse readers.
    expect(back.descriptionHtml).toContain("<p>180 g/m²</p>");
    expect(back.descriptionHtml).toContain("500 metre (MTR) available");
  });

  it("give back a capacity with its rate and period, and a need", async () => {
    const back = await listingDataFromProposal(toProposal(rowOf("2"), capacity, FOLLOWERS, ORIGIN), "public", []);
    expect(back).toMatchObject({
      kind: "capacity",
      category: "apparel/cut-and-sew",
      quantity: null,
      rate: { amount: "2000", unit: "H87", per: "P2W" },
      price: { amount: "1.10", currency: "EUR", per: "H87" },
    });
    const need: ListingData = { ...offer, kind: "need", price: null, minimumOrder: null, location: null };
    const proposal = toProposal(rowOf("3"), need, FOLLOWERS, ORIGIN);
    expect(proposal.purpose).toBe("request");
    expect(await listingDataFromProposal(proposal, "followers", [])).toMatchObject({
      kind: "need",
      quantity: { amount: "500", unit: "MTR" },
      region: "PT-13",
      location: null,
      visibility: "followers",
    });
  });

  it("end a paused listing's window when it was paused", async () => {
    const pausedAt = new Date("2027-04-10T12:00:00Z");
    const proposal = toProposal(rowOf("4", pausedAt), { ...offer, status: "paused" }, FOLLOWERS, ORIGIN);
    expect((await listingDataFromProposal(proposal, "public", [])).availableUntil).toEqual(pausedAt);
    // Paused after its window ended: the window's own end stays.
    const late = toProposal(
      rowOf("5", new Date("2027-07-01T00:00:00Z")),
      { ...offer, status: "paused" },
      FOLLOWERS,
      ORIGIN,
    );
    expect((await listingDataFromProposal(late, "public", [])).availableUntil).toEqual(offer.availableUntil);
  });
});
