// When a co-op accepts our follow, fetch the listings it already had: the
// first page of its listings collection and on, signed as us so that
// followers-only listings come too.
import { Collection, isActor, OrderedCollection, Proposal } from "@fedify/vocab";
import { logger } from "../logging.ts";
import type { WeftContext } from "./context.ts";
import { receiveProposal } from "./inbox/listing.ts";

const log = logger("federation", "backfill");
/** Enough for any co-op's catalogue; a bound so a hostile server cannot keep us busy. */
const MAX_LISTINGS = 5000;

export async function backfillListings(ctx: WeftContext, actorIri: string): Promise<number> {
  const documentLoader = await ctx.getDocumentLoader({ identifier: ctx.data.config.handle });
  const actor = await ctx.lookupObject(actorIri, { documentLoader });
  if (!isActor(actor) || actor.id?.href !== actorIri) return 0;
  let stored = 0;
  let seen = 0;
  for await (const stream of actor.getStreams({ documentLoader })) {
    if (!(stream instanceof OrderedCollection || stream instanceof Collection)) continue;
    // Only the author's own listings collection (same server), not foreign streams.
    if (stream.id?.origin !== new URL(actorIri).origin) continue;
    for await (const item of ctx.traverseCollection(stream, { documentLoader, suppressError: true })) {
      if (++seen > MAX_LISTINGS) break;
      if (!(item instanceof Proposal)) continue;
      const outcome = await receiveProposal(ctx, item, actorIri, "backfill", actor.followersId?.href ?? null);
      if (outcome === "stored") stored++;
      else if (outcome.startsWith("rejected"))
        log.warning("Backfilled listing {id} {outcome}", { id: item.id?.href, outcome });
    }
  }
  log.info("Backfilled {stored} listings of {actor}", { stored, actor: actorIri });
  return stored;
}
