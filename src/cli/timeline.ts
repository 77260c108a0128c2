// weft timeline: the active listings of the co-ops this co-op follows, and its
// own, newest change first, one page at a time (--all: every page).

import type { AnswerOf, QueryOf } from "./answers.ts";
import { limitOption, parse, readPages } from "./args.ts";
import { type Api, connect } from "./client.ts";
import { UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { kindOption, shortTitle, terms } from "./listing-format.ts";
import { account, print, printJson, quote, table } from "./output.ts";

type Page = AnswerOf<Api["timeline"]["$get"]>;

export async function timelineCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.timeline, args, {
    kind: { type: "string" },
    category: { type: "string" },
    limit: { type: "string" },
    cursor: { type: "string" },
    all: { type: "boolean" },
    json: { type: "boolean" },
  });
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}" (usage: ${USAGE.timeline})`);
  }
  const filter: [string, string | undefined][] = [
    ["kind", kindOption(values.kind)],
    ["category", values.category],
    ["limit", limitOption(values.limit)],
  ];
  const client = connect(env);
  const fetchPage = (cursor: string | undefined, limit?: string) => {
    const query = new URLSearchParams();
    for (const [name, value] of filter) if (value !== undefined) query.set(name, value);
    if (limit && !query.has("limit")) query.set("limit", limit);
    if (cursor) query.set("cursor", cursor);
    const asked = Object.fromEntries(query) as QueryOf<Api["timeline"]["$get"]>;
    return client.call((api) => api.timeline.$get({ query: asked }));
  };

  const page = await readPages(fetchPage, values.cursor, values.all);
  if (values.json) {
    printJson(page);
    return;
  }
  printPage(page, values.kind !== undefined || values.category !== undefined || values.cursor !== undefined);
  if (page.next) {
    const options = filter.flatMap(([name, value]) => (value === undefined ? [] : [`--${name}`, quote(value)]));
    print(`More: weft timeline ${[...options, "--cursor", page.next].join(" ")} (or --all for every page)`);
  }
}

function printPage(page: Page, filtered: boolean): void {
  if (page.items.length === 0) {
    print(
      filtered
        ? "No listings match."
        : 'The timeline is empty; follow co-ops with "weft follow coop@host", or publish with "weft listing create".',
    );
    return;
  }
  const rows = page.items.map((l) => [
    l.updated.slice(0, 10),
    account(l.author),
    l.kind,
    shortTitle(l.title),
    terms(l),
    l.region ?? "",
  ]);
  print(table(["UPDATED", "AUTHOR", "KIND", "TITLE", "TERMS", "REGION"], rows));
}
