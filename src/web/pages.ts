// Pages for people: the co-op's public page (served at / and at the actor URL
// when a browser, not an ActivityPub client, asks for it) with its public
// listings, and the page of a public listing, ours or a partner's.
import { Hono } from "hono";
import { raw } from "hono/html";
import { sanitizeHtmlContent } from "../domain/html.ts";
import { getProfile } from "../domain/profile.ts";
import { publicListingById, publicOwnListings } from "../domain/public-listings.ts";
import type { NodeServices } from "../services.ts";
import { KIND_LABELS, listingCard, listingFacts } from "./listing-view.ts";
import { renderMap } from "./map.ts";
import { h, publicPage } from "./public-layout.ts";

const LISTINGS_SHOWN = 100;

function categoryHashtag(category: string): string {
  return `#${category.replace(/[/-]/g, "_")}`;
}

export function createPages(services: NodeServices): Hono {
  const pages = new Hono();
  const { config, db } = services;
  const actorUrl = `${config.origin}/coops/${config.handle}`;

  const profilePage = async () => {
    const [profile, own] = await Promise.all([
      getProfile(db, config),
      publicOwnListings(db, { limit: LISTINGS_SHOWN, current: true }),
    ]);
    const account = `${config.handle}@${new URL(config.origin).host}`;
    return publicPage({
      title: `${profile.name} · Weft`,
      coopName: profile.name,
      head: h`<link rel="alternate" type="application/activity+json" href="${actorUrl}">
<link rel="alternate" type="application/atom+xml" title="Listings" href="${actorUrl}/listings.atom">`,
      body: h`<h1>${profile.name}</h1>
${profile.summary ? h`<p class="lead">${profile.summary}</p>` : ""}
<dl class="about">
<dt>Follow from another Weft node or the fediverse</dt><dd><code>${account}</code></dd>
${profile.region ? h`<dt>Region</dt><dd>${profile.region}</dd>` : ""}
${profile.website && /^https?:\/\//i.test(profile.website) ? h`<dt>Website</dt><dd><a href="${profile.website}" rel="me nofollow noopener">${profile.website}</a></dd>` : ""}
</dl>
<section aria-labelledby="listings-heading">
<h2 id="listings-heading">What we offer and need</h2>
${
  own.length > 0
    ? h`<ul class="cards">${own.map((row) => listingCard(row, `/listings/${row.id}`))}</ul>`
    : h`<p class="empty">No public listings at the moment.</p>`
}
<p><a href="${actorUrl}/listings.atom">Follow these listings in a feed reader (Atom)</a></p>
</section>`,
    });
  };
  pages.get("/", async (c) => c.html(await profilePage()));
  pages.get(`/coops/${config.handle}`, async (c) => c.html(await profilePage()));

  // A browser opening a listing IRI (ActivityPub clients get JSON-LD from
  // Fedify), or a partner's public listing this node received.
  pages.get("/listings/:id", async (c) => {
    const id = c.req.param("id");
    const found = /^[0-9a-f-]{36}$/.test(id) ? await publicListingById(db, id) : undefined;
    if (!found) return c.text("Not found", 404);
    const { listing: row, author } = found;
    const profile = await getProfile(db, config);
    const map =
      row.latitude !== null && row.longitude !== null
        ? await renderMap(
            [{ lat: row.latitude, lon: row.longitude, label: row.title, href: `/listings/${row.id}`, kind: row.kind }],
            {
              title: `Where: ${row.title}`,
              description: "The place this listing gives, on a map of the region around it.",
            },
          )
        : null;
    const authorName = author ? (author.name ?? author.handle ?? new URL(author.iri).host) : profile.name;
    const original = author && /^https?:\/\//i.test(row.iri) ? row.iri : null;
    return c.html(
      publicPage({
        title: `${row.title} · ${authorName}`,
        coopName: profile.name,
        head: author ? undefined : h`<link rel="alternate" type="application/activity+json" href="${row.iri}">`,
        body: h`<p class="byline">${KIND_LABELS[row.kind]} from ${author ? h`${authorName}${author.handle ? h` (<code>${author.handle}</code>)` : ""}, a partner of ${profile.name}` : h`<a href="/">${profile.name}</a>`}</p>
<h1>${row.title}</h1>
${listingFacts(row)}
${map ?? ""}
<div class="description">${raw(sanitizeHtmlContent(row.descriptionHtml))}</div>
<p>Category: <a href="/categories/${row.category}">${categoryHashtag(row.category)}</a></p>
${original ? h`<p><a href="${original}" rel="nofollow noopener">This listing on ${authorName}'s node</a></p>` : ""}`,
      }),
    );
  });
  return pages;
}
