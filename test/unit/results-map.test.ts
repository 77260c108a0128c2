// Search hits as map points (src/web/results-map.ts): which hits are placed,
// where their markers lead, and how they are named.
import { describe, expect, it } from "vitest";
import type { ListingRow } from "../../src/db/schema.ts";
import type { SearchHit } from "../../src/domain/search.ts";
import { renderMap } from "../../src/web/map.ts";
import { resultsMapPoints } from "../../src/web/results-map.ts";

/** A hit with the fields the map reads; the rest of the row does not matter here. */
function hit(listing: Partial<ListingRow>, extra: Partial<SearchHit> = {}): SearchHit {
  const row = {
    id: "11111111-1111-4111-8111-111111111111",
    iri: "https://knit.example/listings/1",
    authorIri: "https://knit.example/coops/coop",
    local: false,
    kind: "capacity",
    title: "Knitting capacity",
    visibility: "public",
    latitude: 35.745,
    longitude: -81.685,
    ...listing,
  } as ListingRow;
  return {
    listing: row,
    distanceKm: null,
    rank: null,
    author: { iri: row.authorIri, handle: "coop@knit.example", name: "Knit Co-op", knownVia: "follow" },
    ...extra,
  };
}

describe("resultsMapPoints", () => {
  it("places hits with a position, names them with title, author and distance, and counts the rest", () => {
    const { points, unplaced } = resultsMapPoints(
      [
        hit({}, { distanceKm: 12.5 }),
        hit({ id: "22222222-2222-4222-8222-222222222222", latitude: null, longitude: null, title: "Nowhere" }),
        hit({ id: "33333333-3333-4333-8333-333333333333", local: true, kind: "offer", title: "Our jersey" }),
      ],
      { ownName: "Dye Co-op" },
    );
    expect(unplaced).toBe(1);
    expect(points).toEqual([
      {
        lat: 35.745,
        lon: -81.685,
        label: "Knitting capacity, by Knit Co-op (12.5 km)",
        href: "/listings/11111111-1111-4111-8111-111111111111",
        kind: "capacity",
      },
      {
        lat: 35.745,
        lon: -81.685,
        label: "Our jersey, by Dye Co-op",
        href: "/listings/33333333-3333-4333-8333-333333333333",
        kind: "offer",
      },
    ]);
  });

  it("links a listing only followers may see to its author's node, not to a public page here", () => {
    const { points } = resultsMapPoints(
      [
        hit(
          { visibility: "followers" },
          { author: { iri: "https://knit.example/coops/coop", handle: null, name: null, knownVia: null } },
        ),
      ],
      {
        ownName: "Dye Co-op",
      },
    );
    expect(points[0]?.href).toBe("https://knit.example/listings/1");
    expect(points[0]?.label).toBe("Knitting capacity, by knit.example");
  });

  it("feeds renderMap: two co-ops sharing a town get two markers", async () => {
    const { points } = resultsMapPoints([hit({}), hit({ id: "44444444-4444-4444-8444-444444444444" })], {
      ownName: "Dye Co-op",
    });
    const svg = String(await renderMap(points, { title: "Results" }));
    expect([...svg.matchAll(/<a class="map-marker"/g)]).toHaveLength(2);
  });
});
