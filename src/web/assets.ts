// The workspace's stylesheet, served by the node itself. Its URL carries a
// hash of its content, so browsers may keep it for a year and still get a
// new one the moment it changes.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Env, Hono } from "hono";

const CSS = readFileSync(new URL("./app.css", import.meta.url), "utf8");
const VERSION = createHash("sha256").update(CSS).digest("hex").slice(0, 12);

export const STYLESHEET_URL = `/assets/app.css?v=${VERSION}`;

export function serveAssets<E extends Env>(app: Hono<E>): void {
  app.get("/assets/app.css", (c) =>
    c.body(CSS, 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
    }),
  );
}
