// Use cases for finding capacity and partners: search every listing this
// node knows (with where each came from), and the directory of co-ops.
import { type KnownCoop, listKnownCoops } from "../domain/directory.ts";
import type { ListingKind } from "../domain/records.ts";
import { type SearchSort, searchListings as searchStored } from "../domain/search.ts";
import type { ActionContext } from "./context.ts";
import { type ListingJson, listingJson } from "./listings.ts";

export interface SearchInput {
  q?: string;
  kind?: ListingKind;
  /** Only this co-op's listings (its actor IRI). */
  author?: string;
  category?: string;
  region?: string;
  near?: { lat: number; lon: number };
  radiusKm?: number;
  /** ISO 8601 dates; availability must overlap [from, until]. */
  from?: string;
  until?: string;
  minQuantity?: { amount: string; unit: string };
  maxPrice?: { amount: string; currency: string };
  /** By default relevance with words, distance with `near`, newest otherwise. */
  sort?: SearchSort;
  includeExpired?: boolean;
  /** `next` from the previous page. */
  cursor?: string;
  limit: number;
}

export type SearchHitJson = ListingJson & {
  distanceKm: number | null;
  relevance: number | null;
  from: { coop: string; handle: string | null; name: string | null; via: string; coopKnownVia: string | null };
};

export async function searchListings(
  weft: ActionContext,
  input: SearchInput,
): Promise<{ items: SearchHitJson[]; next: string | null }> {
  const offset = input.cursor ? Number(input.cursor) : 0;
  const { hits, more } = await searchStored(weft.services.db, {
    q: input.q,
    kind: input.kind,
    author: input.author,
    category: input.category,
    region: input.region,
    near: input.near,
    radiusKm: input.radiusKm,
    from: input.from ? new Date(`${input.from}T00:00:00Z`) : undefined,
    until: input.until ? new Date(`${input.until}T23:59:59.999Z`) : undefined,
    minQuantity: input.minQuantity,
    maxPrice: input.maxPrice,
    sort: input.sort ?? (input.q ? "relevance" : input.near ? "distance" : "newest"),
    includeExpired: input.includeExpired === true,
    offset,
    limit: input.limit,
  });
  return {
    items: hits.map((h) => ({
      ...listingJson(h.listing),
      distanceKm: h.distanceKm,
      relevance: h.rank,
      from: {
        coop: h.author.iri,
        handle: h.author.handle,
        name: h.author.name,
        // How this node learned of the listing, and of its author.
        via: h.listing.source,
        coopKnownVia: h.listing.local ? "own" : h.author.knownVia,
      },
    })),
    next: more ? String(offset + input.limit) : null,
  };
}

export type { KnownCoop };

/** The directory of co-ops this node knows. */
export async function listCoops(
  weft: ActionContext,
  filter: { region?: string; category?: string; actor?: string } = {},
): Promise<KnownCoop[]> {
  return await listKnownCoops(weft.services.db, filter);
}
