// Use cases for matches: our needs against known offers and capacity, and
// known needs against ours, best first; and marking them seen.
import { findMatches, markMatchesSeen as storeSeen } from "../domain/matching.ts";
import type { ActionContext } from "./context.ts";
import { type ListingJson, listingJson } from "./listings.ts";

export interface MatchJson {
  need: ListingJson;
  offer: ListingJson;
  score: number;
  /** Why they match, in words. */
  reasons: string[];
  /** Not yet marked seen. */
  new: boolean;
}

export async function listMatches(weft: ActionContext, filter: { onlyNew?: boolean } = {}): Promise<MatchJson[]> {
  const matches = await findMatches(weft.services.db);
  return matches
    .filter((m) => !filter.onlyNew || m.isNew)
    .map((m) => ({
      need: listingJson(m.need),
      offer: listingJson(m.offer),
      score: m.score,
      reasons: m.reasons,
      new: m.isNew,
    }));
}

/** Marks every current match as seen; answers how many were new. */
export async function markMatchesSeen(weft: ActionContext): Promise<number> {
  const { db } = weft.services;
  const fresh = (await findMatches(db)).filter((m) => m.isNew);
  await storeSeen(
    db,
    fresh.map((m) => ({ needIri: m.need.iri, offerIri: m.offer.iri })),
  );
  return fresh.length;
}
