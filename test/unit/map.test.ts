// Maps drawn on the node (src/web/map.ts): where markers land, which view
// and outlines are chosen, and that labels and links cannot carry markup.

import { geoPath } from "d3-geo";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { linesWithin, stateOutlines, worldOutlines, worldWithin } from "../../src/web/atlas.ts";
import { MAP_WIDTH, type MapPoint, renderMap, viewOf, visibleBox } from "../../src/web/map.ts";

const morganton: MapPoint = { lat: 35.745, lon: -81.685, label: "Morganton cut and sew", href: "/listings/a" };
const asheville: MapPoint = { lat: 35.595, lon: -82.551, label: "Asheville dye house", href: "/listings/b" };
const greensboro: MapPoint = { lat: 36.073, lon: -79.792, label: "Greensboro knitters", href: "/listings/c" };
const berlin: MapPoint = { lat: 52.52, lon: 13.405, label: "Berlin weavers", href: "/listings/d" };
const sydney: MapPoint = { lat: -33.87, lon: 151.21, label: "Sydney printers", href: "/listings/e" };

function viewBox(svg: string): { width: number; height: number } {
  const match = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  if (!match) throw new Error("no viewBox");
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** The centres of the markers' circles, in the order of the points. */
function markers(svg: string): { x: number; y: number }[] {
  return [...svg.matchAll(/<circle cx="([\d.-]+)" cy="([\d.-]+)" r="12"/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
  }));
}

async function render(points: MapPoint[]): Promise<string> {
  const map = await renderMap(points, { title: "Where they are" });
  if (map === null) throw new Error("no map drawn");
  return String(map);
}

describe("renderMap", () => {
  it("draws no map for no points, or for points without a usable place", async () => {
    expect(await renderMap([], { title: "t" })).toBeNull();
    expect(
      await renderMap(
        [
          { ...morganton, lat: Number.NaN },
          { ...berlin, lat: 123 },
        ],
        { title: "t" },
      ),
    ).toBeNull();
  });

  it("puts nearby points inside the view, west to east and south to north as on the ground", async () => {
    const svg = await render([morganton, asheville, greensboro]);
    const box = viewBox(svg);
    expect(box.width).toBe(MAP_WIDTH);
    const [m, a, g] = markers(svg);
    for (const p of [m, a, g]) {
      expect(p?.x).toBeGreaterThan(0);
      expect(p?.x).toBeLessThan(box.width);
      expect(p?.y).toBeGreaterThan(0);
      expect(p?.y).toBeLessThan(box.height);
    }
    expect(a?.x).toBeLessThan(m?.x as number);
    expect(m?.x).toBeLessThan(g?.x as number);
    expect(g?.y).toBeLessThan(a?.y as number); // Greensboro is north of Asheville: higher up
    // Each marker is a link with an accessible name, in the points' order.
    expect([...svg.matchAll(/<a class="map-marker" href="([^"]+)" aria-label="([^"]+)"/g)].map((x) => x[1])).toEqual([
      "/listings/a",
      "/listings/b",
      "/listings/c",
    ]);
    expect(svg).toContain('aria-label="2: Asheville dye house"');
  });

  it("shows one point with the region around it, not the whole world", async () => {
    const view = viewOf([morganton]);
    expect(view.world).toBe(false);
    const inView = (lat: number, lon: number) => {
      const [x, y] = view.projection([lon, lat]) as [number, number];
      return x >= 0 && x <= MAP_WIDTH && y >= 0 && y <= view.height;
    };
    expect(inView(asheville.lat, asheville.lon)).toBe(true); // 80 km away
    expect(inView(37.3, morganton.lon)).toBe(true); // 170 km north: the region around it
    expect(inView(38.5, morganton.lon)).toBe(false); // 300 km north: beyond it
    expect(inView(40.71, -74.0)).toBe(false); // New York, 800 km away
    const [x, y] = view.projection([morganton.lon, morganton.lat]) as [number, number];
    // Near the middle (Mercator stretches north a little).
    expect(Math.abs(x - MAP_WIDTH / 2)).toBeLessThan(1);
    expect(Math.abs(y - view.height / 2)).toBeLessThan(10);
    expect(markers(await render([morganton]))).toHaveLength(1);
  });

  it("shows points on several continents on the world", async () => {
    const svg = await render([morganton, berlin, sydney]);
    expect(viewOf([morganton, berlin, sydney]).world).toBe(true);
    const box = viewBox(svg);
    const points = markers(svg);
    expect(points).toHaveLength(3);
    for (const p of points) {
      expect(p.x).toBeGreaterThan(0);
      expect(p.x).toBeLessThan(box.width);
      expect(p.y).toBeGreaterThan(0);
      expect(p.y).toBeLessThan(box.height);
    }
    const [m, b, s] = points;
    expect(m?.x).toBeLessThan(b?.x as number);
    expect(b?.x).toBeLessThan(s?.x as number);
    expect(s?.y).toBeGreaterThan(b?.y as number);
  });

  it("draws US state borders for a view of the US, and none for Europe", async () => {
    expect(await render([morganton, greensboro])).toMatch(/class="map-states" d="M[\d.,-]+/);
    expect(await render([berlin])).not.toContain("map-states");
  });

  it("escapes labels and draws no link for a href that is not http(s) or a path", async () => {
    const hostile: MapPoint = {
      ...morganton,
      label: '<script>alert(1)</script>" onmouseover="x()',
      href: "javascript:alert(2)",
    };
    const svg = await render([hostile, { ...asheville, href: "//evil.example/x" }]);
    expect(svg).not.toContain("<script>");
    expect(svg).not.toContain('" onmouseover');
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(svg).not.toContain("javascript:");
    expect(svg).not.toContain("evil.example");
    expect(svg).not.toMatch(/<a /);
  });
});

describe("a regional map projects only the outlines it shows", () => {
  it("draws exactly what projecting every country and border would draw", async () => {
    const [world, states] = [await worldOutlines(), await stateOutlines()];
    const point = fc.record({
      lat: fc.double({ min: -80, max: 80, noNaN: true }),
      lon: fc.double({ min: -180, max: 180, noNaN: true }),
    });
    const places = fc
      .tuple(
        point,
        fc.array(fc.tuple(fc.double({ min: -4, max: 4 }), fc.double({ min: -4, max: 4 })), { maxLength: 3 }),
      )
      .map(([p, near]) => [
        p,
        ...near.map(([dLat, dLon]) => ({
          lat: Math.max(-80, Math.min(80, p.lat + dLat)),
          lon: Math.max(-180, Math.min(180, p.lon + dLon)),
        })),
      ]);
    let regional = 0;
    await fc.assert(
      fc.asyncProperty(places, async (points) => {
        const view = viewOf(points);
        const box = visibleBox(view);
        if (!box) return;
        regional++;
        const path = geoPath(view.projection).digits(1);
        const within = worldWithin(world, box);
        expect(path(within.countries)).toBe(path(world.countries));
        expect(path(within.borders)).toBe(path(world.borders));
        expect(path(linesWithin(states.borderPieces, box))).toBe(path(states.borders));
      }),
      { numRuns: 150 },
    );
    // The property was about regional views: most generated places must have made one.
    expect(regional).toBeGreaterThan(100);
  });
});
