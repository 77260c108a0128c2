// One partner's page, /app/partners/:id (the id of our follow of it, or of
// its follow of us): who it is (name, handle, region, summary — remote text,
// escaped), where we stand with it, the listings of its that this node
// knows, and our orders with it. Reads only through the use cases.
import type { Hono } from "hono";
import { html } from "hono/html";
import { listFollowers, listFollowing, type RemoteActorJson } from "../actions/follows.ts";
import type { ListingJson } from "../actions/listings.ts";
import { listOrderPage } from "../actions/order-view.ts";
import { can } from "../actions/people.ts";
import { listCoops, searchListings } from "../actions/search.ts";
import { buttonForm } from "./forms.ts";
import { workspacePage } from "./layout.ts";
import { KIND_LABELS, priceLine, quantityLine, windowLine } from "./listing-lines.ts";
import { FOLLOWER_STATES, FOLLOWING_STATES, partnerName } from "./partner-words.ts";
import { takeFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";
import { coopName } from "./sign-in.ts";

type Html = ReturnType<typeof html>;

/** Their listings and our orders with them shown at once; the rest of their listings are a "more" link away. */
const LISTINGS_PER_PAGE = 50;
const ORDERS_SHOWN = 50;

export const ORDER_STATE_WORDS: Record<string, string> = {
  sent: "Sent, waiting for the seller",
  conditionally_accepted: "Seller proposed changes",
  accepted: "Accepted",
  change_requested: "Buyer asks for changes",
  cancel_requested: "Buyer asks to cancel",
  rejected: "Rejected",
  cancelled: "Cancelled",
  completed: "Completed",
};

/** A page of `author`'s active listings this node knows, newest first: the search use case, filtered by author in SQL. */
async function listingsBy(
  c: WorkspaceContext,
  author: string,
  cursor: string | undefined,
): Promise<{ items: ListingJson[]; next: string | null }> {
  const offset = cursor && /^[0-9]{1,6}$/.test(cursor) ? cursor : undefined;
  return await searchListings(c.get("deps"), { author, sort: "newest", limit: LISTINGS_PER_PAGE, cursor: offset });
}

/** A page saying in words that something is not here, with a way on. */
export async function missingPage(c: WorkspaceContext, title: string, message: string) {
  return c.html(
    workspacePage({
      title,
      coop: await coopName(c),
      person: c.get("person"),
      csrf: c.get("csrfToken"),
      path: c.req.path,
      body: html`<h1>${title}</h1>
<div class="problem" role="alert"><p>${message}</p></div>
<p><a href="/app/partners">Back to partners</a></p>`,
    }),
    404,
  );
}

function listingsList(items: ListingJson[]): Html {
  if (items.length === 0) return html`<p class="empty">This node knows no current listing of theirs.</p>`;
  return html`<ul class="items">${items.map((l) => {
    const terms = [KIND_LABELS[l.kind], quantityLine(l), priceLine(l), windowLine(l)].filter(Boolean).join(" · ");
    return html`<li><a href="/app/listings/${l.id}">${l.title}</a><span class="meta">${terms}</span>${
      l.kind === "need"
        ? ""
        : html`<a class="small" href="/app/orders/new?listing=${encodeURIComponent(l.iri)}">Order<span class="sr-only"> ${l.title}</span></a>`
    }</li>`;
  })}</ul>`;
}

export function registerPartnerPage(app: Hono<WorkspaceEnv>): void {
  app.get("/app/partners/:id", async (c) => {
    const weft = c.get("deps");
    const id = c.req.param("id");
    const [following, followers] = await Promise.all([listFollowing(weft), listFollowers(weft)]);
    const actor: RemoteActorJson | undefined = (
      following.find((f) => f.id === id) ?? followers.find((f) => f.id === id)
    )?.actor;
    if (!actor) {
      return missingPage(c, "Partner not found", "We neither follow this co-op nor does it follow us (any more).");
    }
    const ours = following.find((f) => f.actor.iri === actor.iri);
    const theirs = followers.find((f) => f.actor.iri === actor.iri);
    const cursor = c.req.query("listings") || undefined;
    const [coops, { items: listings, next: moreListings }, { items: orders, next: moreOrders }] = await Promise.all([
      listCoops(weft, { actor: actor.iri }),
      listingsBy(c, actor.iri, cursor),
      listOrderPage(weft, { partner: actor.iri }, { limit: ORDERS_SHOWN }),
    ]);
    const region = coops.find((k) => k.actor === actor.iri)?.region ?? null;
    const name = partnerName(actor);
    const mayAct = can(c.get("person").role, "act");
    const csrf = c.get("csrfToken");
    const standing = [
      ours ? FOLLOWING_STATES[ours.state] : "We do not follow them",
      theirs ? (theirs.state === "pending" ? "They ask to follow us" : FOLLOWER_STATES[theirs.state]) : null,
    ].filter(Boolean);
    const body = html`<p><a href="/app/partners">← All partners</a></p>
<h1>${name}</h1>
<dl class="facts">
<div><dt>Handle</dt><dd>${actor.handle ?? "none given"}</dd></div>
<div><dt>Region</dt><dd>${region ?? "not given"}</dd></div>
<div><dt>With us</dt><dd>${standing.join("; ")}</dd></div>
<div><dt>Their page</dt><dd><a href="${actor.url ?? actor.iri}" rel="noopener noreferrer">${actor.url ?? actor.iri}</a></dd></div>
</dl>
${actor.summary ? html`<p class="summary">${actor.summary}</p>` : ""}
${
  mayAct
    ? html`<div class="inline actions">${
        ours
          ? html`<a class="button secondary" href="/app/partners/following/${ours.id}/unfollow">Unfollow</a>`
          : buttonForm({
              action: "/app/partners/follow",
              csrf,
              label: `Follow ${name}`,
              hidden: { actor: actor.iri, back: c.req.path },
            })
      }${theirs?.state === "pending" ? html`${buttonForm({ action: `/app/partners/followers/${theirs.id}/approve`, csrf, label: "Approve their request" })}${buttonForm({ action: `/app/partners/followers/${theirs.id}/reject`, csrf, label: "Reject their request", style: "danger" })}` : ""}</div>`
    : ""
}
<section class="panel" aria-labelledby="their-listings">
<h2 id="their-listings">Their listings${cursor || moreListings ? "" : html` <span class="count">${listings.length}</span>`}</h2>
${listingsList(listings)}
${
  cursor || moreListings
    ? html`<nav class="inline pager" aria-label="More of their listings">${cursor ? html`<a href="${c.req.path}#their-listings">Their newest listings</a>` : ""}${
        moreListings
          ? html`<a href="${c.req.path}?listings=${moreListings}#their-listings" rel="next">Next ${LISTINGS_PER_PAGE} listings</a>`
          : ""
      }</nav>`
    : ""
}
</section>
<section class="panel" aria-labelledby="our-orders">
<h2 id="our-orders">Our orders with them <span class="count">${orders.length}${moreOrders ? "+" : ""}</span></h2>
${
  orders.length === 0
    ? html`<p class="empty">No order between us yet.</p>`
    : html`<ul class="items">${orders.map(
        (o) =>
          html`<li><a href="/app/orders/${o.id}">${o.role === "buyer" ? `We buy from ${name}` : `${name} buys from us`}</a><span class="meta">${ORDER_STATE_WORDS[o.state] ?? o.state} · ${o.total} ${o.currency} · changed ${o.updatedAt.slice(0, 10)}</span></li>`,
      )}</ul>${
        moreOrders
          ? html`<p><a href="/app/orders?partner=${encodeURIComponent(actor.iri)}">All our orders with them</a></p>`
          : ""
      }`
}
</section>`;
    return c.html(
      workspacePage({
        title: name,
        coop: await coopName(c),
        person: c.get("person"),
        csrf,
        path: c.req.path,
        flash: takeFlash(c),
        body,
      }),
    );
  });
}
