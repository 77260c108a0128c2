// The public collection means the same in all three spellings, everywhere.
import { PUBLIC_COLLECTION } from "@fedify/vocab";
import { describe, expect, it } from "vitest";
import { isPublic, isPublicAudience, PUBLIC_IRI } from "../../src/domain/audience.ts";

describe("isPublic", () => {
  it("accepts the full IRI, as:Public and Public", () => {
    for (const spelling of [PUBLIC_COLLECTION.href, "as:Public", "Public"]) expect(isPublic(spelling)).toBe(true);
    expect(PUBLIC_IRI).toBe(PUBLIC_COLLECTION.href);
  });

  it("refuses anything else", () => {
    for (const other of [
      "https://www.w3.org/ns/activitystreams#public",
      "as:Followers",
      "",
      "https://a.example/Public",
    ]) {
      expect(isPublic(other)).toBe(false);
    }
  });

  it("finds the public collection among an activity's addressees", () => {
    expect(isPublicAudience(["https://a.example/coops/a/followers", "as:Public"])).toBe(true);
    expect(isPublicAudience(["https://a.example/coops/a/followers"])).toBe(false);
    expect(isPublicAudience([])).toBe(false);
  });
});
