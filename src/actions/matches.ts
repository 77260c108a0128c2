// Use cases for matches: our needs against known offers and capacity, and
// known needs against ours, best first; and marking them seen.
import {
  findMatches,
  findMatchesBySide,
  type Match,
  type MatchQuery,
  markAllMatchesSeen,
  matchTotals as totals,
} from "../domain/matching.ts";
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

export type MatchFilter = MatchQuery;

/** The best matches (at most 1000, or `limit`), optionally only new ones or one side's. */
export async function listMatches(weft: ActionContext, filter: MatchFilter = {}): Promise<MatchJson[]> {
  return (await findMatches(weft.services.db, filter)).map(matchJson);
}

/** The best `limit` matches for our needs and, apart, for partners' needs (the Matches page). */
export async function listMatchesBySide(
  weft: ActionContext,
  limit: number,
): Promise<{ ourNeeds: MatchJson[]; theirNeeds: MatchJson[] }> {
  const { ourNeeds, theirNeeds } = await findMatchesBySide(weft.services.db, {}, limit);
  return { ourNeeds: ourNeeds.map(matchJson), theirNeeds: theirNeeds.map(matchJson) };
}

function matchJson(m: Match): MatchJson {
  return {
    need: listingJson(m.need),
    offer: listingJson(m.offer),
    score: m.score,
    reasons: m.reasons,
    new: m.isNew,
  };
}

/** How many matches there are for our needs, for partners' needs, and how many of all are new. */
export async function matchTotals(
  weft: ActionContext,
): Promise<{ ourNeeds: number; theirNeeds: number; fresh: number }> {
  return await totals(weft.services.db);
}

/** Marks every current match as seen; answers how many were new. */
export async function markMatchesSeen(weft: ActionContext): Promise<number> {
  return await markAllMatchesSeen(weft.services.db);
}
