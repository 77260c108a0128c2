// Use case: an owner makes an API token for a script or another tool. The
// token is a JWT signed with the node's secret (src/auth/tokens.ts), as
// `weft token create` makes it; the node keeps no copy, so it is shown once
// and stays valid until it expires.
import { createToken, SCOPES, type Scope } from "../auth/tokens.ts";
import type { ActionContext } from "./context.ts";
import { ActionError, type FieldError } from "./errors.ts";
import { type Actor, requireRole } from "./people.ts";

export { SCOPES, type Scope };

/** How long a token made here may live, in days; the CLI also allows other durations and `never`. */
export const TOKEN_DAYS = [1, 7, 30, 90, 365] as const;

export interface NewApiToken {
  token: string;
  name: string;
  scope: Scope;
  expiresAt: Date;
}

/** Makes a token named `name` (its subject) with one scope, valid for `days` days. */
export async function createApiToken(
  weft: ActionContext,
  actor: Actor,
  secret: string,
  input: { name: string; scope: string; days: string },
): Promise<NewApiToken> {
  requireRole(actor, "manage");
  const name = input.name.trim();
  const days = Number(input.days);
  const errors: FieldError[] = [];
  if (name.length === 0) errors.push({ field: "name", message: "Give the token a name, such as inventory-sync." });
  else if (name.length > 100) errors.push({ field: "name", message: "must be at most 100 characters" });
  if (!(SCOPES as readonly string[]).includes(input.scope)) {
    errors.push({ field: "scope", message: "must be read, write or admin" });
  }
  if (!(TOKEN_DAYS as readonly number[]).includes(days)) {
    errors.push({ field: "days", message: `must be one of ${TOKEN_DAYS.join(", ")} days` });
  }
  if (errors.length > 0) throw new ActionError("invalid", "The token was not created.", errors);
  const expiresInSeconds = days * 86400;
  const token = await createToken(secret, {
    issuer: weft.services.config.origin,
    scopes: [input.scope as Scope],
    expiresInSeconds,
    subject: name,
  });
  return { token, name, scope: input.scope as Scope, expiresAt: new Date(Date.now() + expiresInSeconds * 1000) };
}
