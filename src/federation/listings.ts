// Listings on the wire: each one dereferenceable at its IRI (only by those
// allowed to see it), the co-op's listings collection for backfill, and
// Create/Update/Delete sent to the right audience in order.
import type { Federation } from "@fedify/fedify";
import { Create, Delete, Hashtag, Note, Proposal, PUBLIC_COLLECTION, Tombstone, Update } from "@fedify/vocab";
import { acceptedFollowersPage, findRemoteActors } from "../domain/follows.ts";
import { escapeHtml } from "../domain/html.ts";
import { categoryHashtag, termsText } from "../domain/listing-text.ts";
import { decodeCursor, getOwnListing, isVisibleTo, listingDataOf, visibleOwnListingsPage } from "../domain/listings.ts";
import { recordSentActivity } from "../domain/outbox.ts";
import type { ListingRow } from "../domain/records.ts";
import { acceptedRelays } from "../domain/relays.ts";
import type { NodeServices, WeftContext } from "./context.ts";
import { categoryIri, toProposal } from "./listing-vocab.ts";
import { recipientOf } from "./remote-actor.ts";

export const LISTINGS_COLLECTION = "listings";
const PAGE_SIZE = 50;

function proposalOf(ctx: WeftContext, row: ListingRow): Proposal {
  const followers = ctx.getFollowersUri(ctx.data.config.handle);
  return toProposal(row, listingDataOf(row), followers, ctx.origin);
}

/**
 * The same public listing as a Note, for Mastodon and other microblogging
 * servers, which drop object types they do not know (Proposal among them).
 * Weft nodes ignore it. See spec/listings.md, "Seen from Mastodon".
 */
function noteOf(ctx: WeftContext, row: ListingRow): Note {
  const data = listingDataOf(row);
  const tagUrl = categoryIri(ctx.origin, data.category);
  const hashtag = categoryHashtag(data.category);
  return new Note({
    id: new URL(`${row.iri}/note`),
    attribution: new URL(row.authorIri),
    content:
      `<p><strong>${escapeHtml(data.title)}</strong></p>${data.descriptionHtml}` +
      `<p>${escapeHtml(termsText(data))}</p>` +
      `<p><a href="${escapeHtml(row.iri)}">${escapeHtml(row.iri)}</a> ` +
      `<a href="${escapeHtml(tagUrl.href)}" class="mention hashtag" rel="tag">${escapeHtml(hashtag)}</a></p>`,
    url: new URL(row.iri),
    tags: [new Hashtag({ name: hashtag, href: tagUrl })],
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(ctx.data.config.handle),
    published: Temporal.Instant.fromEpochMilliseconds(row.published.getTime()),
    updated: Temporal.Instant.fromEpochMilliseconds(row.updated.getTime()),
  });
}

export function registerListings(federation: Federation<NodeServices>): void {
  federation.setObjectDispatcher(Note, "/listings/{id}/note", async (ctx, { id }) => {
    const row = await getOwnListing(ctx.data.db, id);
    return row && row.status === "active" && row.visibility === "public" ? noteOf(ctx, row) : null;
  });

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

type Recipient = { id: URL; inboxId: URL; endpoints: { sharedInbox: URL } | null };

/** The hubs (relays) we joined, which pass public activities on to their members. */
async function relayRecipients(ctx: WeftContext): Promise<Recipient[]> {
  return (await acceptedRelays(ctx.data.db)).map((relay) => ({
    id: new URL(relay.actorIri),
    inboxId: new URL(relay.inbox),
    endpoints: relay.sharedInbox ? { sharedInbox: new URL(relay.sharedInbox) } : null,
  }));
}

/** The actors a listing's activities go to (our accepted followers, or its partners). */
async function recipientsOf(ctx: WeftContext, visibility: ListingRow["visibility"], partners: string[]) {
  if (visibility === "partners") {
    if (partners.length === 0) return [];
    const rows = await findRemoteActors(ctx.data.db, partners);
    return rows.map(recipientOf);
  }
  const all = [];
  for (let after: string | null = null; ; ) {
    const page = await acceptedFollowersPage(ctx.data.db, after, 1000);
    all.push(...page.items.map(recipientOf));
    if (!page.next) break;
    after = page.next;
  }
  // Public listings also go to the hubs we joined, which pass them on.
  if (visibility === "public") all.push(...(await relayRecipients(ctx)));
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
  await sendOnly(ctx, activity, row, recipients);
}

/** Delivers without recording in the outbox (the Note twins of listing activities). */
async function sendOnly(
  ctx: WeftContext,
  activity: Create | Update | Delete,
  row: ListingRow,
  recipients: Awaited<ReturnType<typeof recipientsOf>>,
): Promise<void> {
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
  const recipients = await recipientsOf(ctx, row.visibility, row.partners);
  await send(ctx, create, row, recipients);
  if (row.visibility === "public") {
    const note = noteOf(ctx, row);
    const createNote = new Create({
      id: activityId(row, "create-note"),
      actor: note.attributionId,
      object: note,
      to: PUBLIC_COLLECTION,
      cc: note.ccId,
    });
    await sendOnly(ctx, createNote, row, recipients);
  }
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
  const hubs = await relayRecipients(ctx);
  const hubIris = new Set(hubs.map((r) => r.id.href));
  const lost = (await recipientsOf(ctx, before.visibility, before.partners)).filter(
    (r) => !stillSee.has(r.id.href) && !hubIris.has(r.id.href),
  );
  if (lost.length > 0) await sendDelete(ctx, row, lost);
  if (before.visibility === "public" && row.visibility !== "public") await sendWithdrawal(ctx, row, before, hubs);
  await sendNoteChange(ctx, row, before, now);
}

/**
 * A listing is no longer public: the hubs passed its public version on to
 * co-ops we do not know, so a public Delete of that version goes to the hubs,
 * which pass it on as well. Its Tombstone's `deleted` is the old version's
 * `updated`, so a follower that already holds the new version keeps it.
 */
async function sendWithdrawal(ctx: WeftContext, row: ListingRow, before: ListingRow, hubs: Recipient[]): Promise<void> {
  if (hubs.length === 0) return;
  const withdrawal = new Delete({
    id: activityId(row, "withdraw"),
    actor: new URL(row.authorIri),
    object: new Tombstone({
      id: new URL(row.iri),
      deleted: Temporal.Instant.fromEpochMilliseconds(before.updated.getTime()),
    }),
    to: PUBLIC_COLLECTION,
  });
  await send(ctx, withdrawal, before, hubs);
}

/** Keeps the Mastodon-facing Note in step: updated while public, deleted when no longer. */
async function sendNoteChange(
  ctx: WeftContext,
  row: ListingRow,
  before: ListingRow,
  recipients: Awaited<ReturnType<typeof recipientsOf>>,
): Promise<void> {
  const wasPublic = before.visibility === "public" && before.status === "active";
  const isPublic = row.visibility === "public" && row.status === "active";
  if (isPublic) {
    const note = noteOf(ctx, row);
    const Verb = wasPublic ? Update : Create;
    const activity = new Verb({
      id: activityId(row, wasPublic ? "update-note" : "create-note"),
      actor: note.attributionId,
      object: note,
      to: PUBLIC_COLLECTION,
      cc: note.ccId,
    });
    await sendOnly(ctx, activity, row, recipients);
  } else if (wasPublic) {
    // Followers and hubs: the hubs passed the Note on too.
    const everyone = await recipientsOf(ctx, "public", []);
    const del = new Delete({
      id: activityId(row, "delete-note"),
      actor: new URL(row.authorIri),
      object: new Tombstone({ id: new URL(`${row.iri}/note`) }),
      to: PUBLIC_COLLECTION,
    });
    await sendOnly(ctx, del, row, everyone);
  }
}

export async function sendListingDelete(ctx: WeftContext, row: ListingRow, before: ListingRow): Promise<void> {
  const recipients = await recipientsOf(ctx, row.visibility, row.partners);
  await sendDelete(ctx, row, recipients);
  await sendNoteChange(ctx, row, before, recipients);
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
    // A public listing's Delete is public too, so relays pass it on.
    ...(row.visibility === "public"
      ? { tos: [PUBLIC_COLLECTION], ccs: [ctx.getFollowersUri(ctx.data.config.handle)] }
      : { tos: recipients.map((r) => r.id) }),
  });
  await send(ctx, del, row, recipients);
}
