// People and their roles: inviting, setting up an account, listing, changing
// a role, removing. Every rule about who may do what is here, so the pages,
// the API and the CLI refuse the same things with the same words.
import { z } from "zod";
import { hashPassword, hashToken, newToken } from "../domain/passwords.ts";
import {
  acceptInvitation,
  countOwners,
  createInvitation,
  disablePerson,
  findInvitation,
  findPersonByEmail,
  getPerson,
  listPeople as listActivePeople,
  normaliseEmail,
  setPersonRole,
} from "../domain/people.ts";
import { PERSON_ROLES, type PersonRole, type PersonRow } from "../domain/records.ts";
import type { ActionContext } from "./context.ts";
import { ActionError } from "./errors.ts";

export { PERSON_ROLES, type PersonRole, type PersonRow };

/** A viewer reads; a member also acts (listings, orders); an owner also manages (people, tokens, profile…). */
export function can(role: PersonRole, what: "act" | "manage"): boolean {
  return what === "act" ? role === "owner" || role === "member" : role === "owner";
}

/** Who is acting: a signed-in person, or an admin API token (which acts as an owner). */
export interface Actor {
  role: PersonRole;
  personId: string | null;
}

export const API_ADMIN: Actor = { role: "owner", personId: null };

const WHAT: Record<"act" | "manage", string> = {
  act: "publish listings or handle orders",
  manage: "manage people and the node's settings",
};

/** Refuses unless `actor` may `what`. */
export function requireRole(actor: Actor, what: "act" | "manage"): void {
  if (!can(actor.role, what)) {
    throw new ActionError(
      "forbidden",
      `As a ${actor.role} you cannot ${WHAT[what]}; ask an owner of this node if you need to.`,
    );
  }
}

export const INVITATION_HOURS = 24;
export const MIN_PASSWORD_LENGTH = 10;

const emailSchema = z.email({ error: "must be an email address such as sam@coop.example" }).max(320);

export interface Invitation {
  email: string;
  role: PersonRole;
  setupUrl: string;
  expiresAt: Date;
}

/** Invites someone: returns the one-time set-up link (shown once; only its hash is kept). */
export async function invitePerson(
  weft: ActionContext,
  actor: Actor,
  input: { email: string; role: string },
): Promise<Invitation> {
  requireRole(actor, "manage");
  const email = normaliseEmail(input.email);
  const errors = [];
  if (!emailSchema.safeParse(email).success) {
    errors.push({ field: "email", message: "must be an email address such as sam@coop.example" });
  }
  if (!(PERSON_ROLES as readonly string[]).includes(input.role)) {
    errors.push({ field: "role", message: "must be owner, member or viewer" });
  }
  if (errors.length > 0) throw new ActionError("invalid", "The invitation is not complete.", errors);
  const { db, config } = weft.services;
  const existing = await findPersonByEmail(db, email);
  if (existing && !existing.disabled) {
    throw new ActionError("conflict", `${email} already has an account here (as ${existing.role}).`, [
      { field: "email", message: "already has an account" },
    ]);
  }
  const token = newToken();
  const expiresAt = new Date(Date.now() + INVITATION_HOURS * 3600_000);
  const role = input.role as PersonRole;
  await createInvitation(db, { tokenHash: hashToken(token), email, role, expiresAt });
  return { email, role, setupUrl: `${config.origin}/setup/${token}`, expiresAt };
}

export type InvitationState =
  | { state: "valid"; email: string; role: PersonRole; expiresAt: Date }
  | { state: "used" | "expired" | "unknown" };

/** What a set-up link is, before the person fills it in. */
export async function describeInvitation(weft: ActionContext, token: string): Promise<InvitationState> {
  const invitation = await findInvitation(weft.services.db, hashToken(token));
  if (!invitation) return { state: "unknown" };
  if (invitation.usedAt) return { state: "used" };
  if (invitation.expiresAt.getTime() <= Date.now()) return { state: "expired" };
  return { state: "valid", email: invitation.email, role: invitation.role, expiresAt: invitation.expiresAt };
}

const LINK_REFUSALS = {
  unknown: "This set-up link is not valid. Check that it was copied whole, or ask an owner for a new one.",
  used: "This set-up link was already used. Sign in with the password chosen then, or ask an owner for a new link.",
  expired: `This set-up link has expired (links last ${INVITATION_HOURS} hours). Ask an owner for a new one.`,
} as const;

export function linkRefusal(state: "unknown" | "used" | "expired"): string {
  return LINK_REFUSALS[state];
}

/** Completes an account from its set-up link: the person chooses a name and a password. */
export async function completeSetup(
  weft: ActionContext,
  token: string,
  input: { name: string; password: string; confirm?: string },
): Promise<PersonRow> {
  const link = await describeInvitation(weft, token);
  if (link.state !== "valid") {
    throw new ActionError(link.state === "unknown" ? "not_found" : "conflict", linkRefusal(link.state));
  }
  const name = input.name.trim();
  const errors = [];
  if (name === "") errors.push({ field: "name", message: "Write the name your co-op knows you by." });
  if (name.length > 200) errors.push({ field: "name", message: "Keep the name under 200 characters." });
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    errors.push({ field: "password", message: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.` });
  } else if (input.password.length > 1000) {
    errors.push({ field: "password", message: "Choose a password under 1000 characters." });
  } else if (input.confirm !== undefined && input.confirm !== input.password) {
    errors.push({ field: "confirm", message: "The two passwords differ; type the same one twice." });
  }
  if (errors.length > 0) throw new ActionError("invalid", "The account could not be set up yet.", errors);
  const person = await acceptInvitation(weft.services.db, hashToken(token), {
    name,
    passwordHash: await hashPassword(input.password),
  });
  if (!person) throw new ActionError("conflict", LINK_REFUSALS.used);
  return person;
}

export async function listPeople(weft: ActionContext): Promise<PersonRow[]> {
  return await listActivePeople(weft.services.db);
}

async function activePerson(weft: ActionContext, id: string): Promise<PersonRow> {
  const person = z.uuid().safeParse(id).success ? await getPerson(weft.services.db, id) : undefined;
  if (!person || person.disabled) throw new ActionError("not_found", "No such person on this node.");
  return person;
}

/** The last owner must stay an owner: someone has to be able to manage the node. */
async function keepAnOwner(weft: ActionContext, person: PersonRow, what: string): Promise<void> {
  if (person.role === "owner" && (await countOwners(weft.services.db)) <= 1) {
    throw new ActionError(
      "conflict",
      `${person.name} is the only owner, so they cannot be ${what}; make someone else an owner first.`,
    );
  }
}

export async function changeRole(
  weft: ActionContext,
  actor: Actor,
  personId: string,
  role: string,
): Promise<PersonRow> {
  requireRole(actor, "manage");
  if (!(PERSON_ROLES as readonly string[]).includes(role)) {
    throw new ActionError("invalid", "Choose owner, member or viewer.", [
      { field: "role", message: "must be owner, member or viewer" },
    ]);
  }
  const person = await activePerson(weft, personId);
  if (person.role === role) return person;
  if (role !== "owner") await keepAnOwner(weft, person, `made a ${role}`);
  await setPersonRole(weft.services.db, person.id, role as PersonRole);
  return { ...person, role: role as PersonRole };
}

/** Removes a person: they can no longer sign in and their sessions end. */
export async function removePerson(weft: ActionContext, actor: Actor, personId: string): Promise<PersonRow> {
  requireRole(actor, "manage");
  const person = await activePerson(weft, personId);
  await keepAnOwner(weft, person, "removed");
  await disablePerson(weft.services.db, person.id);
  return person;
}
