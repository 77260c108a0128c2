// The frame of every workspace page: header with the co-op's name, the
// main navigation (wrapping links: usable at 375 px without any script), a
// skip link, the signed-in person with a sign-out button, the flash message
// after a redirect, and the main region. Also the plain pages for sign-in
// and for refusals, which have no navigation.
import { html } from "hono/html";
import type { PersonRow } from "../actions/people.ts";
import { STYLESHEET_URL } from "./assets.ts";
import { buttonForm } from "./forms.ts";
import type { Flash } from "./session.ts";

type Html = ReturnType<typeof html>;

export const NAV = [
  { href: "/app", label: "Home" },
  { href: "/app/listings", label: "Listings" },
  { href: "/app/partners", label: "Partners" },
  { href: "/app/search", label: "Find capacity" },
  { href: "/app/orders", label: "Orders" },
  { href: "/app/matches", label: "Matches" },
  { href: "/app/hubs", label: "Hubs & crawls" },
  { href: "/app/settings", label: "Settings" },
] as const;

function current(path: string, href: string): boolean {
  return href === "/app" ? path === "/app" : path === href || path.startsWith(`${href}/`);
}

function document(o: { title: string; coop: string; body: Html; refreshSeconds?: number }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
${o.refreshSeconds ? html`<meta http-equiv="refresh" content="${o.refreshSeconds}">` : ""}
<title>${o.title} · ${o.coop}</title>
<link rel="stylesheet" href="${STYLESHEET_URL}">
</head>
<body>
${o.body}
</body>
</html>`;
}

function flashBox(flash: Flash | undefined): Html | string {
  if (!flash) return "";
  return html`<div class="flash${flash.kind === "error" ? " error" : ""}" role="status"><p>${flash.message}</p>${
    flash.secret
      ? html`<p><strong>${flash.secret.label}</strong><span class="secret">${flash.secret.value}</span></p>`
      : ""
  }</div>`;
}

export interface PageOptions {
  title: string;
  coop: string;
  person: PersonRow;
  csrf: string;
  /** The request path, to mark the current section in the navigation. */
  path: string;
  flash?: Flash;
  body: Html;
  /** Reload the page every so many seconds (a crawl's progress while it runs), without any script. */
  refreshSeconds?: number;
}

/** A page of the workspace, for a signed-in person. */
export function workspacePage(o: PageOptions): Html {
  return document({
    title: o.title,
    coop: o.coop,
    refreshSeconds: o.refreshSeconds,
    body: html`<a class="skip" href="#main">Skip to the page's content</a>
<header class="top">
<div class="top-bar">
<a class="brand" href="/app">${o.coop}</a>
<div class="who"><span>${o.person.name} <span class="sr-only">(signed in as ${o.person.role})</span></span>
${buttonForm({ action: "/logout", csrf: o.csrf, label: "Sign out", style: "link" })}</div>
</div>
<nav class="main" aria-label="Workspace">
<ul>${NAV.map((item) => html`<li><a href="${item.href}"${current(o.path, item.href) ? html` aria-current="page"` : ""}>${item.label}</a></li>`)}</ul>
</nav>
</header>
<main id="main" tabindex="-1">
${flashBox(o.flash)}
${o.body}
</main>`,
  });
}

/** A page without navigation: sign-in, set-up, and refusals before sign-in. */
export function plainPage(o: { title: string; coop: string; body: Html; flash?: Flash }): Html {
  return document({
    title: o.title,
    coop: o.coop,
    body: html`<header class="top"><div class="top-bar"><a class="brand" href="/">${o.coop}</a></div></header>
<main id="main" class="narrow">
${flashBox(o.flash)}
${o.body}
</main>`,
  });
}
