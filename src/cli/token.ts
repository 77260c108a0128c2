// weft token create: prints an API token for scripts and other tools. It
// signs with the node's secret and never opens the database, so it works
// while the node runs (PGlite allows one process per data folder) or is down.
import { existsSync } from "node:fs";
import { createToken, parseExpiry, SCOPES, type Scope } from "../auth/tokens.ts";
import { loadConfig } from "../config.ts";
import { loadOrCreateSecret, secretPath } from "../secret.ts";
import { expectArgs, parse } from "./args.ts";
import { UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";

export async function tokenCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.token, args, {
    scope: { type: "string", multiple: true },
    expires: { type: "string" },
    name: { type: "string" },
  });
  if (positionals[0] !== "create") {
    const problem = positionals[0] === undefined ? "missing command" : `unknown command "token ${positionals[0]}"`;
    throw new UsageError(`${problem} (usage: ${USAGE.token})`);
  }
  expectArgs(USAGE.token, positionals, ["create"]);
  const scopes = parseScopes(values.scope ?? []);
  const expiresInSeconds = parseExpiry(values.expires ?? "30d");
  if (expiresInSeconds === undefined || expiresInSeconds === 0) {
    throw new UsageError(
      `--expires must be a duration such as 30d, 12h, 15m or 45s, or never (got "${values.expires}")`,
    );
  }

  const config = loadConfig(env);
  const path = secretPath(config.dataDir);
  const created = !config.secret && !existsSync(path);
  const secret = await loadOrCreateSecret(config);
  // On stderr, so stdout stays just the token: a node started on another data
  // folder would have its own secret and refuse this token.
  if (created) process.stderr.write(`weft: created a new API secret in ${path}\n`);
  const token = await createToken(secret, {
    issuer: config.origin,
    scopes,
    expiresInSeconds,
    subject: values.name || undefined,
  });
  process.stdout.write(`${token}\n`);
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
