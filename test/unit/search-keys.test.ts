// The index keys a search asks for (src/domain/search-keys.ts), without a
// database: every point of the box lies in a cell of the cover, the cover
// stays small, and periods follow the SQL's arithmetic. That the SQL fills
// listings' keys the same way is test/discovery/search-keys.test.ts.
import { describe, expect, it } from "vitest";
import { ANY_TIME, type Box, gridCellsCovering, periodOf, periodsOverlapping } from "../../src/domain/search-keys.ts";

const SIZES = [1 / 16, 1 / 4, 1, 4, 16];

/** The key of the cell holding a point at each level, as drizzle/0008_search_keys.sql computes it. */
function keysOfPoint(lat: number, lon: number): number[] {
  return SIZES.map((size, level) => {
    const row = Math.floor((lat + 90) / size);
    const column = Math.floor((lon + 180) / size);
    return level * 2 ** 24 + row * (Math.floor(360 / size) + 1) + column;
  });
}

function covered(cells: number[], lat: number, lon: number): boolean {
  const set = new Set(cells);
  return keysOfPoint(lat, lon).some((key) => set.has(key));
}

/** The corners, edges and inside of the box, on a grid of points. */
function pointsOf(box: Box, steps = 12): [number, number][] {
  const points: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= steps; j++) {
      points.push([box.south + ((box.north - box.south) * i) / steps, box.west + ((box.east - box.west) * j) / steps]);
    }
  }
  return points;
}

describe("gridCellsCovering", () => {
  it("covers a small box with the single finest cell around it", () => {
    const box = { south: 41.15, north: 41.16, west: -8.62, east: -8.61 };
    const cells = gridCellsCovering(box);
    expect(cells).toEqual([keysOfPoint(41.15, -8.62)[0]]);
  });

  it("covers every point of boxes of many sizes and places with at most 64 cells", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const height = [0.01, 0.2, 1.3, 5, 20][i % 5]! * (0.5 + random());
      const width = height * (0.5 + random() * 2);
      const south = -90 + random() * (180 - height);
      const west = -180 + random() * (360 - width);
      const box = { south, north: south + height, west, east: west + width };
      const cells = gridCellsCovering(box);
      if (cells === null) continue;
      expect(cells.length).toBeLessThanOrEqual(64);
      expect(new Set(cells).size).toBe(cells.length);
      for (const [lat, lon] of pointsOf(box)) {
        expect(covered(cells, lat, lon), `${lat},${lon} in ${JSON.stringify(box)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40_000);
  });

  it("covers boxes on a cell's edge, the poles and the antimeridian", () => {
    for (const box of [
      { south: 41, north: 41.25, west: -9, east: -8.75 }, // exactly on ¼° lines
      { south: 89.9, north: 90, west: 179.9, east: 180 },
      { south: -90, north: -89.5, west: -180, east: -179 },
    ]) {
      const cells = gridCellsCovering(box);
      expect(cells).not.toBeNull();
      for (const [lat, lon] of pointsOf(box)) expect(covered(cells!, lat, lon), `${lat},${lon}`).toBe(true);
    }
  });

  it("gives up (null) when even the coarsest cells would be too many", () => {
    expect(gridCellsCovering({ south: -90, north: 90, west: -180, east: 180 })).toBeNull();
    expect(gridCellsCovering({ south: -60, north: 70, west: -170, east: 170 })).toBeNull();
  });
});

describe("periods", () => {
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

  it("counts four-week periods from Monday 1970-01-05, as the SQL does", () => {
    expect(periodOf(day("1970-01-05"))).toBe(0);
    expect(periodOf(new Date("1970-02-01T23:59:59.999Z"))).toBe(0);
    expect(periodOf(day("1970-02-02"))).toBe(1);
    expect(periodOf(day("2027-03-01"))).toBe(
      Math.trunc((Date.UTC(2027, 2, 1) - Date.UTC(1970, 0, 5)) / 86_400_000 / 28),
    );
  });

  it("divides towards zero before period zero, like the SQL's integer division", () => {
    // Days -1 … -27 fall in period 0 too (-0 in JavaScript); day -28 starts period -1.
    expect(Math.abs(periodOf(day("1970-01-04")))).toBe(0);
    expect(Math.abs(periodOf(day("1969-12-09")))).toBe(0);
    expect(periodOf(day("1969-12-08"))).toBe(-1);
  });

  it("lists the periods of a window, in either order, with the any-time key", () => {
    // Two days into period 745, and 30 days later: into period 746.
    const from = new Date(Date.UTC(1970, 0, 5) + (745 * 28 + 2) * 86_400_000);
    const until = new Date(from.getTime() + 30 * 86_400_000);
    const first = periodOf(from);
    expect(first).toBe(745);
    expect(periodsOverlapping(from, until)).toEqual([ANY_TIME, first, first + 1]);
    expect(periodsOverlapping(until, from)).toEqual([ANY_TIME, first, first + 1]);
    expect(periodsOverlapping(from, from)).toEqual([ANY_TIME, first]);
  });

  it("gives up (null) on windows of six periods or more", () => {
    const from = day("1970-01-05");
    expect(periodsOverlapping(from, day("1970-06-21"))).toHaveLength(7); // periods 0…5
    expect(periodsOverlapping(from, day("1970-06-22"))).toBeNull(); // period 6
  });
});
