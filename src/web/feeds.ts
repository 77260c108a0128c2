// Feeds and pages for people and feed readers: the Atom feed of a co-op's
// public listings, a page per public listing, and category pages.

import { and, desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { listings } from "../db/schema.ts";
import { escapeHtml } from "../domain/html.ts";
import { categoryHashtag, termsText } from "../domain/listing-text.ts";
import { getOwnListing, listingDataOf } from "../domain/listings.ts";
import { getProfile } from "../domain/profile.ts";
import type { NodeServices } from "../services.ts";

const FEED_SIZE = 50;

export function createFeeds(services: NodeServices): Hono {
  const feeds = new Hono();
  const { config, db } = services;
  const actorUrl = `${config.origin}/coops/${config.handle}`;

  feeds.get(`/coops/${config.handle}/listings.atom`, async (c) => {
    const profile = await getProfile(db, config);
    const rows = await db
      .select()
      .from(listings)
      .where(and(eq(listings.local, true), eq(listings.status, "active"), eq(listings.visibility, "public")))
      .orderBy(desc(listings.updated))
      .limit(FEED_SIZE);
    const updated = (rows[0]?.updated ?? profile.updatedAt ?? new Date()).toISOString();
    const entries = rows
      .map((row) => {
        const terms = termsText(listingDataOf(row));
        return `  <entry>
    <id>${escapeHtml(row.iri)}</id>
    <title>${escapeHtml(row.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeHtml(row.iri)}"/>
    <published>${row.published.toISOString()}</published>
    <updated>${row.updated.toISOString()}</updated>
    <category term="${escapeHtml(row.category)}"/>
    <summary>${escapeHtml(terms)}</summary>
    <content type="html">${escapeHtml(`${row.descriptionHtml}<p>${escapeHtml(terms)}</p>`)}</content>
  </entry>`;
      })
      .join("\n");
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeHtml(actorUrl)}/listings.atom</id>
  <title>${escapeHtml(profile.name)}: listings</title>
  <updated>${updated}</updated>
  <author><name>${escapeHtml(profile.name)}</name><uri>${escapeHtml(actorUrl)}</uri></author>
  <link rel="self" type="application/atom+xml" href="${escapeHtml(actorUrl)}/listings.atom"/>
  <link rel="alternate" type="text/html" href="${escapeHtml(config.origin)}/"/>
${entries}
</feed>
`;
    return c.body(xml, 200, { "content-type": "application/atom+xml; charset=utf-8" });
  });

  // A browser opening a listing IRI (ActivityPub clients get JSON-LD from Fedify).
  feeds.get("/listings/:id", async (c) => {
    const id = c.req.param("id");
    const row = /^[0-9a-f-]{36}$/.test(id) ? await getOwnListing(db, id) : undefined;
    if (row?.status !== "active" || row.visibility !== "public") return c.text("Not found", 404);
    const profile = await getProfile(db, config);
    return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(row.title)} · ${escapeHtml(profile.name)}</title>
<link rel="alternate" type="application/activity+json" href="${escapeHtml(row.iri)}">
<style>body{font:17px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}</style></head>
<body><p><a href="/">${escapeHtml(profile.name)}</a></p><h1>${escapeHtml(row.title)}</h1>
<p><strong>${escapeHtml(termsText(listingDataOf(row)))}</strong></p>
${row.descriptionHtml}
<p><a href="/categories/${escapeHtml(row.category)}">${escapeHtml(categoryHashtag(row.category))}</a></p>
</body></html>`);
  });

  // The classification IRI a listing's Intent conforms to.
  feeds.get("/categories/*", (c) => {
    const path = decodeURIComponent(c.req.path.slice("/categories/".length));
    if (!/^[a-z0-9-]+(\/[a-z0-9-]+)*$/.test(path)) return c.text("Not found", 404);
    const id = `${config.origin}/categories/${path}`;
    const parent = path.includes("/") ? `${config.origin}/categories/${path.slice(0, path.lastIndexOf("/"))}` : null;
    if ((c.req.header("accept") ?? "").includes("json")) {
      return c.json({
        "@context": { skos: "http://www.w3.org/2004/02/skos/core#", id: "@id", type: "@type" },
        id,
        type: "skos:Concept",
        "skos:notation": path,
        "skos:prefLabel": path.split("/").at(-1),
        ...(parent ? { "skos:broader": { id: parent } } : {}),
      });
    }
    return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(path)}</title></head>
<body><h1>Category ${escapeHtml(path)}</h1>${parent ? `<p>Part of <a href="${escapeHtml(parent)}">${escapeHtml(parent)}</a></p>` : ""}</body></html>`);
  });
  return feeds;
}
