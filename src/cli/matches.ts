// weft matches: this co-op's needs matched with the offers and capacity it
// knows, and known needs with its own offers and capacity, best first;
// weft matches seen: mark them all seen, so that --new shows only later ones.

import { expectArgs, parse } from "./args.ts";
import { connect } from "./client.ts";
import { UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { type Listing, shortTitle } from "./listing-format.ts";
import { account, print, printJson, table } from "./output.ts";

export async function matchesCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const action = args.find((a) => !a.startsWith("-"));
  if (action === "seen") return await markSeen(args, env);
  const { values, positionals } = parse(USAGE.matches, args, { new: { type: "boolean" }, json: { type: "boolean" } });
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}" (usage: ${USAGE.matches}, or ${USAGE.matchesSeen})`);
  }
  const query = values.new ? { new: "true" as const } : {};
  const list = await connect(env).call((api) => api.matches.$get({ query }));
  if (values.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print(
      values.new
        ? "No new matches."
        : "No matches: no known listing answers a need of this co-op, or the other way round.",
    );
    return;
  }
  const by = (l: Listing) => (l.local ? "this co-op" : account(l.author));
  const rows = list.items.map((m) => [
    m.new ? "new" : "",
    String(m.score),
    shortTitle(m.need.title, 32),
    by(m.need),
    shortTitle(m.offer.title, 32),
    by(m.offer),
    m.reasons.join("; "),
  ]);
  print(table(["NEW", "SCORE", "NEED", "NEEDED BY", "OFFER", "OFFERED BY", "WHY"], rows));
  const fresh = list.items.filter((m) => m.new).length;
  if (fresh > 0 && !values.new) print(`${fresh} new; mark them seen with "weft matches seen".`);
  else if (fresh > 0) print(`Mark them seen with "weft matches seen".`);
}

async function markSeen(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.matchesSeen, args, { json: { type: "boolean" } });
  expectArgs(USAGE.matchesSeen, positionals, ["seen"]);
  const result = await connect(env).call((api) => api.matches.seen.$post());
  if (values.json) {
    printJson(result);
    return;
  }
  print(
    result.marked === 0
      ? "No new matches to mark."
      : `Marked ${result.marked} ${result.marked === 1 ? "match" : "matches"} as seen.`,
  );
}
