import { describe, expect, it } from "vitest";
import { isRegionCode, regionContains } from "../../src/domain/regions.ts";

describe("ISO 3166 region codes", () => {
  it("accepts countries and subdivisions, rejects the rest", () => {
    for (const ok of ["US", "US-NC", "GB-SCT", "FR-75", "PT-11"]) expect(isRegionCode(ok)).toBe(true);
    for (const bad of ["us-nc", "USA", "XX", "US-", "US-NCAR", "North Carolina", ""])
      expect(isRegionCode(bad)).toBe(false);
  });

  it("knows that a country contains its subdivisions", () => {
    expect(regionContains("US", "US-NC")).toBe(true);
    expect(regionContains("US", "US")).toBe(true);
    expect(regionContains("US-NC", "US")).toBe(false);
    expect(regionContains("US", "USX")).toBe(false);
  });
});
