// Listings, /app/listings: the co-op's own offers, capacity and needs with
// filters; a listing's page with its terms and map; the forms to publish
// and edit; withdrawing after a confirmation page (no script needed). Every
// read and change goes through the use cases in actions/listings.ts.

import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError, type FieldError } from "../actions/errors.ts";
import { listFollowers, listFollowing, type RemoteActorJson } from "../actions/follows.ts";
import {
  editListing,
  getKnownListing,
  getListing,
  type ListingJson,
  type ListingListFilter,
  listingCategories,
  listListingPage,
  publishListing,
  withdrawListing,
} from "../actions/listings.ts";
import { partnerNames } from "../actions/order-form.ts";
import { can } from "../actions/people.ts";
import { LISTING_KINDS, type ListingKind } from "../domain/records.ts";
import { buttonForm, type FormState, formState, selectField, textField } from "./forms.ts";
import { listingForm, type Partner } from "./listing-form.ts";
import { chosenPartners, formFieldOf, friendlyMessage, listingFormValues, readListingForm } from "./listing-input.ts";
import { receivedListingPage } from "./listing-received.ts";
import { KIND_LABELS } from "./listing-view.ts";
import { listingsTable, listingTerms } from "./listings-view.ts";
import { registerLocationPicker } from "./location-picker.ts";
import { renderMap } from "./map.ts";
import { respondWithPage } from "./respond.ts";
import { allowOnly, formFields, setFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";

type Refusal = (c: WorkspaceContext, reason: string) => Promise<Response>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Rows per page of the list; older ones are a "Next" link away (a keyset cursor, works without script). */
const LISTINGS_PER_PAGE = 50;
const STATUS_OF: Record<string, 400 | 404 | 409 | 422> = { not_found: 404, conflict: 409, unprocessable: 422 };

const page = respondWithPage;

/** Co-ops we follow or that follow us (accepted both ways): whom a listing can be shown to alone. */
async function knownPartners(c: WorkspaceContext): Promise<Partner[]> {
  const weft = c.get("deps");
  const [following, followers] = await Promise.all([listFollowing(weft), listFollowers(weft, { state: "accepted" })]);
  const byIri = new Map<string, Partner>();
  for (const r of [...following.filter((f) => f.state === "accepted"), ...followers]) {
    const a = r.actor;
    byIri.set(a.iri, { iri: a.iri, name: a.name ?? a.handle ?? new URL(a.iri).host });
  }
  return [...byIri.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function notFound(c: WorkspaceContext) {
  return page(
    c,
    "No such listing",
    html`<h1>No such listing</h1>
<div class="problem" role="alert"><p>This node does not know this listing: it may have been withdrawn by its co-op, or the address is wrong.</p></div>
<p><a href="/app/listings">Back to our listings</a></p>`,
    404,
  );
}

/** Our listing by the id in the path, or undefined (the caller answers 404). */
async function findListing(c: WorkspaceContext): Promise<ListingJson | undefined> {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) return undefined;
  try {
    return await getListing(c.get("deps"), id);
  } catch (error) {
    if (error instanceof ActionError && error.kind === "not_found") return undefined;
    throw error;
  }
}

/** A listing another co-op sent us, by the id in the path, or undefined. */
async function findReceived(
  c: WorkspaceContext,
): Promise<{ listing: ListingJson; author: RemoteActorJson } | undefined> {
  const id = c.req.param("id") ?? "";
  if (!UUID.test(id)) return undefined;
  try {
    const known = await getKnownListing(c.get("deps"), id);
    return known.author ? { listing: known.listing, author: known.author } : undefined;
  } catch (error) {
    if (error instanceof ActionError && error.kind === "not_found") return undefined;
    throw error;
  }
}

async function listPage(c: WorkspaceContext) {
  const q = c.req.query();
  const filter: ListingListFilter = {};
  if ((LISTING_KINDS as readonly string[]).includes(q.kind ?? "")) filter.kind = q.kind as ListingKind;
  if (q.status === "active" || q.status === "paused") filter.status = q.status;
  if (q.category?.trim()) filter.category = q.category.trim();
  const weft = c.get("deps");
  const after = q.after || undefined;
  const [{ items, next }, categories] = await Promise.all([
    listListingPage(weft, filter, { after, limit: LISTINGS_PER_PAGE }),
    listingCategories(weft),
  ]);
  // Names only of the partners this page's listings are shown to, in one query.
  const audience = items.flatMap((l) => (Array.isArray(l.visibility) ? l.visibility : []));
  const partners: Partner[] = [...(await partnerNames(weft, audience))].map(([iri, name]) => ({ iri, name }));
  const pageLink = (cursor?: string) => {
    const query = new URLSearchParams();
    if (filter.kind) query.set("kind", filter.kind);
    if (filter.status) query.set("status", filter.status);
    if (filter.category) query.set("category", filter.category);
    if (cursor) query.set("after", cursor);
    return `/app/listings${query.size > 0 ? `?${query}` : ""}`;
  };
  const filtered = Boolean(filter.kind || filter.status || filter.category);
  const form = formState({ kind: filter.kind ?? "", status: filter.status ?? "", category: filter.category ?? "" });
  const body = html`<div class="heading-row"><h1>Our listings</h1>${
    can(c.get("person").role, "act") ? html`<a class="button" href="/app/listings/new">New listing</a>` : ""
  }</div>
<p class="lead">What we offer, the production capacity we sell, and what we need. Each goes to its audience the moment it is published or changed.</p>
<form method="get" action="/app/listings" class="filters" role="search" aria-label="Filter our listings">
${selectField({ name: "kind", label: "Kind", form, options: [{ value: "", label: "All kinds" }, ...LISTING_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))] })}
${selectField({
  name: "status",
  label: "Status",
  form,
  options: [
    { value: "", label: "Active and paused" },
    { value: "active", label: "Active" },
    { value: "paused", label: "Paused" },
  ],
})}
${textField({ name: "category", label: "Category", form, list: "filter-categories", hint: "Includes the categories inside it." })}
<datalist id="filter-categories">${categories.map((cat) => html`<option value="${cat}"></option>`)}</datalist>
<div class="filter-buttons"><button type="submit" class="secondary">Show</button>${filtered ? html` <a href="/app/listings">Clear filters</a>` : ""}</div>
</form>
${
  items.length > 0
    ? html`<p class="meta" role="status">${
        next || after
          ? `${after ? "Older listings" : "The newest listings"}, ${LISTINGS_PER_PAGE} a page, most recently changed first`
          : `${items.length} ${items.length === 1 ? "listing" : "listings"}`
      }</p>${listingsTable(items, partners)}`
    : html`<p class="empty">${
        after
          ? "No more listings."
          : filtered
            ? "No listing matches these filters."
            : "No listings yet. Publish an offer, capacity or need so partners can find it."
      }</p>`
}
${
  next || after
    ? html`<nav class="inline pager" aria-label="More listings">${after ? html`<a href="${pageLink()}">Newest listings</a>` : ""}${
        next ? html`<a href="${pageLink(next)}" rel="next">Next ${LISTINGS_PER_PAGE} listings</a>` : ""
      }</nav>`
    : ""
}`;
  return page(c, "Listings", body);
}

interface FormPageOptions {
  form: FormState;
  partnersChosen: string[];
  problem?: string;
  listing?: ListingJson;
  status?: 200 | 400 | 404 | 409 | 422;
}

async function formPage(c: WorkspaceContext, o: FormPageOptions) {
  const [partners, categories] = await Promise.all([knownPartners(c), listingCategories(c.get("deps"))]);
  const l = o.listing;
  const title = l ? `Edit “${l.title}”` : "New listing";
  const body = html`<p class="crumbs"><a href="/app/listings">Our listings</a>${l ? html` › <a href="/app/listings/${l.id}">${l.title}</a>` : ""}</p>
<h1>${title}</h1>
${listingForm({
  action: l ? `/app/listings/${l.id}/edit` : "/app/listings",
  csrf: c.get("csrfToken"),
  fixedKind: l?.kind,
  form: o.form,
  partnersChosen: o.partnersChosen,
  partners,
  categories,
  problem: o.problem,
  submit: l ? "Save the changes" : "Publish",
  cancel: l ? `/app/listings/${l.id}` : "/app/listings",
})}`;
  return page(c, title, body, o.status ?? 200);
}

/** A refused form: every error by its field (in words), the rest in the sentence at the top. */
function refusedForm(values: Record<string, string>, error: ActionError, verb: string) {
  const errors: FieldError[] = error.errors;
  const placed: FieldError[] = [];
  const loose: string[] = [];
  for (const e of errors) {
    const field = formFieldOf(e.field);
    if (field) placed.push({ field, message: friendlyMessage(e.message) });
    else loose.push(`${e.field}: ${friendlyMessage(e.message)}`);
  }
  const count = new Set(placed.map((e) => e.field)).size;
  const problem = [
    `The listing was not ${verb}; nothing was changed.`,
    count > 0 ? `Check the ${count === 1 ? "field" : `${count} fields`} marked below.` : "",
    errors.length === 0 ? error.message : "",
    ...loose,
  ]
    .filter(Boolean)
    .join(" ");
  return { form: formState(values, placed), problem };
}

export function registerListings(app: Hono<WorkspaceEnv>, refusal: Refusal): void {
  app.use("/app/listings/*", allowOnly("act", refusal));
  const mayAct = (c: WorkspaceContext) => can(c.get("person").role, "act");
  const viewerOnly = (c: WorkspaceContext) =>
    refusal(
      c,
      "Your role in this workspace is viewer: you can read our listings but not publish, change or withdraw them. Ask an owner to make you a member.",
    );

  registerLocationPicker(app);
  app.get("/app/listings", (c) => listPage(c));

  app.get("/app/listings/new", (c) => {
    if (!mayAct(c)) return viewerOnly(c);
    const kind = c.req.query("kind");
    const values = { kind: (LISTING_KINDS as readonly string[]).includes(kind ?? "") ? (kind as string) : "offer" };
    return formPage(c, { form: formState(values), partnersChosen: [] });
  });

  app.post("/app/listings", async (c) => {
    const fields = await formFields(c);
    const partnersChosen = chosenPartners(fields);
    const { input, errors } = readListingForm(fields, partnersChosen);
    try {
      if (errors.length > 0) throw new ActionError("invalid", "", errors);
      const listing = await publishListing(c.get("deps"), input);
      setFlash(c, { message: `Published “${listing.title}”. It has been sent to its audience.` });
      return c.redirect(`/app/listings/${listing.id}`, 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      const { form, problem } = refusedForm(fields, error, "published");
      return formPage(c, { form, partnersChosen, problem, status: STATUS_OF[error.kind] ?? 400 });
    }
  });

  app.get("/app/listings/:id", async (c) => {
    const l = await findListing(c);
    if (!l) {
      const received = await findReceived(c);
      return received ? receivedListingPage(c, received.listing, received.author) : notFound(c);
    }
    const partners = await knownPartners(c);
    const map = l.location
      ? await renderMap(
          [{ lat: l.location.lat, lon: l.location.lon, label: l.title, href: `/app/listings/${l.id}`, kind: l.kind }],
          {
            title: `Where: ${l.title}`,
            description: "The place this listing gives, on a map of the region around it.",
          },
        )
      : null;
    const publicLink =
      l.visibility === "public" && l.status === "active"
        ? html`<p><a href="/listings/${l.id}">See it as everyone sees it (public page)</a></p>`
        : "";
    const body = html`<p class="crumbs"><a href="/app/listings">Our listings</a></p>
<h1>${l.title}</h1>
${mayAct(c) ? html`<p class="actions"><a class="button" href="/app/listings/${l.id}/edit">Edit</a> <a class="button danger" href="/app/listings/${l.id}/withdraw">Withdraw</a></p>` : ""}
${listingTerms(l, partners)}
${map ?? ""}
${publicLink}`;
    return page(c, l.title, body);
  });

  app.get("/app/listings/:id/edit", async (c) => {
    if (!mayAct(c)) return viewerOnly(c);
    const l = await findListing(c);
    if (!l) return notFound(c);
    const { values, partners } = listingFormValues(l);
    return formPage(c, { form: formState(values), partnersChosen: partners, listing: l });
  });

  app.post("/app/listings/:id/edit", async (c) => {
    const l = await findListing(c);
    if (!l) return notFound(c);
    const fields = { ...(await formFields(c)), kind: l.kind };
    const partnersChosen = chosenPartners(fields);
    const { input, errors } = readListingForm(fields, partnersChosen);
    try {
      if (errors.length > 0) throw new ActionError("invalid", "", errors);
      const changed = await editListing(c.get("deps"), l.id, input);
      setFlash(c, { message: `Saved “${changed.title}”. Its audience has been sent the change.` });
      return c.redirect(`/app/listings/${l.id}`, 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      if (error.kind === "not_found") return notFound(c);
      const { form, problem } = refusedForm(fields, error, "saved");
      return formPage(c, { form, partnersChosen, problem, listing: l, status: STATUS_OF[error.kind] ?? 400 });
    }
  });

  app.get("/app/listings/:id/withdraw", async (c) => {
    if (!mayAct(c)) return viewerOnly(c);
    const l = await findListing(c);
    if (!l) return notFound(c);
    const body = html`<p class="crumbs"><a href="/app/listings">Our listings</a> › <a href="/app/listings/${l.id}">${l.title}</a></p>
<h1>Withdraw this listing?</h1>
<div class="panel">
<p><strong>${l.title}</strong> (${KIND_LABELS[l.kind]}) will be removed here, and every co-op that received it is told to delete it. This cannot be undone; to hide it for a while, <a href="/app/listings/${l.id}/edit">pause it</a> instead.</p>
<div class="actions">${buttonForm({ action: `/app/listings/${l.id}/withdraw`, csrf: c.get("csrfToken"), label: "Withdraw the listing", style: "danger" })} <a href="/app/listings/${l.id}">Keep it</a></div>
</div>`;
    return page(c, "Withdraw this listing?", body);
  });

  app.post("/app/listings/:id/withdraw", async (c) => {
    const l = await findListing(c);
    if (!l) return notFound(c);
    await withdrawListing(c.get("deps"), l.id);
    setFlash(c, { message: `Withdrew “${l.title}”. Co-ops that received it are told to delete it.` });
    return c.redirect("/app/listings", 303);
  });
}
