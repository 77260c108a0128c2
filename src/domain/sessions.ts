// Storage of signed-in sessions. The cookie holds a random token; the table
// holds its SHA-256, so a copy of the database signs nobody in.
import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { type PersonRow, people, type SessionRow, sessions } from "../db/schema.ts";

export async function createSession(
  db: Database,
  session: {
    tokenHash: string;
    personId: string;
    csrfSecret: string;
    userAgent: string | null;
    address: string | null;
  },
): Promise<SessionRow> {
  const [row] = await db.insert(sessions).values(session).returning();
  return row as SessionRow;
}

/**
 * The live session with this token hash and its person: not revoked, seen
 * after `seenAfter`, and the person not disabled.
 */
export async function findLiveSession(
  db: Database,
  tokenHash: string,
  seenAfter: Date,
): Promise<{ session: SessionRow; person: PersonRow } | undefined> {
  const [row] = await db
    .select()
    .from(sessions)
    .innerJoin(people, eq(sessions.personId, people.id))
    .where(
      and(
        eq(sessions.tokenHash, tokenHash),
        isNull(sessions.revokedAt),
        gt(sessions.lastSeenAt, seenAfter),
        eq(people.disabled, false),
      ),
    );
  return row && { session: row.sessions, person: row.people };
}

/** Notes that the session was used, at most once a minute (no write per request). */
export async function touchSession(db: Database, id: string): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: new Date() })
    .where(and(eq(sessions.id, id), lt(sessions.lastSeenAt, sql`now() - interval '1 minute'`)));
}

export async function getSession(db: Database, id: string): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
  return row;
}

/** Live sessions, newest use first: of one person, or of everyone (with their person). */
export async function listLiveSessions(
  db: Database,
  seenAfter: Date,
  personId?: string,
): Promise<{ session: SessionRow; person: PersonRow }[]> {
  const rows = await db
    .select()
    .from(sessions)
    .innerJoin(people, eq(sessions.personId, people.id))
    .where(
      and(
        isNull(sessions.revokedAt),
        gt(sessions.lastSeenAt, seenAfter),
        eq(people.disabled, false),
        personId ? eq(sessions.personId, personId) : undefined,
      ),
    )
    .orderBy(desc(sessions.lastSeenAt));
  return rows.map((r) => ({ session: r.sessions, person: r.people }));
}

export async function revokeSession(db: Database, id: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}
