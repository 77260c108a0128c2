// The stylesheets, served by the node itself (nothing is loaded from
// elsewhere): app.css for the workspace, site.css for the public pages. Each
// URL carries a hash of its content, so browsers may keep it for a year and
// still get a new one the moment it changes.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Env, Hono } from "hono";

function stylesheet(file: string): { css: string; url: string } {
  const css = readFileSync(new URL(`./${file}`, import.meta.url), "utf8");
  return { css, url: `/assets/${file}?v=${createHash("sha256").update(css).digest("hex").slice(0, 12)}` };
}

const APP = stylesheet("app.css");
const SITE = stylesheet("site.css");

export const STYLESHEET_URL = APP.url;
export const SITE_STYLESHEET_URL = SITE.url;

export function serveAssets<E extends Env>(app: Hono<E>): void {
  for (const [path, css] of [
    ["/assets/app.css", APP.css],
    ["/assets/site.css", SITE.css],
  ] as const) {
    app.get(path, (c) =>
      c.body(css, 200, {
        "content-type": "text/css; charset=utf-8",
        "cache-control": "public, max-age=31536000, immutable",
      }),
    );
  }
}
