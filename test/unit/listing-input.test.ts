// The listing form's fields read as the use case's input: empty optional
// fields are null, amounts stay strings, half-given groups and bad dates are
// errors by the field, and the use case's dotted paths land on form fields.
import { describe, expect, it } from "vitest";
import {
  chosenPartners,
  formFieldOf,
  friendlyMessage,
  listingFormValues,
  readListingForm,
} from "../../src/web/listing-input.ts";

const minimal = { kind: "offer", title: " Jersey ", category: "textile/fabric/knit", visibility: "public" };

describe("reading the listing form", () => {
  it("makes empty optional fields null and keeps amounts as decimal strings", () => {
    const { input, errors } = readListingForm(
      {
        ...minimal,
        "quantity.amount": "500",
        "quantity.unit": "MTR",
        "minimumOrder.amount": "50",
        "price.amount": "7.40",
        "price.currency": "USD",
        region: "us-nc",
        availableFrom: "2027-01-04",
      },
      [],
    );
    expect(errors).toEqual([]);
    expect(input).toMatchObject({
      title: "Jersey",
      quantity: { amount: "500", unit: "MTR" },
      minimumOrder: { amount: "50", unit: "MTR" },
      price: { amount: "7.40", currency: "USD" },
      rate: null,
      location: null,
      region: "US-NC",
      availableFrom: "2027-01-04",
      availableUntil: null,
      visibility: "public",
      status: "active",
    });
    expect(input.price).not.toHaveProperty("per");
  });

  it("names the field of each half-given group, bad date and bad coordinate", () => {
    const { errors } = readListingForm(
      {
        ...minimal,
        "quantity.amount": "500",
        "price.amount": "7",
        availableUntil: "31/03/2027",
        "location.lat": "north",
      },
      [],
    );
    expect(errors.map((e) => e.field).sort()).toEqual(
      ["availableUntil", "location.lat", "location.lon", "price.currency", "quantity.unit"].sort(),
    );
  });

  it("takes the chosen partners for a partners-only listing, and wants at least one", () => {
    const fields = { ...minimal, visibility: "partners", "partner.0": "https://a.example/coops/a", "partner.3": "" };
    expect(readListingForm(fields, chosenPartners(fields)).input.visibility).toEqual(["https://a.example/coops/a"]);
    expect(readListingForm({ ...minimal, visibility: "partners" }, []).errors).toEqual([
      { field: "visibility", message: "Choose at least one partner, or another audience." },
    ]);
  });

  it("puts the use case's paths on form fields and words its messages for people", () => {
    expect(formFieldOf("price.amount")).toBe("price.amount");
    expect(formFieldOf("rate")).toBe("rate.amount");
    expect(formFieldOf("location")).toBe("location.lat");
    expect(formFieldOf("visibility.0")).toBe("visibility");
    expect(formFieldOf("body")).toBeUndefined();
    expect(friendlyMessage('must be a decimal string such as "500"')).toMatch(/^Write an amount/);
    expect(friendlyMessage("must not be empty")).toBe("Must not be empty.");
  });

  it("fills the edit form from a stored listing, dates as days", () => {
    const { values, partners } = listingFormValues({
      kind: "capacity",
      title: "Sewing",
      description: null,
      category: "apparel/cut-and-sew",
      quantity: null,
      minimumOrder: null,
      price: { amount: "3.20", currency: "USD", per: null },
      rate: { amount: "2000", unit: "H87", per: "P1W" },
      availableFrom: "2027-02-01T00:00:00.000Z",
      availableUntil: "2027-03-31T23:59:59.999Z",
      region: null,
      location: { lat: 35.7, lon: -81.6 },
      visibility: ["https://a.example/coops/a"],
      status: "paused",
    } as never);
    expect(values).toMatchObject({
      "rate.amount": "2000",
      "price.per": "",
      availableFrom: "2027-02-01",
      availableUntil: "2027-03-31",
      "location.lat": "35.7",
      visibility: "partners",
      status: "paused",
    });
    expect(partners).toEqual(["https://a.example/coops/a"]);
  });
});
