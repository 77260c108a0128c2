// A partner's listing inside the workspace, /app/listings/:id for a listing
// another co-op sent us (directly, through a hub or a crawl): its terms in
// words, the co-op it comes from (its partner page when we have one), a map
// when it gives a point, and for members the ways on: order from it, follow
// its co-op. Never Edit or Withdraw: it is not ours to change.
import { html, raw } from "hono/html";
import { listFollowers, listFollowing, type RemoteActorJson } from "../actions/follows.ts";
import type { ListingJson } from "../actions/listings.ts";
import { can } from "../actions/people.ts";
import { sanitizeHtmlContent } from "../domain/html.ts";
import { buttonForm } from "./forms.ts";
import { workspacePage } from "./layout.ts";
import { KIND_LABELS, SOURCE_WORDS } from "./listing-lines.ts";
import { amount, priceLine, quantityLine, regionLine, windowLine } from "./listings-view.ts";
import { renderMap } from "./map.ts";
import { partnerName } from "./partner-words.ts";
import { takeFlash, type WorkspaceContext } from "./session.ts";
import { coopName } from "./sign-in.ts";

type Html = ReturnType<typeof html>;

const stamp = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** Where we stand with the co-op, and the one button that fits (members only). */
function followPart(
  c: WorkspaceContext,
  l: ListingJson,
  name: string,
  state: "pending" | "accepted" | "rejected" | undefined,
): Html | string {
  if (state === "accepted") return html`<p class="meta">We follow ${name}: their new listings reach us directly.</p>`;
  if (state === "pending") return html`<p class="meta">Our follow request to ${name} is waiting for their answer.</p>`;
  if (state === "rejected") return html`<p class="meta">${name} refused our follow request.</p>`;
  if (!can(c.get("person").role, "act")) return "";
  return buttonForm({
    action: "/app/partners/follow",
    csrf: c.get("csrfToken"),
    label: "Follow this co-op",
    detail: name,
    style: "secondary",
    hidden: { actor: l.author, back: `/app/listings/${l.id}` },
  });
}

function terms(l: ListingJson, from: Html): Html {
  const minimum = l.minimumOrder ? amount(l.minimumOrder.amount, l.minimumOrder.unit) : null;
  const place = [l.region ? regionLine(l.region) : null, l.location ? `${l.location.lat}, ${l.location.lon}` : null]
    .filter(Boolean)
    .join(" · ");
  return html`<dl class="facts terms">
<div><dt>Kind</dt><dd><span class="kind kind-${l.kind}">${KIND_LABELS[l.kind]}</span>${l.status === "paused" ? html` <span class="paused">Paused by its co-op</span>` : ""}</dd></div>
<div><dt>From</dt><dd>${from}</dd></div>
<div><dt>${l.kind === "need" ? "Wanted" : "Available"}</dt><dd>${quantityLine(l)}</dd></div>
${minimum ? html`<div><dt>Minimum order</dt><dd>${minimum}</dd></div>` : ""}
<div><dt>Price</dt><dd>${priceLine(l)}</dd></div>
<div><dt>When</dt><dd>${windowLine(l)}</dd></div>
<div><dt>Where</dt><dd>${place || "Not given"}</dd></div>
<div><dt>Category</dt><dd>${l.category}</dd></div>
<div><dt>How we know it</dt><dd>${SOURCE_WORDS[l.source] ?? `Learned through ${l.source}`}</dd></div>
<div><dt>Last changed</dt><dd>${stamp(l.updated)}</dd></div>
</dl>
${l.descriptionHtml ? html`<h2>Description</h2><div class="description">${raw(sanitizeHtmlContent(l.descriptionHtml))}</div>` : ""}`;
}

/** The page of a listing another co-op sent us. */
export async function receivedListingPage(
  c: WorkspaceContext,
  l: ListingJson,
  author: RemoteActorJson,
): Promise<Response> {
  const weft = c.get("deps");
  const [following, followers] = await Promise.all([listFollowing(weft), listFollowers(weft)]);
  const ours = following.find((f) => f.actor.iri === l.author);
  const theirs = followers.find((f) => f.actor.iri === l.author);
  const name = partnerName(author);
  // A partner page exists while either side follows the other.
  const partnerId = ours?.id ?? theirs?.id;
  const from = html`${partnerId ? html`<a href="/app/partners/${partnerId}">${name}</a>` : name}${
    author.handle ? html`<span class="meta">${author.handle}</span>` : ""
  }`;
  const orderable = l.kind !== "need" && l.status === "active" && can(c.get("person").role, "act");
  const map = l.location
    ? await renderMap(
        [
          {
            lat: l.location.lat,
            lon: l.location.lon,
            label: `${l.title}, by ${name}`,
            href: `/app/listings/${l.id}`,
            kind: l.kind,
          },
        ],
        { title: `Where: ${l.title}`, description: "The place this listing gives, on a map of the region around it." },
      )
    : null;
  const body = html`<p class="crumbs"><a href="/app/search">Find capacity</a>${
    partnerId ? html` › <a href="/app/partners/${partnerId}">${name}</a>` : ""
  }</p>
<h1>${l.title}</h1>
<p class="lead">A listing of ${name}. It is theirs: they change or withdraw it, and this page follows.</p>
<div class="inline actions received-actions">${
    orderable
      ? html`<a class="button" href="/app/orders/new?listing=${encodeURIComponent(l.iri)}">Order from this listing</a>`
      : ""
  }${followPart(c, l, name, ours?.state)}</div>
${terms(l, from)}
${map ?? ""}
${l.visibility === "public" ? html`<p><a href="${l.iri}" rel="noopener noreferrer">See it on ${name}’s own site</a></p>` : ""}`;
  return c.html(
    workspacePage({
      title: l.title,
      coop: await coopName(c),
      person: c.get("person"),
      csrf: c.get("csrfToken"),
      // A partner's listing belongs with finding capacity, not with "our listings".
      path: "/app/search",
      flash: takeFlash(c),
      body,
    }),
  );
}
