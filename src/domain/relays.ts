// Relays: the hubs we subscribe to, and the members of our own hub.
import { and, eq, ne } from "drizzle-orm";
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

export async function addRelayMember(
  db: Database,
  member: { actorIri: string; inbox: string; sharedInbox: string | null; followIri: string },
): Promise<void> {
  await db.insert(relayMembers).values(member).onConflictDoUpdate({ target: relayMembers.actorIri, set: member });
}

export async function removeRelayMember(db: Database, actorIri: string): Promise<boolean> {
  const removed = await db.delete(relayMembers).where(eq(relayMembers.actorIri, actorIri)).returning();
  return removed.length > 0;
}

export async function relayMembersExcept(db: Database, actorIri: string): Promise<RelayMemberRow[]> {
  return await db.select().from(relayMembers).where(ne(relayMembers.actorIri, actorIri));
}

export async function isRelayMember(db: Database, actorIri: string): Promise<boolean> {
  const [row] = await db.select().from(relayMembers).where(eq(relayMembers.actorIri, actorIri));
  return row !== undefined;
}
