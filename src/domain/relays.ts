// Relays: the hubs we subscribe to, and the members of our own hub.
import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { type RelayMemberRow, type RelaySubscriptionRow, relayMembers, relaySubscriptions } from "../db/schema.ts";

export async function saveRelaySubscription(
  db: Database,
  relay: { actorIri: string; inbox: string; sharedInbox: string | null },
  followIri: string,
): Promise<RelaySubscriptionRow> {
  const set = { ...relay, followIri, state: "pending" as const, updatedAt: new Date() };
  const [row] = await db
    .insert(relaySubscriptions)
    .values(set)
    .onConflictDoUpdate({ target: relaySubscriptions.actorIri, set })
    .returning();
  return row as RelaySubscriptionRow;
}

/** Applies the relay's Accept or Reject; undefined when it is not a relay of ours. */
export async function answerRelaySubscription(
  db: Database,
  actorIri: string,
  state: "accepted" | "rejected",
): Promise<RelaySubscriptionRow | undefined> {
  const [row] = await db
    .update(relaySubscriptions)
    .set({ state, updatedAt: new Date() })
    .where(and(eq(relaySubscriptions.actorIri, actorIri), ne(relaySubscriptions.state, state)))
    .returning();
  return row;
}

export async function listRelaySubscriptions(db: Database): Promise<RelaySubscriptionRow[]> {
  return await db.select().from(relaySubscriptions).orderBy(relaySubscriptions.createdAt);
}

export async function acceptedRelays(db: Database): Promise<RelaySubscriptionRow[]> {
  return await db.select().from(relaySubscriptions).where(eq(relaySubscriptions.state, "accepted"));
}

export async function getRelaySubscription(db: Database, id: string): Promise<RelaySubscriptionRow | undefined> {
  const [row] = await db.select().from(relaySubscriptions).where(eq(relaySubscriptions.id, id));
  return row;
}

export async function deleteRelaySubscription(db: Database, id: string): Promise<void> {
  await db.delete(relaySubscriptions).where(eq(relaySubscriptions.id, id));
}

// ------------------------------------------------------------ our own relay

/**
 * Records a co-op's Follow of our hub, `pending` or `accepted` as the
 * admission policy says; a member already accepted stays accepted.
 */
export async function addRelayMember(
  db: Database,
  member: { actorIri: string; inbox: string; sharedInbox: string | null; followIri: string },
  state: RelayMemberRow["state"],
): Promise<RelayMemberRow> {
  const [row] = await db
    .insert(relayMembers)
    .values({ ...member, state })
    .onConflictDoUpdate({
      target: relayMembers.actorIri,
      set: { ...member, state: sql`case when ${relayMembers.state} = 'accepted' then 'accepted' else ${state} end` },
    })
    .returning();
  return row as RelayMemberRow;
}

export async function listRelayMembers(db: Database): Promise<RelayMemberRow[]> {
  return await db.select().from(relayMembers).orderBy(desc(relayMembers.state), relayMembers.createdAt);
}

export async function getRelayMember(db: Database, actorIri: string): Promise<RelayMemberRow | undefined> {
  const [row] = await db.select().from(relayMembers).where(eq(relayMembers.actorIri, actorIri));
  return row;
}

export async function acceptRelayMember(db: Database, actorIri: string): Promise<RelayMemberRow | undefined> {
  const [row] = await db
    .update(relayMembers)
    .set({ state: "accepted" })
    .where(eq(relayMembers.actorIri, actorIri))
    .returning();
  return row;
}

export async function removeRelayMember(db: Database, actorIri: string): Promise<boolean> {
  const removed = await db.delete(relayMembers).where(eq(relayMembers.actorIri, actorIri)).returning();
  return removed.length > 0;
}

/** The accepted members but one: those a member's activity is forwarded to. */
export async function relayMembersExcept(db: Database, actorIri: string): Promise<RelayMemberRow[]> {
  return await db
    .select()
    .from(relayMembers)
    .where(and(ne(relayMembers.actorIri, actorIri), eq(relayMembers.state, "accepted")));
}

/** Whether the actor is an accepted member (one waiting for approval is not yet). */
export async function isRelayMember(db: Database, actorIri: string): Promise<boolean> {
  const [row] = await db
    .select()
    .from(relayMembers)
    .where(and(eq(relayMembers.actorIri, actorIri), eq(relayMembers.state, "accepted")));
  return row !== undefined;
}
