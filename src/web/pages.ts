// Pages for people: the co-op's public profile, served at / and at the
// actor URL when a browser (not an ActivityPub client) asks for it.
import { Hono } from "hono";
import { getProfile } from "../domain/profile.ts";
import { escapeHtml } from "../federation/html.ts";
import type { NodeServices } from "../services.ts";

export function createPages(services: NodeServices): Hono {
  const pages = new Hono();
  const profilePage = async () => {
    const { config, db } = services;
    const profile = await getProfile(db, config);
    const account = `${config.handle}@${new URL(config.origin).host}`;
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(profile.name)} · Weft</title>
<link rel="alternate" type="application/activity+json" href="${escapeHtml(`${config.origin}/coops/${config.handle}`)}">
<link rel="alternate" type="application/atom+xml" title="Listings" href="${escapeHtml(`${config.origin}/coops/${config.handle}/listings.atom`)}">
<style>body{font:17px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}
dt{font-weight:600}code{background:#f5f3ef;padding:0 .3rem}</style></head>
<body><h1>${escapeHtml(profile.name)}</h1>
${profile.summary ? `<p>${escapeHtml(profile.summary)}</p>` : ""}
<dl>
<dt>Follow from another Weft node or the fediverse</dt><dd><code>${escapeHtml(account)}</code></dd>
${profile.region ? `<dt>Region</dt><dd>${escapeHtml(profile.region)}</dd>` : ""}
${profile.website ? `<dt>Website</dt><dd><a href="${escapeHtml(profile.website)}" rel="me nofollow noopener">${escapeHtml(profile.website)}</a></dd>` : ""}
</dl>
<p><small>A <a href="/api/v1/docs">Weft</a> co-op node.</small></p>
</body></html>`;
  };
  pages.get("/", async (c) => c.html(await profilePage()));
  pages.get(`/coops/${services.config.handle}`, async (c) => c.html(await profilePage()));
  return pages;
}
