// weft token create / list / revoke: API tokens for scripts and other tools.
// `create` asks the running node (POST /api/v1/tokens), which records the
// token so that `list` shows it and `revoke` can end it; the CLI itself calls
// the node with its own tokens of a few minutes, which need no record
// (client.ts). So `create` needs the node running, like every other command.
import { parseExpiry, SCOPES, type Scope } from "../auth/tokens.ts";
import { expectArgs, parse } from "./args.ts";
import { connect, refusedOptions } from "./client.ts";
import { UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { print, printJson, table } from "./output.ts";

export async function tokenCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [action, ...rest] = args;
  if (action === "create") return await createCommand(rest, env);
  if (action === "list") return await listCommand(rest, env);
  if (action === "revoke") return await revokeCommand(rest, env);
  const problem =
    action === undefined || action.startsWith("-") ? "missing command" : `unknown command "token ${action}"`;
  throw new UsageError(`${problem} (use create, list or revoke; usage: ${USAGE.token})`);
}

async function createCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.token, args, {
    scope: { type: "string", multiple: true },
    expires: { type: "string" },
    name: { type: "string" },
  });
  expectArgs(USAGE.token, positionals, []);
  const scopes = parseScopes(values.scope ?? []);
  const expires = values.expires ?? "30d";
  const seconds = parseExpiry(expires);
  if (seconds === undefined || seconds === 0) {
    throw new UsageError(`--expires must be a duration such as 30d, 12h, 15m or 45s, or never (got "${expires}")`);
  }
  // A name tells tokens apart in `weft token list`; without one, the day it was made.
  const name = values.name || `token of ${new Date().toISOString().slice(0, 10)}`;
  let made: { token: string };
  try {
    made = await connect(env).call((api) => api.tokens.$post({ json: { name, scopes, expires } }));
  } catch (error) {
    throw refusedOptions(error, "token", { name: "--name", scopes: "--scope", expires: "--expires" });
  }
  process.stdout.write(`${made.token}\n`);
}

async function listCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.tokenList, args, {
    all: { type: "boolean" },
    json: { type: "boolean" },
  });
  expectArgs(USAGE.tokenList, positionals, []);
  const list = await connect(env).call((api) => api.tokens.$get());
  const items = values.all ? list.items : list.items.filter((t) => t.state === "active");
  if (values.json) {
    printJson({ items });
    return;
  }
  if (items.length === 0) {
    print(`No ${values.all ? "" : "valid "}API token; make one with "weft token create --scope read --name <label>".`);
    return;
  }
  const minute = (iso: string | null, none: string) => (iso ? `${iso.slice(0, 16).replace("T", " ")}` : none);
  print(
    table(
      ["ID", "NAME", "SCOPES", "CREATED", "LAST USED", "EXPIRES", ...(values.all ? ["STATE"] : [])],
      items.map((t) => [
        t.id,
        t.name,
        t.scopes.join(","),
        minute(t.createdAt, ""),
        minute(t.lastUsedAt, "never"),
        t.expiresAt ? t.expiresAt.slice(0, 10) : "never",
        ...(values.all ? [t.state] : []),
      ]),
    ),
  );
}

async function revokeCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { positionals } = parse(USAGE.tokenRevoke, args, {});
  const [id] = expectArgs(USAGE.tokenRevoke, positionals, ["id"]) as [string];
  await connect(env).call((api) => api.tokens[":id"].$delete({ param: { id } }));
  print(`Revoked token ${id}; the node refuses it from now on.`);
}

/** `--scope read --scope write` or `--scope read,write`. */
function parseScopes(values: string[]): Scope[] {
  const names = values
    .flatMap((v) => v.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError(`missing --scope (usage: ${USAGE.token})`);
  for (const name of names) {
    if (!(SCOPES as readonly string[]).includes(name)) {
      throw new UsageError(`unknown scope "${name}" (use read, write or admin)`);
    }
  }
  return [...new Set(names as Scope[])];
}
