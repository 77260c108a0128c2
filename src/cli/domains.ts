// weft block / unblock / allow / disallow / domains: who may talk to this
// node. A blocked server's activities are refused, nothing is delivered to
// it and its listings leave search; with WEFT_FEDERATION=allowlist only
// allowed servers may follow, order or be followed.
import { expectArgs, parse } from "./args.ts";
import { connect } from "./client.ts";
import { USAGE } from "./help.ts";
import { print, printJson, table } from "./output.ts";

function setRule(kind: "block" | "allow") {
  const usage = kind === "block" ? USAGE.block : USAGE.allow;
  return async (args: string[], env: NodeJS.ProcessEnv): Promise<void> => {
    const { values, positionals } = parse(usage, args, { note: { type: "string" }, json: { type: "boolean" } });
    const [domain] = expectArgs(usage, positionals, ["domain"]) as [string];
    const rule = await connect(env).call((api) =>
      api.domains.$post({ json: { domain, kind, note: values.note ?? null } }),
    );
    if (values.json) {
      printJson(rule);
      return;
    }
    print(
      kind === "block"
        ? `Blocked ${rule.domain}: its activities are refused, nothing is sent to it, its listings are hidden.`
        : `Allowed ${rule.domain}: it may follow, order and be followed when the node runs with WEFT_FEDERATION=allowlist.`,
    );
  };
}

function removeRule(kind: "block" | "allow") {
  const usage = kind === "block" ? USAGE.unblock : USAGE.disallow;
  return async (args: string[], env: NodeJS.ProcessEnv): Promise<void> => {
    const { positionals } = parse(usage, args, {});
    const [domain] = expectArgs(usage, positionals, ["domain"]) as [string];
    await connect(env).call((api) => api.domains[":domain"].$delete({ param: { domain }, query: { kind } }));
    print(kind === "block" ? `Unblocked ${domain}.` : `Took ${domain} off the allow list.`);
  };
}

export const blockCommand = setRule("block");
export const allowCommand = setRule("allow");
export const unblockCommand = removeRule("block");
export const disallowCommand = removeRule("allow");

export async function domainsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.domains, args, { json: { type: "boolean" } });
  expectArgs(USAGE.domains, positionals, []);
  const list = await connect(env).call((api) => api.domains.$get());
  if (values.json) {
    printJson(list);
    return;
  }
  print(
    list.mode === "allowlist"
      ? "Allow-list mode: only allowed servers may follow, order or be followed."
      : "Open: every server may talk to this node but those blocked.",
  );
  if (list.items.length === 0) {
    print('No server is blocked or allowed; block one with "weft block spam.example".');
    return;
  }
  const rows = list.items.map((r) => [r.kind.toUpperCase(), r.domain, r.createdAt.slice(0, 10), r.note ?? ""]);
  print(table(["RULE", "DOMAIN", "SINCE", "NOTE"], rows));
}
