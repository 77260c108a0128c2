// Storage of the people who run the node, their invitations and their
// sign-in attempts. Rules (who may do what, how many attempts) live in
// src/actions/people.ts; this file only reads and writes.
import { and, asc, count, eq, gt, isNull, max, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import {
  type InvitationRow,
  invitations,
  type PersonRole,
  type PersonRow,
  people,
  sessions,
  signInAttempts,
} from "../db/schema.ts";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function countPeople(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(people).where(eq(people.disabled, false));
  return row?.n ?? 0;
}

export async function countOwners(db: Database): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(people)
    .where(and(eq(people.disabled, false), eq(people.role, "owner")));
  return row?.n ?? 0;
}

export async function listPeople(db: Database): Promise<PersonRow[]> {
  return await db.select().from(people).where(eq(people.disabled, false)).orderBy(asc(people.name), asc(people.email));
}

export async function findPersonByEmail(db: Database, email: string): Promise<PersonRow | undefined> {
  const [row] = await db
    .select()
    .from(people)
    .where(eq(people.email, normaliseEmail(email)));
  return row;
}

export async function getPerson(db: Database, id: string): Promise<PersonRow | undefined> {
  const [row] = await db.select().from(people).where(eq(people.id, id));
  return row;
}

export async function setPersonRole(db: Database, id: string, role: PersonRole): Promise<void> {
  await db.update(people).set({ role }).where(eq(people.id, id));
}

/** Disables a person and ends their sessions, in one transaction. */
export async function disablePerson(db: Database, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(people).set({ disabled: true }).where(eq(people.id, id));
    await tx
      .update(sessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(sessions.personId, id), isNull(sessions.revokedAt)));
  });
}

export async function createInvitation(
  db: Database,
  invitation: { tokenHash: string; email: string; role: PersonRole; expiresAt: Date },
): Promise<void> {
  await db.insert(invitations).values({ ...invitation, email: normaliseEmail(invitation.email) });
}

export async function findInvitation(db: Database, tokenHash: string): Promise<InvitationRow | undefined> {
  const [row] = await db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
  return row;
}

/**
 * Uses an invitation: creates the person (or brings a removed one back with
 * the new role and password). Returns undefined when the invitation was used
 * meanwhile (two tabs submitting at once).
 */
export async function acceptInvitation(
  db: Database,
  tokenHash: string,
  person: { name: string; passwordHash: string },
): Promise<PersonRow | undefined> {
  return await db.transaction(async (tx) => {
    const [invitation] = await tx
      .update(invitations)
      .set({ usedAt: new Date() })
      .where(
        and(eq(invitations.tokenHash, tokenHash), isNull(invitations.usedAt), gt(invitations.expiresAt, sql`now()`)),
      )
      .returning();
    if (!invitation) return undefined;
    const values = { email: invitation.email, role: invitation.role, disabled: false, ...person };
    const [row] = await tx
      .insert(people)
      .values(values)
      .onConflictDoUpdate({ target: people.email, set: values })
      .returning();
    return row;
  });
}

export async function recordSignInAttempt(db: Database, email: string, address: string, ok: boolean): Promise<void> {
  await db.insert(signInAttempts).values({ email: normaliseEmail(email), address, ok });
}

/**
 * Failed attempts since `since` for an account (after its last success) or
 * from an address, with the oldest one's time (when the window frees up).
 */
export async function recentFailures(
  db: Database,
  by: { email: string } | { address: string },
  since: Date,
): Promise<{ count: number; oldest: Date | null }> {
  const key =
    "email" in by ? eq(signInAttempts.email, normaliseEmail(by.email)) : eq(signInAttempts.address, by.address);
  let from = since;
  if ("email" in by) {
    const [success] = await db
      .select({ at: max(signInAttempts.at) })
      .from(signInAttempts)
      .where(and(key, eq(signInAttempts.ok, true), gt(signInAttempts.at, since)));
    if (success?.at) from = new Date(success.at);
  }
  const [row] = await db
    .select({ n: count(), oldest: sql<string | null>`min(${signInAttempts.at})` })
    .from(signInAttempts)
    .where(and(key, eq(signInAttempts.ok, false), gt(signInAttempts.at, from)));
  return { count: row?.n ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
}
