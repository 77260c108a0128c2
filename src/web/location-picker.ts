// The assets of the listing form's map picker: the script (a file served by
// the node, no inline script, for the content security policy to come) and
// a world map drawn once on the server from the shipped outlines. The map is
// equirectangular (x proportional to longitude, y to latitude) so the
// script turns a click into a point with no projection code in the browser.
import { readFileSync } from "node:fs";
import { geoEquirectangular, geoPath } from "d3-geo";
import type { Hono } from "hono";
import { html } from "hono/html";
import { worldOutlines } from "./atlas.ts";
import type { WorkspaceEnv } from "./session.ts";

const WIDTH = 960;
const HEIGHT = 480;
const SCRIPT = readFileSync(new URL("./location-picker.js", import.meta.url), "utf8");

export const PICKER_SCRIPT_URL = "/assets/location-picker.js";
const PICKER_MAP_URL = "/assets/location-picker.svg";

let map: Promise<string> | undefined;

function worldMap(): Promise<string> {
  map ??= worldOutlines().then((world) => {
    const path = geoPath(
      geoEquirectangular()
        .scale(WIDTH / (2 * Math.PI))
        .translate([WIDTH / 2, HEIGHT / 2]),
    ).digits(1);
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}"><rect width="${WIDTH}" height="${HEIGHT}" fill="#dbe9f4"/><path d="${path(world.countries) ?? ""}" fill="#f4efe6" stroke="#8a8378" stroke-width="0.6"/><path d="${path(world.borders) ?? ""}" fill="none" stroke="#8a8378" stroke-width="0.5"/></svg>`;
  });
  return map;
}

export function registerLocationPicker(app: Hono<WorkspaceEnv>): void {
  app.get(PICKER_SCRIPT_URL, (c) =>
    c.body(SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" }),
  );
  app.get(PICKER_MAP_URL, async (c) =>
    c.body(await worldMap(), 200, { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" }),
  );
}

/** Hidden until the script shows it: a page without scripts asks for the numbers alone. */
export function locationPicker(): ReturnType<typeof html> {
  return html`<div class="map-picker" data-location-picker hidden>
<p class="hint">Or click the map to fill in latitude and longitude, then refine them by typing.</p>
<div class="map-picker-frame"><img src="${PICKER_MAP_URL}" alt="" width="${WIDTH}" height="${HEIGHT}"><span class="map-picker-dot" hidden></span></div>
</div>
<script src="${PICKER_SCRIPT_URL}" defer></script>`;
}
