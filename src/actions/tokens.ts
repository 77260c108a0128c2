// Use cases: an owner makes an API token for a script or another tool, sees
// the tokens handed out, and revokes one. The token is a JWT signed with the
// node's secret (src/auth/tokens.ts); the node records its id, name, scopes
// and dates (never the token itself), shows it once, and refuses it once
// revoked. The API asks checkApiToken() about every token it is sent.
import { createToken, needsRecord, parseExpiry, SCOPES, type Scope, type TokenClaims } from "../auth/tokens.ts";
import {
  findApiToken,
  listApiTokens as listStoredTokens,
  recordApiToken,
  revokeApiToken as revokeStoredToken,
  touchApiToken,
} from "../domain/api-tokens.ts";
import type { ApiTokenRow } from "../domain/records.ts";
import type { ActionContext } from "./context.ts";
import { ActionError, type FieldError } from "./errors.ts";
import { type Actor, requireRole } from "./people.ts";

export { SCOPES, type Scope };

/** How long a token made in the workspace may live, in days; the CLI and API also allow other durations and `never`. */
export const TOKEN_DAYS = [1, 7, 30, 90, 365] as const;

/** A token's last use is written at most this often, so a busy script costs one write a minute. */
const LAST_USED_EVERY_SECONDS = 60;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NewApiToken {
  id: string;
  token: string;
  name: string;
  scopes: Scope[];
  expiresAt: Date | null;
}

/** A recorded token as a person or a script sees it. */
export interface ApiTokenView {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  state: "active" | "expired" | "revoked";
}

function view(row: ApiTokenRow, now = Date.now()): ApiTokenView {
  const state = row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt.getTime() <= now ? "expired" : "active";
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(" ").filter(Boolean) as Scope[],
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    state,
  };
}

/**
 * Makes and records a token named `name` with `scopes`, expiring after
 * `expires` (`30d`, `12h`, `15m`, `45s` or `never`).
 */
export async function issueApiToken(
  weft: ActionContext,
  actor: Actor,
  secret: string,
  input: { name: string; scopes: string[]; expires: string },
): Promise<NewApiToken> {
  requireRole(actor, "manage");
  const name = input.name.trim();
  const errors: FieldError[] = [];
  if (name.length === 0) errors.push({ field: "name", message: "Give the token a name, such as inventory-sync." });
  else if (name.length > 100) errors.push({ field: "name", message: "must be at most 100 characters" });
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0 || scopes.some((s) => !(SCOPES as readonly string[]).includes(s))) {
    errors.push({ field: "scopes", message: "must be read, write or admin" });
  }
  const expiresInSeconds = parseExpiry(input.expires);
  if (expiresInSeconds === undefined || expiresInSeconds === 0) {
    errors.push({ field: "expires", message: "must be a duration such as 30d, 12h, 15m or 45s, or never" });
  }
  if (errors.length > 0) throw new ActionError("invalid", "The token was not created.", errors);
  const seconds = expiresInSeconds as number | null;
  const id = crypto.randomUUID();
  const expiresAt = seconds === null ? null : new Date(Date.now() + seconds * 1000);
  // Recorded first: a token that exists is always one an owner can see and revoke.
  await recordApiToken(weft.services.db, { id, name, scopes: scopes.join(" "), expiresAt });
  const token = await createToken(secret, {
    issuer: weft.services.config.origin,
    scopes: scopes as Scope[],
    expiresInSeconds: seconds,
    subject: name,
    id,
  });
  return { id, token, name, scopes: scopes as Scope[], expiresAt };
}

/** The workspace's form: one scope and a number of days from TOKEN_DAYS. */
export async function createApiToken(
  weft: ActionContext,
  actor: Actor,
  secret: string,
  input: { name: string; scope: string; days: string },
): Promise<NewApiToken> {
  const days = Number(input.days);
  const expires = (TOKEN_DAYS as readonly number[]).includes(days) ? `${days}d` : "";
  try {
    return await issueApiToken(weft, actor, secret, { name: input.name, scopes: [input.scope], expires });
  } catch (error) {
    // The form's fields are `scope` (one) and `days`; every problem is reported at once.
    if (!(error instanceof ActionError)) throw error;
    const errors = error.errors.map((e) =>
      e.field === "scopes"
        ? { ...e, field: "scope" }
        : e.field === "expires"
          ? { field: "days", message: `must be one of ${TOKEN_DAYS.join(", ")} days` }
          : e,
    );
    throw new ActionError(error.kind, error.message, errors);
  }
}

/** Every token handed out, newest first, with its state. */
export async function listApiTokens(weft: ActionContext, actor: Actor): Promise<ApiTokenView[]> {
  requireRole(actor, "manage");
  const now = Date.now();
  return (await listStoredTokens(weft.services.db)).map((row) => view(row, now));
}

/** Revokes a token: the API refuses it from now on. Revoking a revoked token changes nothing. */
export async function revokeApiToken(weft: ActionContext, actor: Actor, id: string): Promise<ApiTokenView> {
  requireRole(actor, "manage");
  const notFound = () => new ActionError("not_found", `There is no API token ${id} on this node.`);
  if (!UUID.test(id)) throw notFound();
  await revokeStoredToken(weft.services.db, id);
  const row = await findApiToken(weft.services.db, id);
  if (!row) throw notFound();
  return view(row);
}

/**
 * Whether the API accepts a token whose signature already verified: a
 * recorded token unless revoked (and its use noted), an unrecorded one only
 * when it lives at most UNRECORDED_MAX_SECONDS (the CLI's own tokens).
 */
export async function checkApiToken(weft: ActionContext, claims: TokenClaims): Promise<boolean> {
  const row = UUID.test(claims.id) ? await findApiToken(weft.services.db, claims.id) : undefined;
  if (!row) return !needsRecord(claims);
  if (row.revokedAt) return false;
  const last = row.lastUsedAt?.getTime() ?? 0;
  if (Date.now() - last >= LAST_USED_EVERY_SECONDS * 1000) {
    await touchApiToken(weft.services.db, row.id, LAST_USED_EVERY_SECONDS);
  }
  return true;
}
