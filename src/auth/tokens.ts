// API tokens: HS256 JWTs signed with the node's secret, carrying scopes. Its own
// module because the API checks them while the CLI and the workspace (a
// use case in actions/tokens.ts) make them. A token that lives longer than
// UNRECORDED_MAX_SECONDS must also be recorded by the node (its `jti`), so
// it can be listed and revoked; a shorter one, such as the CLI's own token
// for one command, needs no record.
import { jwtVerify, SignJWT } from "jose";

export const SCOPES = ["read", "write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

const AUDIENCE = "weft-api";

/** The longest life of a token the node accepts without a record of it: one hour. */
export const UNRECORDED_MAX_SECONDS = 3600;

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** `30d`, `12h`, `15m`, `45s`, or `never`. */
export function parseExpiry(text: string): number | null | undefined {
  if (text === "never") return null;
  const match = /^(\d+)([smhd])$/.exec(text);
  if (!match) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

export async function createToken(
  secret: string,
  options: { issuer: string; scopes: Scope[]; expiresInSeconds: number | null; subject?: string; id?: string },
): Promise<string> {
  // One clock reading for both, so a token's lifetime is exactly what was asked
  // (it decides whether the token needs a record).
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ scope: options.scopes.join(" ") })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(options.issuer)
    .setAudience(AUDIENCE)
    .setSubject(options.subject ?? "cli")
    .setIssuedAt(now)
    .setJti(options.id ?? crypto.randomUUID());
  if (options.expiresInSeconds !== null) jwt.setExpirationTime(now + options.expiresInSeconds);
  return await jwt.sign(key(secret));
}

export interface TokenClaims {
  subject: string;
  scopes: Set<Scope>;
  /** The `jti`: the id under which the node records the token. */
  id: string;
  /** Seconds from issue to expiry; null when the token never expires. */
  lifetimeSeconds: number | null;
}

/** Whether the node must hold a record of this token to accept it. */
export function needsRecord(claims: TokenClaims): boolean {
  return claims.lifetimeSeconds === null || claims.lifetimeSeconds > UNRECORDED_MAX_SECONDS;
}

/** Verifies a token; returns null when it is not valid for this node. */
export async function verifyToken(secret: string, issuer: string, token: string): Promise<TokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer, audience: AUDIENCE, algorithms: ["HS256"] });
    const scopes = new Set(
      String(payload.scope ?? "")
        .split(" ")
        .filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
    );
    const lifetimeSeconds =
      typeof payload.exp === "number" ? payload.exp - (typeof payload.iat === "number" ? payload.iat : 0) : null;
    return { subject: payload.sub ?? "", scopes, id: payload.jti ?? "", lifetimeSeconds };
  } catch {
    return null;
  }
}

/** `admin` may do everything; `write` implies `read`. */
export function hasScope(granted: Set<Scope>, needed: Scope): boolean {
  if (granted.has("admin")) return true;
  if (needed === "read") return granted.has("read") || granted.has("write");
  return granted.has(needed);
}
