// Create, Update and Delete of listings (FEP-0837 Proposals) from co-ops we
// follow. Every rule that protects stored data is here: only the author may
// change a listing, the newest version wins, deleted stays deleted, and
// nothing invalid is stored.
import type { InboxContext } from "@fedify/fedify";
import { type Create, type Delete, isActor, Proposal, Tombstone, type Update } from "@fedify/vocab";
import { actorIri as ourActorIri } from "../../domain/actor.ts";
import { isPublicAudience } from "../../domain/audience.ts";
import { isFollowing } from "../../domain/follows.ts";
import { listingRuleErrors } from "../../domain/listing-rules.ts";
import { deleteRemoteListing, getListingByIri, saveRemoteListing } from "../../domain/listings.ts";
import { announceNewMatches } from "../../domain/matching.ts";
import type { ListingSource, Visibility } from "../../domain/records.ts";
import { acceptedRelays, isRelayMember } from "../../domain/relays.ts";
import { logger } from "../../logging.ts";
import type { NodeServices, WeftContext } from "../context.ts";
import { listingDataFromProposal } from "../listing-vocab.ts";
import { relayForward } from "../relay.ts";
import { rememberActor } from "../remote-actor.ts";

const log = logger("federation", "inbox", "listing");

/** Who the author addressed: public, its followers, or named partners (us among them). */
export function visibilityOf(
  proposal: Proposal,
  authorFollowers: string | null,
): { visibility: Visibility; partners: string[] } {
  const audience = [...proposal.toIds, ...proposal.ccIds].map((u) => u.href);
  if (isPublicAudience(audience)) {
    return { visibility: "public", partners: [] };
  }
  if (authorFollowers && audience.includes(authorFollowers)) return { visibility: "followers", partners: [] };
  return { visibility: "partners", partners: audience };
}

/**
 * Validates and stores one received Proposal by `actorIri`. Used by the
 * inbox and by backfill. Returns what happened, for logs and tests.
 */
export async function receiveProposal(
  ctx: WeftContext,
  proposal: Proposal,
  actorIri: string,
  source: ListingSource,
  authorFollowers: string | null,
): Promise<string> {
  const iri = proposal.id;
  if (!iri) return "rejected: no id";
  // The listing, its author and the sender must agree, and the listing
  // must live on its author's server: nobody can post in another's name.
  if (proposal.attributionId?.href !== actorIri) return "rejected: attributedTo is not the sender";
  if (iri.origin !== new URL(actorIri).origin) return "rejected: listing IRI is not on the author's server";
  const { visibility, partners } = visibilityOf(proposal, authorFollowers);
  const data = await listingDataFromProposal(proposal, visibility, partners);
  const errors = listingRuleErrors(data);
  if (errors.length > 0) return `rejected: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}`;
  const published = proposal.published ? new Date(proposal.published.epochMilliseconds) : new Date();
  const updated = proposal.updated ? new Date(proposal.updated.epochMilliseconds) : published;
  const outcome = await saveRemoteListing(
    ctx.data.db,
    { iri: iri.href, authorIri: actorIri, source, published, updated },
    data,
  );
  if (outcome === "stored") await announceNewMatches(ctx.data.db, iri.href);
  return outcome;
}

async function onProposalActivity(ctx: InboxContext<NodeServices>, activity: Create | Update): Promise<void> {
  const actorIri = activity.actorId?.href;
  if (!actorIri) return;
  const object = await activity.getObject({
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
    suppressError: true,
  });
  if (!(object instanceof Proposal)) return;
  await relayForward(ctx, activity);
  const me = ourActorIri(ctx.data.config);
  const addressedToMe = [...activity.toIds, ...activity.ccIds, ...object.toIds].some((u) => u.href === me);
  let source: ListingSource = "follow";
  if (!addressedToMe && !(await isFollowing(ctx.data.db, actorIri))) {
    // A public listing from a co-op we do not follow: learned through a hub.
    const viaRelay = isPublicActivity(activity) && (await acceptedRelays(ctx.data.db)).length > 0;
    if (!viaRelay && !(ctx.data.config.relay && (await isRelayMember(ctx.data.db, actorIri)))) {
      log.info("Ignoring listing {id} from {actor}, whom we do not follow", { id: object.id?.href, actor: actorIri });
      return;
    }
    source = "relay";
  }
  const actor = await activity.getActor(ctx);
  // A co-op first heard of through a hub joins the directory.
  if (source === "relay" && isActor(actor) && actor.id?.href === actorIri) await rememberActor(ctx, actor, "relay");
  const outcome = await receiveProposal(ctx, object, actorIri, source, actor?.followersId?.href ?? null);
  const level = outcome.startsWith("rejected") ? "warning" : "info";
  log[level]("{type} of listing {id} from {actor}: {outcome}", {
    type: activity.constructor.name,
    id: object.id?.href,
    actor: actorIri,
    outcome,
  });
}

export const onCreate = (ctx: InboxContext<NodeServices>, create: Create) => onProposalActivity(ctx, create);
export const onListingUpdate = (ctx: InboxContext<NodeServices>, update: Update) => onProposalActivity(ctx, update);

function isPublicActivity(activity: Create | Update | Delete): boolean {
  return isPublicAudience([...activity.toIds, ...activity.ccIds].map((u) => u.href));
}

export async function onDelete(ctx: InboxContext<NodeServices>, del: Delete): Promise<void> {
  const actorIri = del.actorId?.href;
  const iri = del.objectId;
  if (!actorIri || !iri) return;
  await relayForward(ctx, del);
  if (iri.origin !== new URL(actorIri).origin) {
    log.warning("Ignoring Delete of {id} by {actor}: not on the sender's server", { id: iri.href, actor: actorIri });
    return;
  }
  if (iri.href === actorIri) return; // an actor deleting itself; not handled yet
  // Tombstones only for listings we hold or co-ops we follow: a stranger's
  // Deletes must not fill our database.
  if (!(await getListingByIri(ctx.data.db, iri.href)) && !(await isFollowing(ctx.data.db, actorIri))) return;
  const object = await del.getObject({
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
    suppressError: true,
  });
  const when =
    object instanceof Tombstone && object.deleted ? object.deleted : (del.published ?? Temporal.Now.instant());
  const outcome = await deleteRemoteListing(ctx.data.db, iri.href, actorIri, new Date(when.epochMilliseconds));
  log.info("Delete of {id} from {actor}: {outcome}", { id: iri.href, actor: actorIri, outcome });
  if (outcome === "deleted") await announceNewMatches(ctx.data.db, iri.href);
}
