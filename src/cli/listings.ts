// weft listing create / list / show / update / remove: the co-op's own offers,
// capacity and needs. Listings are written as JSON files (docs/cli.md has one
// of each kind) and sent to the admin API as they are; the node checks them.

import type { BodyOf, QueryOf } from "./answers.ts";
import { expectArgs, parse } from "./args.ts";
import { type Api, connect } from "./client.ts";
import { UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { readJsonFile } from "./json-file.ts";
import { amount, availability, kindOption, type Listing, price, shortTitle, visibility } from "./listing-format.ts";
import { fields, print, printedWithoutTable, printJson, table } from "./output.ts";

const LISTING = { noun: "a listing", example: '{"kind": "offer", "title": …}' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ACTIONS: Record<string, (args: string[], env: NodeJS.ProcessEnv) => Promise<void>> = {
  create: createListing,
  list: listListings,
  show: showListing,
  update: updateListing,
  remove: removeListing,
};

export async function listingCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [action, ...rest] = args;
  if (action === undefined || action.startsWith("-")) throw new UsageError(`missing command (usage: ${USAGE.listing})`);
  const command = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!command) throw new UsageError(`unknown command "listing ${action}" (use create, list, show, update or remove)`);
  await command(rest, env);
}

async function createListing(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.listingCreate, args, {
    file: { type: "string" },
    json: { type: "boolean" },
  });
  expectArgs(USAGE.listingCreate, positionals, []);
  const body = await readJsonFile(USAGE.listingCreate, values.file, LISTING);
  const json = body as BodyOf<Api["listings"]["$post"]>;
  const created = await connect(env).call((api) => api.listings.$post({ json }));
  printSaved("Published", created, values.json);
}

async function updateListing(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.listingUpdate, args, {
    file: { type: "string" },
    json: { type: "boolean" },
  });
  const id = listingId(USAGE.listingUpdate, positionals);
  const patch = await readJsonFile(USAGE.listingUpdate, values.file, LISTING);
  const json = patch as BodyOf<Api["listings"][":id"]["$patch"]>;
  const updated = await connect(env).call((api) => api.listings[":id"].$patch({ param: { id }, json }));
  printSaved("Updated", updated, values.json);
}

function printSaved(verb: string, listing: Listing, json: boolean | undefined): void {
  if (json) {
    printJson(listing);
    return;
  }
  print(`${verb} ${listing.kind} "${listing.title}".`);
  print(
    fields([
      ["ID", listing.id],
      ["IRI", listing.iri],
    ]),
  );
}

async function listListings(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.listingList, args, {
    kind: { type: "string" },
    category: { type: "string" },
    status: { type: "string" },
    json: { type: "boolean" },
  });
  expectArgs(USAGE.listingList, positionals, []);
  if (values.status !== undefined && !["active", "paused"].includes(values.status)) {
    throw new UsageError(`--status must be active or paused (got "${values.status}")`);
  }
  const query = new URLSearchParams();
  for (const [name, value] of [
    ["kind", kindOption(values.kind)],
    ["category", values.category],
    ["status", values.status],
  ] as const) {
    if (value !== undefined) query.set(name, value);
  }
  const asked = Object.fromEntries(query) as QueryOf<Api["listings"]["$get"]>;
  const list = await connect(env).call((api) => api.listings.$get({ query: asked }));
  const done = printedWithoutTable(list, values.json, query.size > 0, {
    noMatch: "No listings of this co-op match.",
    empty: 'This co-op has no listings yet; publish one with "weft listing create --file listing.json".',
  });
  if (done) return;
  const rows = list.items.map((l) => [
    l.id,
    l.kind,
    shortTitle(l.title),
    amount(l),
    price(l),
    l.region ?? "",
    visibility(l),
    l.status,
  ]);
  print(table(["ID", "KIND", "TITLE", "QUANTITY/RATE", "PRICE", "REGION", "VISIBILITY", "STATUS"], rows));
}

async function showListing(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.listingShow, args, { json: { type: "boolean" } });
  const id = listingId(USAGE.listingShow, positionals);
  const l = await connect(env).call((api) => api.listings[":id"].$get({ param: { id } }));
  if (values.json) {
    printJson(l);
    return;
  }
  const pairs: [string, string][] = [
    ["ID", l.id],
    ["IRI", l.iri],
    ["Kind", l.kind],
    ["Status", l.status],
    ["Title", l.title],
    ["Category", l.category],
    ["Quantity", l.quantity ? `${l.quantity.amount} ${l.quantity.unit}` : ""],
    ["Minimum order", l.minimumOrder ? `${l.minimumOrder.amount} ${l.minimumOrder.unit}` : ""],
    ["Rate", l.rate ? `${l.rate.amount} ${l.rate.unit} per ${l.rate.per}` : ""],
    ["Price", price(l, " per ")],
    ["Available", availability(l)],
    ["Region", l.region ?? ""],
    ["Location", l.location ? `${l.location.lat}, ${l.location.lon}` : ""],
    ["Visibility", Array.isArray(l.visibility) ? `partners: ${l.visibility.join(", ")}` : l.visibility],
    ["Published", l.published],
    ["Updated", l.updated],
  ];
  print(fields(pairs.filter(([, value]) => value !== "")));
  if (l.description) print(`\n${l.description.trimEnd()}`);
}

async function removeListing(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { positionals } = parse(USAGE.listingRemove, args, {});
  const id = listingId(USAGE.listingRemove, positionals);
  await connect(env).call((api) => api.listings[":id"].$delete({ param: { id } }));
  print(`Removed listing ${id}; co-ops that received it are told to delete it.`);
}

function listingId(usage: string, positionals: string[]): string {
  const [id] = expectArgs(usage, positionals, ["id"]) as [string];
  if (!UUID.test(id)) throw new UsageError(`"${id}" is not a listing id (see "weft listing list")`);
  return id;
}
