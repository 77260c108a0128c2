// Use cases for the co-op's own listings: publish, edit, withdraw, and the
// reads a page or the API shows (one listing, the list, the timeline), all
// in the JSON shape the API has always answered with.

import { actorIri } from "../domain/actor.ts";
import { findRemoteActor } from "../domain/follows.ts";
import { markdownToSafeHtml } from "../domain/html.ts";
import { type ListingData, listingRuleErrors, type Quantity } from "../domain/listing-rules.ts";
import {
  createOwnListing,
  decodeCursor,
  deleteOwnListing,
  getListingById,
  getOwnListing,
  knownCategories,
  listingDataOf,
  listOwnListings,
  ownListingsPage,
  timelinePage,
  updateOwnListing,
} from "../domain/listings.ts";
import { announceNewMatches } from "../domain/matching.ts";
import type { ListingKind, ListingRow, ListingSource, ListingStatus } from "../domain/records.ts";
import { afterStore, inTransaction } from "../domain/unit-of-work.ts";
import { sendListingCreate, sendListingDelete, sendListingUpdate } from "../federation/listings.ts";
import { type ActionContext, federationContext } from "./context.ts";
import { ActionError, invalidInput } from "./errors.ts";
import { type RemoteActorJson, remoteActorJson } from "./follows.ts";

export type { Quantity };

/** A listing as a co-op writes it; dates are ISO 8601 dates or date-times with zone. */
export interface ListingInput {
  kind: ListingKind;
  title: string;
  /** Markdown. */
  description?: string;
  category: string;
  quantity?: Quantity | null;
  minimumOrder?: Quantity | null;
  price?: { amount: string; currency: string; per?: string } | null;
  rate?: { amount: string; unit: string; per: string } | null;
  availableFrom?: string | null;
  availableUntil?: string | null;
  region?: string | null;
  location?: { lat: number; lon: number } | null;
  /** "public", "followers", or the partner actor URLs that may see it. */
  visibility?: "public" | "followers" | string[];
  status?: "active" | "paused";
}

/** Fields to change; null clears an optional field. */
export type ListingPatch = Partial<ListingInput>;

/** A listing as the API and the pages show it. */
export interface ListingJson {
  id: string;
  iri: string;
  kind: ListingKind;
  status: ListingStatus;
  title: string;
  description: string | null;
  descriptionHtml: string;
  category: string;
  quantity: Quantity | null;
  minimumOrder: Quantity | null;
  price: { amount: string; currency: string; per: string | null } | null;
  rate: { amount: string; unit: string; per: string } | null;
  availableFrom: string | null;
  availableUntil: string | null;
  region: string | null;
  location: { lat: number; lon: number } | null;
  visibility: "public" | "followers" | string[];
  author: string;
  local: boolean;
  source: string;
  published: string;
  updated: string;
}

export function listingJson(row: ListingRow): ListingJson {
  const data = listingDataOf(row);
  return {
    id: row.id,
    iri: row.iri,
    kind: row.kind,
    status: row.status,
    title: row.title,
    description: row.descriptionSource,
    descriptionHtml: row.descriptionHtml,
    category: row.category,
    quantity: data.quantity,
    minimumOrder: data.minimumOrder,
    price: data.price,
    rate: data.rate,
    availableFrom: row.availableFrom?.toISOString() ?? null,
    availableUntil: row.availableUntil?.toISOString() ?? null,
    region: row.region,
    location: data.location,
    visibility: row.visibility === "partners" ? row.partners : row.visibility,
    author: row.authorIri,
    local: row.local,
    source: row.source,
    published: row.published.toISOString(),
    updated: row.updated.toISOString(),
  };
}

function toDate(value: string | null | undefined, endOfDay: boolean): Date | null {
  if (!value) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? new Date(`${value}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z`)
    : new Date(value);
}

function listingDataFrom(input: ListingInput): ListingData {
  const visibility = input.visibility ?? "public";
  return {
    kind: input.kind,
    title: input.title,
    descriptionHtml: markdownToSafeHtml(input.description ?? ""),
    category: input.category,
    quantity: input.quantity ?? null,
    minimumOrder: input.minimumOrder ?? null,
    price: input.price ? { ...input.price, per: input.price.per ?? null } : null,
    rate: input.rate ?? null,
    availableFrom: toDate(input.availableFrom, false),
    availableUntil: toDate(input.availableUntil, true),
    region: input.region ?? null,
    location: input.location ?? null,
    visibility: Array.isArray(visibility) ? "partners" : visibility,
    partners: Array.isArray(visibility) ? visibility : [],
    status: input.status ?? "active",
  };
}

/** The stored listing as input again, so a patch can be applied on top of it. */
function inputOf(row: ListingRow): ListingInput {
  const data = listingDataOf(row);
  return {
    kind: data.kind,
    title: data.title,
    description: row.descriptionSource ?? undefined,
    category: data.category,
    quantity: data.quantity,
    minimumOrder: data.minimumOrder,
    price: data.price
      ? { amount: data.price.amount, currency: data.price.currency, per: data.price.per ?? undefined }
      : null,
    rate: data.rate,
    availableFrom: data.availableFrom?.toISOString() ?? null,
    availableUntil: data.availableUntil?.toISOString() ?? null,
    region: data.region,
    location: data.location,
    visibility: data.visibility === "partners" ? data.partners : data.visibility,
    status: data.status,
  };
}

function checked(input: ListingInput): ListingData {
  const data = listingDataFrom(input);
  const errors = listingRuleErrors(data);
  if (errors.length > 0) throw invalidInput(errors);
  return data;
}

async function findOwn(weft: ActionContext, id: string): Promise<ListingRow> {
  const row = await getOwnListing(weft.services.db, id);
  if (!row || row.status === "deleted") throw new ActionError("not_found", "No such listing");
  return row;
}

/** Stores a new listing and sends it to its audience at once. */
export async function publishListing(weft: ActionContext, input: ListingInput): Promise<ListingJson> {
  const data = checked(input);
  const ctx = federationContext(weft);
  const { db, config } = weft.services;
  const row = await inTransaction(weft.services, "publishListing", async () => {
    const row = await createOwnListing(db, config.origin, actorIri(config), data, input.description ?? null);
    afterStore(config, "publishListing");
    await sendListingCreate(ctx, row);
    return row;
  });
  await announceNewMatches(db, row.iri);
  return listingJson(row);
}

/** Changes a listing (its kind never changes); its audience receives an Update. */
export async function editListing(weft: ActionContext, id: string, patch: ListingPatch): Promise<ListingJson> {
  const before = await findOwn(weft, id);
  if (patch.kind !== undefined && patch.kind !== before.kind) {
    throw new ActionError("invalid", "The kind of a listing cannot change; publish a new listing", [
      { field: "kind", message: "cannot change" },
    ]);
  }
  const merged = { ...inputOf(before), ...patch } as ListingInput;
  const data = checked(merged);
  const row = await inTransaction(weft.services, "editListing", async () => {
    const row = await updateOwnListing(weft.services.db, before.id, data, merged.description ?? null);
    if (!row) throw new ActionError("not_found", "No such listing");
    afterStore(weft.services.config, "editListing");
    await sendListingUpdate(federationContext(weft), row, before);
    return row;
  });
  await announceNewMatches(weft.services.db, row.iri);
  return listingJson(row);
}

/** Removes a listing; its audience receives a Delete. */
export async function withdrawListing(weft: ActionContext, id: string): Promise<void> {
  const before = await findOwn(weft, id);
  const row = await inTransaction(weft.services, "withdrawListing", async () => {
    const row = await deleteOwnListing(weft.services.db, before.id);
    if (!row) throw new ActionError("not_found", "No such listing");
    afterStore(weft.services.config, "withdrawListing");
    await sendListingDelete(federationContext(weft), row, before);
    return row;
  });
  await announceNewMatches(weft.services.db, row.iri);
}

export async function getListing(weft: ActionContext, id: string): Promise<ListingJson> {
  return listingJson(await findOwn(weft, id));
}

/** A listing this node knows, with the co-op it comes from (null for ours). */
export interface KnownListingJson {
  listing: ListingJson;
  author: RemoteActorJson | null;
}

/**
 * Any listing this node knows and may show its people: ours unless
 * withdrawn, or one another co-op sent us (it reached us, so it is ours to
 * read; a withdrawn one is deleted here when its Delete arrives).
 */
export async function getKnownListing(weft: ActionContext, id: string): Promise<KnownListingJson> {
  const { db } = weft.services;
  const row = await getListingById(db, id);
  if (!row || row.status === "deleted") throw new ActionError("not_found", "No such listing");
  if (row.local) return { listing: listingJson(row), author: null };
  const actor = await findRemoteActor(db, row.authorIri);
  return {
    listing: listingJson(row),
    author: actor
      ? remoteActorJson(actor)
      : { iri: row.authorIri, handle: null, name: null, summary: null, url: null, type: "Organization" },
  };
}

export interface ListingListFilter {
  kind?: ListingKind;
  /** Matches the category and its sub-categories. */
  category?: string;
  status?: "active" | "paused";
}

/** The co-op's own listings, newest change first. */
export async function listListings(weft: ActionContext, filter: ListingListFilter = {}): Promise<ListingJson[]> {
  return (await listOwnListings(weft.services.db, filter)).map(listingJson);
}

/**
 * One page of the co-op's own listings, newest change first, filtered in
 * the database; `next` is the cursor of the page after it (null on the last).
 */
export async function listListingPage(
  weft: ActionContext,
  filter: ListingListFilter,
  page: { after?: string; limit: number },
): Promise<{ items: ListingJson[]; next: string | null }> {
  const { items, next } = await ownListingsPage(weft.services.db, { ...filter, ...page });
  return { items: items.map(listingJson), next };
}

export interface TimelineQuery {
  kind?: ListingKind;
  category?: string;
  /** `next` from the previous page. */
  cursor?: string;
  limit: number;
  sources?: ListingSource[];
}

/** Active listings of the co-ops we follow and our own, newest change first, a page at a time. */
export async function timeline(
  weft: ActionContext,
  query: TimelineQuery,
): Promise<{ items: ListingJson[]; next: string | null }> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  if (query.cursor && !after) {
    throw new ActionError("invalid", "Invalid cursor", [
      { field: "query.cursor", message: "is not a cursor from this API" },
    ]);
  }
  const page = await timelinePage(weft.services.db, { ...query, after });
  return { items: page.items.map(listingJson), next: page.next };
}

/** The categories listings here use, ours and partners', for a category picker. */
export async function listingCategories(weft: ActionContext): Promise<string[]> {
  return await knownCategories(weft.services.db);
}
