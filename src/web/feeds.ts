// Feeds for feed readers and documents for classification IRIs: the Atom
// feed of a co-op's public listings, and category pages (SKOS for machines,
// a small page for people).
import { Hono } from "hono";
import { raw } from "hono/html";
import { termsText } from "../domain/listing-text.ts";
import { listingDataOf } from "../domain/listings.ts";
import { getProfile } from "../domain/profile.ts";
import { publicOwnListings } from "../domain/public-listings.ts";
import type { NodeServices } from "../services.ts";
import { h, publicPage } from "./public-layout.ts";

const FEED_SIZE = 50;

export function createFeeds(services: NodeServices): Hono {
  const feeds = new Hono();
  const { config, db } = services;
  const actorUrl = `${config.origin}/coops/${config.handle}`;

  feeds.get(`/coops/${config.handle}/listings.atom`, async (c) => {
    const profile = await getProfile(db, config);
    const rows = await publicOwnListings(db, { limit: FEED_SIZE });
    const updated = (rows[0]?.updated ?? profile.updatedAt ?? new Date()).toISOString();
    // html`` escapes the same five characters XML needs; the HTML content is
    // escaped once more, as Atom's type="html" wants.
    const entries = rows.map((row) => {
      const terms = termsText(listingDataOf(row));
      return h`  <entry>
    <id>${row.iri}</id>
    <title>${row.title}</title>
    <link rel="alternate" type="text/html" href="${row.iri}"/>
    <published>${row.published.toISOString()}</published>
    <updated>${row.updated.toISOString()}</updated>
    <category term="${row.category}"/>
    <summary>${terms}</summary>
    <content type="html">${String(h`${raw(row.descriptionHtml)}<p>${terms}</p>`)}</content>
  </entry>`;
    });
    const xml = h`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${actorUrl}/listings.atom</id>
  <title>${profile.name}: listings</title>
  <updated>${updated}</updated>
  <author><name>${profile.name}</name><uri>${actorUrl}</uri></author>
  <link rel="self" type="application/atom+xml" href="${actorUrl}/listings.atom"/>
  <link rel="alternate" type="text/html" href="${config.origin}/"/>
${raw(entries.join("\n"))}
</feed>
`;
    return c.body(String(xml), 200, { "content-type": "application/atom+xml; charset=utf-8" });
  });

  // The classification IRI a listing's Intent conforms to.
  feeds.get("/categories/*", async (c) => {
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
    const profile = await getProfile(db, config);
    return c.html(
      publicPage({
        title: `Category ${path}`,
        coopName: profile.name,
        body: h`<h1>Category ${path}</h1>${parent ? h`<p>Part of <a href="${parent}">${parent}</a></p>` : ""}`,
      }),
    );
  });
  return feeds;
}
