// Offers whose JSON-LD context defines `satisfies` / `resourceConformsTo` as
// plain terms (FEP-0837's examples, Mitra): which ones are recognised, and
// the rewrite that reads those terms as IRIs (src/federation/inbox/plain-terms.ts).
import { describe, expect, it } from "vitest";
import { hasPlainIriTerms, withIriTerms } from "../../src/federation/inbox/plain-terms.ts";

const AS = "https://www.w3.org/ns/activitystreams";

function offer(context: unknown, type = "Offer") {
  return {
    "@context": context,
    type,
    id: "https://mitra.example/activities/1",
    actor: "https://mitra.example/users/knit",
    object: { type: "Agreement", stipulates: { satisfies: "https://dye.example/listings/1#primary" } },
  };
}

describe("hasPlainIriTerms", () => {
  it("recognises an Offer whose inline context maps an IRI term to a plain term", () => {
    expect(
      hasPlainIriTerms(offer([AS, { vf: "https://w3id.org/valueflows/ont/vf#", satisfies: "vf:satisfies" }])),
    ).toBe(true);
    expect(hasPlainIriTerms(offer([AS, { resourceConformsTo: "vf:resourceConformsTo" }]))).toBe(true);
    // A single inline context, not in an array.
    expect(hasPlainIriTerms(offer({ satisfies: "vf:satisfies" }))).toBe(true);
  });

  it("leaves alone what Fedify reads by itself, and anything that is not an Offer", () => {
    expect(hasPlainIriTerms(offer([AS, { satisfies: { "@id": "vf:satisfies", "@type": "@id" } }]))).toBe(false);
    expect(hasPlainIriTerms(offer(AS))).toBe(false);
    expect(hasPlainIriTerms(offer([AS, { other: "vf:other" }]))).toBe(false);
    expect(hasPlainIriTerms(offer([AS, { satisfies: "vf:satisfies" }], "Create"))).toBe(false);
    expect(hasPlainIriTerms(null)).toBe(false);
    expect(hasPlainIriTerms("Offer")).toBe(false);
    expect(hasPlainIriTerms({ type: "Offer" })).toBe(false);
  });
});

describe("withIriTerms", () => {
  it("defines both IRI terms as IRIs and leaves every other term and the body as they were", () => {
    const original = offer([
      AS,
      { vf: "https://w3id.org/valueflows/ont/vf#", satisfies: "vf:satisfies", resourceConformsTo: "vf:rct" },
    ]);
    const rewritten = withIriTerms(original);
    expect(rewritten["@context"]).toEqual([
      AS,
      {
        vf: "https://w3id.org/valueflows/ont/vf#",
        satisfies: { "@id": "vf:satisfies", "@type": "@id" },
        resourceConformsTo: { "@id": "vf:rct", "@type": "@id" },
      },
    ]);
    expect({ ...rewritten, "@context": null }).toEqual({ ...original, "@context": null });
    expect(hasPlainIriTerms(rewritten)).toBe(false);
  });

  it("does not change the Offer it was given (its signature covers that body)", () => {
    const original = offer([AS, { satisfies: "vf:satisfies" }]);
    const before = structuredClone(original);
    withIriTerms(original);
    expect(original).toEqual(before);
  });

  it("rewrites a single inline context, and every inline context of a list", () => {
    expect(withIriTerms(offer({ satisfies: "vf:satisfies" }))["@context"]).toEqual({
      satisfies: { "@id": "vf:satisfies", "@type": "@id" },
    });
    expect(withIriTerms(offer([{ satisfies: "a:s" }, AS, { resourceConformsTo: "b:r" }]))["@context"]).toEqual([
      { satisfies: { "@id": "a:s", "@type": "@id" } },
      AS,
      { resourceConformsTo: { "@id": "b:r", "@type": "@id" } },
    ]);
  });
});
