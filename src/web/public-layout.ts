// The frame of the co-op's public pages: one stylesheet served by the node
// (SITE_STYLESHEET_URL), no inline styles or scripts (a content security policy
// comes later), landmarks for screen readers.
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { SITE_STYLESHEET_URL } from "./assets.ts";

export type Html = HtmlEscapedString;

/** html`` is synchronous unless a Promise is interpolated, which these pages never do. */
export function h(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return html(strings, ...values) as Html;
}

export function publicPage(page: { title: string; coopName: string; head?: Html; body: Html }): Html {
  return h`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<link rel="stylesheet" href="${SITE_STYLESHEET_URL}">
${page.head ?? ""}
</head>
<body>
<header class="site"><a href="/">${page.coopName}</a></header>
<main>
${page.body}
</main>
<footer class="site"><p>A <a href="/api/v1/docs">Weft</a> co-op node.</p></footer>
</body></html>`;
}
