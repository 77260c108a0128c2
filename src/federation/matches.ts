// New need–offer matches are announced in the node's log as they appear.
import type { Database } from "../db/client.ts";
import { findMatches } from "../domain/matching.ts";
import { logger } from "../logging.ts";

const log = logger("matches");

export async function announceNewMatches(db: Database, listingIri: string): Promise<void> {
  const matches = await findMatches(db, listingIri).catch((error) => {
    log.warning("Could not look for matches of {listing}: {error}", { listing: listingIri, error });
    return [];
  });
  for (const m of matches.filter((x) => x.isNew)) {
    log.info("New match: need {need} ({needTitle}) and {kind} {offer} ({offerTitle}): {reasons}", {
      need: m.need.iri,
      needTitle: m.need.title,
      kind: m.offer.kind,
      offer: m.offer.iri,
      offerTitle: m.offer.title,
      reasons: m.reasons.join("; "),
    });
  }
}
