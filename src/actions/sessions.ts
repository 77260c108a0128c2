// Signing in and out, and the sessions a person (or an owner, anyone's) can
// see and end. Failed sign-ins are counted in the database, so the limit
// holds across restarts and across processes on one PostgreSQL.

import { decoyHash, hashToken, newToken, verifyPassword } from "../domain/passwords.ts";
import { findPersonByEmail, normaliseEmail, recentFailures, recordSignInAttempt } from "../domain/people.ts";
import type { PersonRow, SessionRow } from "../domain/records.ts";
import {
  createSession,
  findLiveSession,
  getSession,
  listLiveSessions,
  revokeSession as markRevoked,
  touchSession,
} from "../domain/sessions.ts";
import type { ActionContext } from "./context.ts";
import { ActionError } from "./errors.ts";
import type { Actor } from "./people.ts";

export type { SessionRow };

/** The rate limit: failures per account and per address within the window. */
export const SIGN_IN_LIMITS = { perAccount: 5, perAddress: 20, windowMinutes: 15 } as const;
/** A session unused this long ends by itself. */
export const SESSION_IDLE_DAYS = 30;

function idleCutoff(): Date {
  return new Date(Date.now() - SESSION_IDLE_DAYS * 86400_000);
}

export interface SignedIn {
  /** The cookie's value; only its hash is stored. */
  token: string;
  session: SessionRow;
  person: PersonRow;
}

function minutesUntilFree(oldest: Date | null): number {
  const freeAt = (oldest?.getTime() ?? Date.now()) + SIGN_IN_LIMITS.windowMinutes * 60_000;
  return Math.max(1, Math.ceil((freeAt - Date.now()) / 60_000));
}

function tooMany(who: string, minutes: number): ActionError {
  return new ActionError(
    "forbidden",
    `Too many failed sign-ins ${who}. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`,
  );
}

export async function signIn(
  weft: ActionContext,
  input: { email: string; password: string; address: string; userAgent: string | null },
): Promise<SignedIn> {
  const { db } = weft.services;
  const email = normaliseEmail(input.email);
  if (email === "" || input.password === "") {
    const errors = [
      ...(email === "" ? [{ field: "email", message: "Write the email you were invited with." }] : []),
      ...(input.password === "" ? [{ field: "password", message: "Write your password." }] : []),
    ];
    throw new ActionError("invalid", "Write your email and password to sign in.", errors);
  }
  const since = new Date(Date.now() - SIGN_IN_LIMITS.windowMinutes * 60_000);
  const byAddress = await recentFailures(db, { address: input.address }, since);
  if (byAddress.count >= SIGN_IN_LIMITS.perAddress)
    throw tooMany("from this address", minutesUntilFree(byAddress.oldest));
  const byAccount = await recentFailures(db, { email }, since);
  if (byAccount.count >= SIGN_IN_LIMITS.perAccount)
    throw tooMany("for this account", minutesUntilFree(byAccount.oldest));

  const person = await findPersonByEmail(db, email);
  const usable = person && !person.disabled;
  // Check a hash even without an account, so a wrong email is not faster to find out.
  const ok = (await verifyPassword(input.password, usable ? person.passwordHash : await decoyHash())) && usable;
  await recordSignInAttempt(db, email, input.address, Boolean(ok));
  if (!ok || !person) {
    throw new ActionError("invalid", "The email or the password is wrong.", [
      { field: "password", message: "The email or the password is wrong." },
    ]);
  }
  const token = newToken();
  const session = await createSession(db, {
    tokenHash: hashToken(token),
    personId: person.id,
    csrfSecret: newToken(),
    userAgent: input.userAgent?.slice(0, 500) ?? null,
    address: input.address,
  });
  return { token, session, person };
}

/** The live session a cookie names, with its person; undefined when it ended or never was. */
export async function currentSession(
  weft: ActionContext,
  token: string,
): Promise<{ session: SessionRow; person: PersonRow } | undefined> {
  const found = await findLiveSession(weft.services.db, hashToken(token), idleCutoff());
  if (found) await touchSession(weft.services.db, found.session.id);
  return found;
}

export async function signOut(weft: ActionContext, sessionId: string): Promise<void> {
  await markRevoked(weft.services.db, sessionId);
}

/** Live sessions: a person's own, or (for an owner) everyone's. */
export async function listSessions(weft: ActionContext, actor: Actor) {
  if (actor.role === "owner") return await listLiveSessions(weft.services.db, idleCutoff());
  return actor.personId ? await listLiveSessions(weft.services.db, idleCutoff(), actor.personId) : [];
}

/** Ends a session: one's own, or anyone's for an owner. */
export async function revokeSession(weft: ActionContext, actor: Actor, sessionId: string): Promise<void> {
  const session = /^[0-9a-f-]{36}$/i.test(sessionId) ? await getSession(weft.services.db, sessionId) : undefined;
  if (!session || (actor.role !== "owner" && session.personId !== actor.personId)) {
    throw new ActionError("not_found", "No such session (it may have ended already).");
  }
  await markRevoked(weft.services.db, session.id);
}
