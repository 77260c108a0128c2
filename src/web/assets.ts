// Static files the public pages use, served by the node itself (nothing is
// loaded from elsewhere). Read once, at the first request.
import { readFile } from "node:fs/promises";
import { Hono } from "hono";

let siteCss: Promise<string> | undefined;

export function createAssets(): Hono {
  const assets = new Hono();
  assets.get("/assets/site.css", async (c) => {
    siteCss ??= readFile(new URL("./site.css", import.meta.url), "utf8");
    return c.body(await siteCss, 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=3600",
    });
  });
  return assets;
}
