// Storage of the API tokens handed out: their ids (the JWT's `jti`), names,
// scopes and dates, so an owner can see them and revoke one. The token itself
// is never stored; it is a JWT signed with the node's secret (src/auth/).
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { type ApiTokenRow, apiTokens } from "../db/schema.ts";

export async function recordApiToken(
  db: Database,
  token: { id: string; name: string; scopes: string; expiresAt: Date | null },
): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values(token).returning();
  return row as ApiTokenRow;
}

/** Every recorded token, newest first, revoked and expired ones included. */
export async function listApiTokens(db: Database): Promise<ApiTokenRow[]> {
  return await db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

export async function findApiToken(db: Database, id: string): Promise<ApiTokenRow | undefined> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id));
  return row;
}

/** Revokes a token unless it is revoked already; returns whether this call revoked it. */
export async function revokeApiToken(db: Database, id: string): Promise<boolean> {
  const rows = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/**
 * Notes a use of the token, unless one was noted less than `minSeconds` ago:
 * a script calling the API many times a second costs one write a minute.
 */
export async function touchApiToken(db: Database, id: string, minSeconds: number): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(
      and(
        eq(apiTokens.id, id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(Date.now() - minSeconds * 1000))),
      ),
    );
}
