// weft search: every listing this node knows (its own, its partners', and
// those learned through relays and crawls), filtered, one page at a time;
// weft coops: the directory of co-ops it knows. Options are checked here
// for form and pairing (exit code 2); codes such as regions, units and
// currencies are checked by the node (exit code 1).

import type { Coop, QueryOf, SearchPage } from "./answers.ts";
import { expectArgs, limitOption, parse, readPages } from "./args.ts";
import { type Api, connect, refusedOptions } from "./client.ts";
import { UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { kindOption, shortTitle, terms } from "./listing-format.ts";
import { account, print, printedWithoutTable, printJson, quote, table } from "./output.ts";

type Page = SearchPage;
type Hit = Page["items"][number];

const SORTS = ["relevance", "distance", "newest"];
const DECIMAL = /^\d+(\.\d+)?$/;
const LATITUDE = /^-?\d{1,2}(\.\d+)?$/;
const LONGITUDE = /^-?\d{1,3}(\.\d+)?$/;
const DATE = /^\d{4}-\d\d-\d\d$/;

/** The API's query parameters, by the option (or argument) that sets them. */
const OPTION_OF: Record<string, string> = {
  "query.q": "the search words",
  "query.kind": "--kind",
  "query.category": "--category",
  "query.region": "--region",
  "query.near": "--near",
  "query.radiusKm": "--radius",
  "query.from": "--from",
  "query.until": "--until",
  "query.minQuantity": "--min-quantity",
  "query.unit": "--unit",
  "query.maxPrice": "--max-price",
  "query.currency": "--currency",
  "query.sort": "--sort",
  "query.cursor": "--cursor",
  "query.limit": "--limit",
};

export async function searchCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const usage = USAGE.search;
  const { values, positionals } = parse(usage, args, {
    kind: { type: "string" },
    category: { type: "string" },
    region: { type: "string" },
    near: { type: "string" },
    radius: { type: "string" },
    from: { type: "string" },
    until: { type: "string" },
    "min-quantity": { type: "string" },
    unit: { type: "string" },
    "max-price": { type: "string" },
    currency: { type: "string" },
    sort: { type: "string" },
    limit: { type: "string" },
    cursor: { type: "string" },
    all: { type: "boolean" },
    json: { type: "boolean" },
  });
  const words = positionals.join(" ").trim();
  if (words.length > 200) throw new UsageError(`the search words must be at most 200 characters (usage: ${usage})`);
  const near = nearOption(values.near);
  pair("--radius", values.radius, "--near", values.near);
  pair("--min-quantity", values["min-quantity"], "--unit", values.unit);
  pair("--unit", values.unit, "--min-quantity", values["min-quantity"]);
  pair("--max-price", values["max-price"], "--currency", values.currency);
  pair("--currency", values.currency, "--max-price", values["max-price"]);
  const from = dateOption("--from", values.from);
  const until = dateOption("--until", values.until);
  if (from && until && until < from) throw new UsageError(`--until ${until} is before --from ${from}`);
  const sort = values.sort;
  if (sort !== undefined && !SORTS.includes(sort)) {
    throw new UsageError(`--sort must be relevance, distance or newest (got "${sort}")`);
  }
  if (sort === "distance" && !near) throw new UsageError("--sort distance needs --near <lat,lon>");
  if (sort === "relevance" && !words) throw new UsageError("--sort relevance needs words to search for");

  // In the order of the command line that asks for the next page.
  const options: [string, string, string | undefined][] = [
    ["kind", "kind", kindOption(values.kind)],
    ["category", "category", values.category],
    ["region", "region", values.region],
    ["near", "near", near],
    ["radius", "radiusKm", radiusOption(values.radius)],
    ["from", "from", from],
    ["until", "until", until],
    ["min-quantity", "minQuantity", decimalOption("--min-quantity", values["min-quantity"])],
    ["unit", "unit", values.unit],
    ["max-price", "maxPrice", decimalOption("--max-price", values["max-price"])],
    ["currency", "currency", values.currency],
    ["sort", "sort", sort],
    ["limit", "limit", limitOption(values.limit)],
  ];
  const client = connect(env);
  const fetchPage = async (cursor: string | undefined, limit?: string) => {
    const query = new URLSearchParams();
    if (words) query.set("q", words);
    for (const [, name, value] of options) if (value !== undefined) query.set(name, value);
    if (limit && !query.has("limit")) query.set("limit", limit);
    if (cursor) query.set("cursor", cursor);
    try {
      const asked = Object.fromEntries(query) as QueryOf<Api["search"]["$get"]>;
      return await client.call((api) => api.search.$get({ query: asked }));
    } catch (error) {
      throw refusedOptions(error, "search", OPTION_OF);
    }
  };

  const page = await readPages(fetchPage, values.cursor, values.all);
  if (values.json) {
    printJson(page);
    return;
  }
  const filtered = words !== "" || options.some(([name, , value]) => name !== "limit" && value !== undefined);
  printHits(page.items, near !== undefined, filtered || values.cursor !== undefined);
  if (page.next) {
    const flags = options.flatMap(([name, , value]) => (value === undefined ? [] : [`--${name}`, quote(value)]));
    const line = [...positionals.map(quote), ...flags, "--cursor", page.next].join(" ");
    print(`More: weft search ${line} (or --all for every page)`);
  }
}

function printHits(items: Hit[], near: boolean, filtered: boolean): void {
  if (items.length === 0) {
    print(
      filtered
        ? "No listings match."
        : 'No listings known yet; follow co-ops ("weft follow"), join a relay ("weft relay add") or crawl ("weft crawl").',
    );
    return;
  }
  const headers = ["TITLE", "KIND", "TERMS", "REGION", ...(near ? ["DISTANCE"] : []), "FROM"];
  const rows = items.map((l) => [
    shortTitle(l.title, 40),
    l.kind,
    terms(l),
    l.region ?? "",
    ...(near ? [l.distanceKm === null ? "" : `${l.distanceKm} km`] : []),
    `${l.from.handle ?? account(l.from.coop)} (${l.from.via})`,
  ]);
  print(table(headers, rows));
}

export async function coopsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.coops, args, {
    region: { type: "string" },
    category: { type: "string" },
    json: { type: "boolean" },
  });
  expectArgs(USAGE.coops, positionals, []);
  const query = new URLSearchParams();
  if (values.region !== undefined) query.set("region", values.region);
  if (values.category !== undefined) query.set("category", values.category);
  let list: { items: Coop[] };
  try {
    const asked = Object.fromEntries(query) as QueryOf<Api["coops"]["$get"]>;
    list = await connect(env).call((api) => api.coops.$get({ query: asked }));
  } catch (error) {
    throw refusedOptions(error, "directory query", { "query.region": "--region", "query.category": "--category" });
  }
  const done = printedWithoutTable(list, values.json, query.size > 0, {
    noMatch: "No known co-ops match.",
    empty:
      'No co-ops known yet; follow co-ops ("weft follow"), join a relay ("weft relay add") or crawl ("weft crawl").',
  });
  if (done) return;
  const rows = list.items.map((c) => [
    c.handle ?? account(c.actor),
    c.name ?? "",
    c.region ?? "",
    categories(c.categories),
    String(c.listings),
    c.knownVia ?? "",
    c.lastSeen.slice(0, 10),
  ]);
  print(table(["CO-OP", "NAME", "REGION", "CATEGORIES", "LISTINGS", "KNOWN VIA", "LAST SEEN"], rows));
}

/** At most three categories in a table cell, and how many more. */
function categories(list: string[]): string {
  const shown = list.slice(0, 3).join(", ");
  return list.length > 3 ? `${shown} (+${list.length - 3})` : shown;
}

/** `lat,lon` in degrees, such as 35.745,-81.685. */
function nearOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const [lat, lon, ...rest] = value.split(",").map((part) => part.trim());
  const valid =
    rest.length === 0 &&
    LATITUDE.test(lat ?? "") &&
    LONGITUDE.test(lon ?? "") &&
    Math.abs(Number(lat)) <= 90 &&
    Math.abs(Number(lon)) <= 180;
  if (!valid) {
    throw new UsageError(`--near must be a latitude and longitude such as 35.745,-81.685 (got "${value}")`);
  }
  return `${lat},${lon}`;
}

/** An option that only makes sense with another one. */
function pair(name: string, value: string | undefined, partner: string, partnerValue: string | undefined): void {
  if (value !== undefined && partnerValue === undefined) throw new UsageError(`${name} needs ${partner} as well`);
}

function radiusOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!DECIMAL.test(value) || Number(value) <= 0) {
    throw new UsageError(`--radius must be a number of kilometres above zero, such as 150 (got "${value}")`);
  }
  return value;
}

function decimalOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!DECIMAL.test(value))
    throw new UsageError(`${name} must be a decimal number such as 3000 or 12.50 (got "${value}")`);
  return value;
}

function dateOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (!DATE.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`${name} must be a date such as 2027-02-01 (got "${value}")`);
  }
  return value;
}
