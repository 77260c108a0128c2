// Listings on the wire: each one dereferenceable at its IRI (only by those
// allowed to see it), the co-op's listings collection for backfill, and
// Create/Update/Delete sent to the right audience in order.
import type { Federation } from "@fedify/fedify";
import { Create, Delete, Proposal, Tombstone, Update } from "@fedify/vocab";
import { inArray } from "drizzle-orm";
import { type ListingRow, remoteActors } from "../db/schema.ts";
import { acceptedFollowersPage } from "../domain/follows.ts";
import { decodeCursor, getOwnListing, isVisibleTo, listingDataOf, visibleOwnListingsPage } from "../domain/listings.ts";
import { recordSentActivity } from "../domain/outbox.ts";
import type { NodeServices, WeftContext } from "./context.ts";
import { toProposal } from "./listing-vocab.ts";
import { recipientOf } from "./remote-actor.ts";

export const LISTINGS_COLLECTION = "listings";
const PAGE_SIZE = 50;

export function proposalOf(ctx: WeftContext, row: ListingRow): Proposal {
  const followers = ctx.getFollowersUri(ctx.data.config.handle);
  return toProposal(row, listingDataOf(row), followers, ctx.origin);
}

export function registerListings(federation: Federation<NodeServices>): void {
  federation
    .setObjectDispatcher(Proposal, "/listings/{id}", async (ctx, { id }) => {
      const row = await getOwnListing(ctx.data.db, id);
      return row && row.status !== "deleted" ? proposalOf(ctx, row) : null;
    })
    .authorize(async (ctx, { id }) => {
      const row = await getOwnListing(ctx.data.db, id);
      if (!row) return true; // let the dispatcher answer 404
      if (row.visibility === "public") return row.status !== "deleted";
      const owner = await ctx.getSignedKeyOwner();
      return await isVisibleTo(ctx.data.db, row, owner?.id?.href ?? null);
    });

  federation
    .setOrderedCollectionDispatcher(
      LISTINGS_COLLECTION,
      Proposal,
      "/coops/{identifier}/listings",
      async (ctx, { identifier }, cursor) => {
        if (identifier !== ctx.data.config.handle || cursor === null) return null;
        const owner = await ctx.getSignedKeyOwner();
        const page = await visibleOwnListingsPage(
          ctx.data.db,
          owner?.id?.href ?? null,
          cursor ? decodeCursor(cursor) : null,
          PAGE_SIZE,
        );
        return { items: page.items.map((row) => proposalOf(ctx, row)), nextCursor: page.next };
      },
    )
    .setFirstCursor(() => "");
}

/** The actors a listing's activities go to (our accepted followers, or its partners). */
async function recipientsOf(ctx: WeftContext, visibility: ListingRow["visibility"], partners: string[]) {
  if (visibility === "partners") {
    if (partners.length === 0) return [];
    const rows = await ctx.data.db.select().from(remoteActors).where(inArray(remoteActors.iri, partners));
    return rows.map(recipientOf);
  }
  const all = [];
  for (let after: string | null = null; ; ) {
    const page = await acceptedFollowersPage(ctx.data.db, after, 1000);
    all.push(...page.items.map(recipientOf));
    if (!page.next) break;
    after = page.next;
  }
  return all;
}

async function send(
  ctx: WeftContext,
  activity: Create | Update | Delete,
  row: ListingRow,
  recipients: Awaited<ReturnType<typeof recipientsOf>>,
): Promise<void> {
  const audience = row.visibility === "public" ? "public" : row.visibility === "followers" ? "followers" : "direct";
  await recordSentActivity(ctx.data.db, {
    iri: (activity.id as URL).href,
    type: activity.constructor.name,
    audience,
    recipients: row.visibility === "partners" ? row.partners : [],
    activity: (await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<
      string,
      unknown
    >,
  });
  if (recipients.length === 0) return;
  // One ordering key per listing: a Delete never overtakes its Create.
  await ctx.sendActivity({ identifier: ctx.data.config.handle }, recipients, activity, {
    orderingKey: row.iri,
    preferSharedInbox: true,
  });
}

function activityId(row: ListingRow, verb: string): URL {
  return new URL(`${row.iri}#${verb}-${row.updated.getTime()}`);
}

export async function sendListingCreate(ctx: WeftContext, row: ListingRow): Promise<void> {
  const proposal = proposalOf(ctx, row);
  const create = new Create({
    id: activityId(row, "create"),
    actor: new URL(row.authorIri),
    object: proposal,
    tos: proposal.toIds,
    ccs: proposal.ccIds,
    published: proposal.published,
  });
  await send(ctx, create, row, await recipientsOf(ctx, row.visibility, row.partners));
}

/**
 * Sends the new version to everyone who may now see it, and a Delete to
 * those who could see the old version but not the new one.
 */
export async function sendListingUpdate(ctx: WeftContext, row: ListingRow, before: ListingRow): Promise<void> {
  const proposal = proposalOf(ctx, row);
  const update = new Update({
    id: activityId(row, "update"),
    actor: new URL(row.authorIri),
    object: proposal,
    tos: proposal.toIds,
    ccs: proposal.ccIds,
    published: proposal.updated,
  });
  const now = await recipientsOf(ctx, row.visibility, row.partners);
  await send(ctx, update, row, now);
  const stillSee = new Set(now.map((r) => r.id.href));
  const lost = (await recipientsOf(ctx, before.visibility, before.partners)).filter((r) => !stillSee.has(r.id.href));
  if (lost.length > 0) await sendDelete(ctx, row, lost);
}

export async function sendListingDelete(ctx: WeftContext, row: ListingRow): Promise<void> {
  await sendDelete(ctx, row, await recipientsOf(ctx, row.visibility, row.partners));
}

async function sendDelete(
  ctx: WeftContext,
  row: ListingRow,
  recipients: Awaited<ReturnType<typeof recipientsOf>>,
): Promise<void> {
  const del = new Delete({
    id: activityId(row, "delete"),
    actor: new URL(row.authorIri),
    object: new Tombstone({
      id: new URL(row.iri),
      deleted: Temporal.Instant.fromEpochMilliseconds(row.updated.getTime()),
    }),
    tos: recipients.map((r) => r.id),
  });
  await send(ctx, del, row, recipients);
}
