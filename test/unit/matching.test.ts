// How well an offer or capacity answers a need (scoreMatch in
// src/domain/matching.ts): the pure scoring; which pairs are candidates at
// all is SQL, tested with a database in test/discovery/matches.test.ts.
import { describe, expect, it } from "vitest";
import type { ListingRow } from "../../src/db/schema.ts";
import { scoreMatch } from "../../src/domain/matching.ts";

/** The fields scoreMatch reads; the rest of a row does not matter to it. */
function row(fields: Partial<ListingRow>): ListingRow {
  return {
    category: "textile/fabric/knit",
    availableFrom: null,
    availableUntil: null,
    latitude: null,
    longitude: null,
    region: null,
    quantityAmount: null,
    quantityUnit: null,
    rateAmount: null,
    rateUnit: null,
    ratePer: null,
    ...fields,
  } as ListingRow;
}

/** One degree of latitude on the haversine's 6371 km Earth. */
const KM_PER_DEGREE = (6371 * Math.PI) / 180;

describe("scoreMatch", () => {
  it("scores the same category above a related one", () => {
    expect(scoreMatch(row({}), row({}))).toEqual({ score: 3, reasons: ["same category textile/fabric/knit"] });
    expect(scoreMatch(row({ category: "textile/fabric" }), row({}))).toEqual({
      score: 2,
      reasons: ["related categories textile/fabric and textile/fabric/knit"],
    });
  });

  it("counts a window only when both sides give one", () => {
    const window = { availableFrom: new Date("2027-03-01"), availableUntil: new Date("2027-04-01") };
    expect(scoreMatch(row(window), row(window))?.reasons).toContain("available in the wanted window");
    expect(scoreMatch(row(window), row({ availableFrom: window.availableFrom }))?.score).toBe(3);
  });

  it("prefers near over far, by great-circle distance", () => {
    const at = (lat: number) => row({ latitude: lat, longitude: 0 });
    const near = scoreMatch(at(0), at(50 / KM_PER_DEGREE));
    expect(near).toEqual({ score: 5, reasons: ["same category textile/fabric/knit", "50 km apart"] });
    expect(scoreMatch(at(0), at(100 / KM_PER_DEGREE))?.score).toBe(5);
    expect(scoreMatch(at(0), at(300 / KM_PER_DEGREE))).toEqual({
      score: 4,
      reasons: ["same category textile/fabric/knit", "300 km apart"],
    });
    expect(scoreMatch(at(0), at(501 / KM_PER_DEGREE))?.score).toBe(3);
    // Across the antimeridian is near too.
    const east = row({ latitude: 0, longitude: 179.9 });
    const west = row({ latitude: 0, longitude: -179.9 });
    expect(scoreMatch(east, west)?.reasons).toContain(`${Math.round(0.2 * KM_PER_DEGREE)} km apart`);
  });

  it("falls back on regions when either side has no position, or they are far apart", () => {
    expect(scoreMatch(row({ region: "US-NC" }), row({ region: "US-NC" }))?.reasons).toContain("both in US-NC");
    expect(scoreMatch(row({ region: "US-NC" }), row({ region: "US-NC" }))?.score).toBe(5);
    expect(scoreMatch(row({ region: "US-NC" }), row({ region: "US-SC" }))).toEqual({
      score: 4,
      reasons: ["same category textile/fabric/knit", "both in US"],
    });
    expect(scoreMatch(row({ region: "PT" }), row({ region: "PT-13" }))?.reasons).toContain("both in PT");
    expect(scoreMatch(row({ region: "PT-13" }), row({ region: "US-NC" }))?.score).toBe(3);
    expect(scoreMatch(row({ region: "PT-13" }), row({}))?.score).toBe(3);
    // Far apart by position but in one region: the region still counts.
    const far = scoreMatch(
      row({ region: "US", latitude: 25, longitude: -80 }),
      row({ region: "US", latitude: 47, longitude: -122 }),
    );
    expect(far?.reasons).toEqual(["same category textile/fabric/knit", "both in US"]);
  });

  it("compares quantities by value, in the same unit only", () => {
    const wanted = row({ quantityAmount: "10", quantityUnit: "MTR" });
    expect(scoreMatch(wanted, row({ quantityAmount: "9.5", quantityUnit: "MTR" }))).toEqual({
      score: 4,
      reasons: ["same category textile/fabric/knit", "part of it: 9.5 of 10 MTR"],
    });
    expect(scoreMatch(wanted, row({ quantityAmount: "10.0", quantityUnit: "MTR" }))).toEqual({
      score: 5,
      reasons: ["same category textile/fabric/knit", "enough: 10.0 MTR for 10 wanted"],
    });
    expect(scoreMatch(wanted, row({ quantityAmount: "100", quantityUnit: "YRD" }))?.score).toBe(3);
  });

  it("reads a capacity's rate as what it can give per period", () => {
    const wanted = row({ category: "apparel/cut-and-sew", quantityAmount: "5000", quantityUnit: "H87" });
    const line = row({ category: "apparel/cut-and-sew", rateAmount: "2000", rateUnit: "H87", ratePer: "P1W" });
    expect(scoreMatch(wanted, line)?.reasons).toContain("part of it: 2000 of 5000 H87 per P1W");
    const big = row({ category: "apparel/cut-and-sew", rateAmount: "8000", rateUnit: "H87", ratePer: "P1M" });
    expect(scoreMatch(wanted, big)?.reasons).toContain("enough: 8000 H87 per P1M for 5000 wanted");
  });
});
