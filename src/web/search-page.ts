// Find capacity, /app/search: a GET form with every filter the search API
// takes (same rules: actions/search-query.ts), the results as a list and on
// a map drawn on this node. From a result: open it, follow its co-op (a
// POST to the partners section, which comes back here), or order it.
import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError } from "../actions/errors.ts";
import { type FollowingJson, listFollowing } from "../actions/follows.ts";
import { can } from "../actions/people.ts";
import { type SearchHitJson, searchListings } from "../actions/search.ts";
import { parseSearchQuery } from "../actions/search-query.ts";
import { UNIT_CODES } from "../domain/codes.ts";
import { buttonForm, type FormState, formState, problemSummary, selectField, textField } from "./forms.ts";
import { workspacePage } from "./layout.ts";
import { KIND_LABELS, priceLine, quantityLine, sourceLine, windowLine } from "./listing-lines.ts";
import { unitName } from "./listing-view.ts";
import { type MapPoint, renderMap } from "./map.ts";
import { partnerName } from "./partner-words.ts";
import { takeFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";
import { coopName } from "./sign-in.ts";

type Html = ReturnType<typeof html>;

const FILTERS = [
  "q",
  "kind",
  "category",
  "region",
  "near",
  "radiusKm",
  "from",
  "until",
  "minQuantity",
  "unit",
  "maxPrice",
  "currency",
  "sort",
  "includeExpired",
  "cursor",
] as const;

/** The search rules' messages name query parameters; the page names its fields. */
const IN_WORDS: Record<string, string> = {
  "needs near as well": "needs a place to measure from (Near)",
  "needs unit as well": "needs a unit",
  "needs currency as well": "needs a currency",
  "distance needs near": "sorting by distance needs a place (Near)",
  "relevance needs q": "sorting by best match needs words to look for",
  "must not be before from": "must not be before the From date",
};

const KIND_OPTIONS = [
  { value: "", label: "Any kind" },
  { value: "offer", label: "Offers (goods for sale)" },
  { value: "capacity", label: "Capacity (work a co-op can take on)" },
  { value: "need", label: "Needs (what co-ops are looking for)" },
];
const UNIT_OPTIONS = [
  { value: "", label: "Any unit" },
  ...Object.keys(UNIT_CODES)
    .map((code) => ({ value: code, label: `${unitName(code, true)} (${code})` }))
    .sort((a, b) => a.label.localeCompare(b.label)),
];
const SORT_OPTIONS = [
  { value: "", label: "Best first (automatic)" },
  { value: "newest", label: "Newest first" },
  { value: "distance", label: "Nearest first" },
  { value: "relevance", label: "Best match for the words" },
];
const EXPIRED_OPTIONS = [
  { value: "", label: "No, only current ones" },
  { value: "true", label: "Yes, include listings whose dates have passed" },
];

/** The filters behind "More filters": open by themselves only when one needs fixing. */
const MORE = FILTERS.filter((k) => !["q", "kind", "cursor"].includes(k));

function filtersForm(form: FormState): Html {
  const inUse = MORE.filter((k) => form.values[k]).length;
  const f = (name: string, label: string, hint?: string, type?: "text" | "date" | "search") =>
    textField({ name, label, hint, type, form });
  return html`<form method="get" action="/app/search" class="search-form" role="search" aria-label="Find capacity">
<div class="search-main">
${f("q", "Words", "What you look for, such as “jersey knitting” or “indigo dyeing”.", "search")}
${selectField({ name: "kind", label: "Kind", options: KIND_OPTIONS, form })}
</div>
<details class="more-filters"${MORE.some((k) => form.errors[k]) ? html` open` : ""}>
<summary>More filters: place, dates, quantity, price${inUse > 0 ? ` (${inUse} in use)` : ""}</summary>
<div class="filter-grid">
${f("category", "Category", "Such as apparel/cut-and-sew; includes its sub-categories.")}
${f("region", "Region", "Country or state code, such as US or US-NC.")}
${f("near", "Near", "Latitude,longitude of a place, such as 35.745,-81.685.")}
${f("radiusKm", "Within (km)", "Only with Near; such as 150.")}
${f("from", "Available from", "A date, such as 2027-02-01.", "date")}
${f("until", "Available until", "A date, such as 2027-02-28.", "date")}
${f("minQuantity", "At least (quantity)", "A number, such as 3000.")}
${selectField({ name: "unit", label: "Unit of that quantity", options: UNIT_OPTIONS, form })}
${f("maxPrice", "Price at most", "A number, such as 12.50.")}
${f("currency", "Currency", "Three letters, such as USD or EUR.")}
${selectField({ name: "sort", label: "Order of results", options: SORT_OPTIONS, form, hint: "Automatic: best match when you give words, else nearest when you give a place, else newest." })}
${selectField({ name: "includeExpired", label: "Include past listings?", options: EXPIRED_OPTIONS, form })}
</div>
</details>
<div class="inline"><button type="submit">Search</button> <a href="/app/search">Clear the filters</a></div>
</form>`;
}

/** Where a result opens: its page in the workspace, ours or a partner's alike. */
function openHref(hit: SearchHitJson): string {
  return `/app/listings/${hit.id}`;
}

function coopOf(hit: SearchHitJson, ownName: string): string {
  return hit.local ? ownName : partnerName({ name: hit.from.name, handle: hit.from.handle, iri: hit.from.coop });
}

function resultItem(
  hit: SearchHitJson,
  o: {
    ownName: string;
    following: Map<string, FollowingJson>;
    mayAct: boolean;
    csrf: string;
    back: string;
    n?: number;
  },
): Html {
  const coop = coopOf(hit, o.ownName);
  const relation = o.following.get(hit.from.coop);
  const facts = [
    quantityLine(hit),
    priceLine(hit),
    windowLine(hit),
    hit.region,
    hit.distanceKm === null ? null : `${hit.distanceKm} km away`,
  ].filter(Boolean);
  const followPart = hit.local
    ? ""
    : relation?.state === "accepted"
      ? html`<span class="meta">We follow ${coop}</span>`
      : relation?.state === "pending"
        ? html`<span class="meta">Follow request to ${coop} waiting for their answer</span>`
        : o.mayAct
          ? buttonForm({
              action: "/app/partners/follow",
              csrf: o.csrf,
              label: `Follow ${coop}`,
              style: "secondary",
              hidden: { actor: hit.from.coop, back: o.back },
            })
          : "";
  return html`<li class="result">
<h3>${o.n ? html`<span class="result-number" aria-hidden="true">${o.n}</span> ` : ""}<a href="${openHref(hit)}">${hit.title}</a> <span class="kind kind-${hit.kind}">${KIND_LABELS[hit.kind]}</span></h3>
<p class="meta">${coop} · ${sourceLine(hit)}</p>
<p>${facts.join(" · ")}</p>
<div class="inline result-actions">${
    !hit.local && hit.kind !== "need" && o.mayAct
      ? html`<a class="button" href="/app/orders/new?listing=${encodeURIComponent(hit.iri)}">Order<span class="sr-only"> ${hit.title}</span></a>`
      : ""
  }${followPart}</div>
</li>`;
}

async function searchPage(c: WorkspaceContext) {
  const weft = c.get("deps");
  const query = c.req.query();
  const values: Record<string, string> = {};
  for (const k of FILTERS) if (query[k]) values[k] = query[k].trim();
  if (values.currency) values.currency = values.currency.toUpperCase();
  const asked = FILTERS.some((k) => k !== "cursor" && values[k]);
  const ownName = await coopName(c);
  const mayAct = can(c.get("person").role, "act");
  const csrf = c.get("csrfToken");
  let form: FormState = formState(values);
  let problem: string | undefined;
  let content: Html | string = "";
  let status: 200 | 400 = 200;
  try {
    const input = parseSearchQuery(values);
    const [result, following] = await Promise.all([searchListings(weft, input), listFollowing(weft)]);
    const byActor = new Map(following.map((f) => [f.actor.iri, f]));
    const back = `/app/search${new URL(c.req.url).search}`;
    const placed = result.items.filter((h) => h.location);
    const points: MapPoint[] = placed.map((h) => ({
      lat: h.location!.lat,
      lon: h.location!.lon,
      label: `${h.title}, by ${coopOf(h, ownName)}${h.distanceKm === null ? "" : ` (${h.distanceKm} km)`}`,
      href: openHref(h),
      kind: h.kind,
    }));
    const map = await renderMap(points, {
      title: `Where the ${placed.length === 1 ? "result is" : `${placed.length} results are`}`,
      id: "results-map",
    });
    const numbers = new Map(placed.map((h, i) => [h.id, i + 1]));
    const more = result.next
      ? html`<p><a href="/app/search?${new URLSearchParams({ ...values, cursor: result.next }).toString()}">Next results</a></p>`
      : "";
    const unplaced = result.items.length - placed.length;
    content =
      result.items.length === 0
        ? html`<p class="empty">${
            asked
              ? "Nothing this node knows matches these filters. Try fewer filters, a wider distance, a larger region, or other words."
              : "This node knows no listings yet. Follow co-ops (Partners) or join a hub to see what others offer."
          }</p>`
        : html`<h2 id="results-heading">${result.items.length === 1 ? "One result" : `${result.items.length} results`}${values.cursor ? " (more)" : ""}</h2>
<div class="results">
<ol class="result-list" aria-labelledby="results-heading">${result.items.map((h) =>
            resultItem(h, { ownName, following: byActor, mayAct, csrf, back, n: numbers.get(h.id) }),
          )}</ol>
<div class="results-map">${map ?? html`<p class="empty">None of these results gives a place, so there is no map.</p>`}${
            map && unplaced > 0
              ? html`<p class="meta">${unplaced === 1 ? "One result gives" : `${unplaced} results give`} no place and is only in the list.</p>`
              : ""
          }</div>
</div>
${more}`;
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    form = formState(
      values,
      error.errors.map((e) => ({ field: e.field, message: IN_WORDS[e.message] ?? e.message })),
    );
    problem = "Some filters need fixing before we can search; each says why next to it.";
    status = 400;
  }
  const body = html`<h1>Find capacity</h1>
<p class="lead">Search every listing this node knows: our partners', and those learned through hubs and crawls.</p>
${problemSummary(problem)}
${filtersForm(form)}
${content}`;
  return c.html(
    workspacePage({
      title: "Find capacity",
      coop: ownName,
      person: c.get("person"),
      csrf,
      path: c.req.path,
      flash: takeFlash(c),
      body,
    }),
    status,
  );
}

export function registerSearch(app: Hono<WorkspaceEnv>): void {
  app.get("/app/search", (c) => searchPage(c));
}
