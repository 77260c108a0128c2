// Follow relationships between our co-op and remote co-ops, both ways.
// Pure storage and rules: federation/ sends the activities, api/ exposes them.
import { and, asc, count, desc, eq, gt, inArray, ne, type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import {
  type FollowerRow,
  type FollowingRow,
  followers,
  following,
  type RemoteActorRow,
  remoteActors,
} from "../db/schema.ts";

export interface RemoteActorInput {
  iri: string;
  type: string;
  handle: string | null;
  name: string | null;
  summary: string | null;
  url: string | null;
  inbox: string;
  sharedInbox: string | null;
  region?: string | null;
  discoverable?: boolean;
  knownVia?: string | null;
}

/** Inserts or refreshes what we know of a remote actor; returns its row. */
export async function saveRemoteActor(db: Database, input: RemoteActorInput): Promise<RemoteActorRow> {
  const { knownVia, ...profile } = input;
  const set = { ...profile, fetchedAt: new Date() };
  const [row] = await db
    .insert(remoteActors)
    .values({ ...set, knownVia: knownVia ?? null })
    // How we first met an actor stays; a later way of meeting it does not overwrite it.
    .onConflictDoUpdate({
      target: remoteActors.iri,
      set: { ...set, knownVia: sql`coalesce(${remoteActors.knownVia}, ${knownVia ?? null})` },
    })
    .returning();
  return row as RemoteActorRow;
}

export async function findRemoteActor(db: Database, iri: string): Promise<RemoteActorRow | undefined> {
  const [row] = await db.select().from(remoteActors).where(eq(remoteActors.iri, iri));
  return row;
}

/** The stored actors among `iris` (unknown ones are left out). */
export async function findRemoteActors(db: Database, iris: string[]): Promise<RemoteActorRow[]> {
  if (iris.length === 0) return [];
  return await db.select().from(remoteActors).where(inArray(remoteActors.iri, iris));
}

export interface Relationship<Row> {
  relationship: Row;
  actor: RemoteActorRow;
}

// ---------------------------------------------------------------- following

/**
 * Records that we sent `followIri` to `actorId`. Following again (after a
 * rejection or to retry) replaces the earlier attempt.
 */
export async function recordFollowSent(db: Database, actorId: string, followIri: string): Promise<FollowingRow> {
  const [row] = await db
    .insert(following)
    .values({ actorId, followIri, state: "pending" })
    .onConflictDoUpdate({
      target: following.actorId,
      set: { followIri, state: "pending", updatedAt: new Date() },
    })
    .returning();
  return row as FollowingRow;
}

/**
 * Applies an Accept or Reject from `actorIri`. `followIri` is the Follow it
 * answers when the remote side names it; some servers only name the actor.
 * Returns the updated relationship, or undefined when there was none.
 */
export async function recordFollowAnswer(
  db: Database,
  actorIri: string,
  followIri: string | null,
  state: "accepted" | "rejected",
): Promise<FollowingRow | undefined> {
  const actor = await findRemoteActor(db, actorIri);
  if (!actor) return undefined;
  // Only a change of state counts: a repeated Accept is not a new acceptance.
  const conditions: SQL[] = [eq(following.actorId, actor.id), ne(following.state, state)];
  if (followIri) conditions.push(eq(following.followIri, followIri));
  const [row] = await db
    .update(following)
    .set({ state, updatedAt: new Date() })
    .where(and(...conditions))
    .returning();
  return row;
}

export async function getFollowing(db: Database, id: string): Promise<Relationship<FollowingRow> | undefined> {
  const [row] = await db
    .select()
    .from(following)
    .innerJoin(remoteActors, eq(following.actorId, remoteActors.id))
    .where(eq(following.id, id));
  return row && { relationship: row.following, actor: row.remote_actors };
}

export async function listFollowing(db: Database): Promise<Relationship<FollowingRow>[]> {
  const rows = await db
    .select()
    .from(following)
    .innerJoin(remoteActors, eq(following.actorId, remoteActors.id))
    .orderBy(desc(following.createdAt));
  return rows.map((r) => ({ relationship: r.following, actor: r.remote_actors }));
}

export async function deleteFollowing(db: Database, id: string): Promise<void> {
  await db.delete(following).where(eq(following.id, id));
}

// ---------------------------------------------------------------- followers

/**
 * Records an incoming Follow. A repeated Follow from the same actor (they
 * lost our Accept, or re-followed) keeps an accepted follower accepted.
 */
export async function recordFollowReceived(
  db: Database,
  actorId: string,
  followIri: string,
  state: "pending" | "accepted",
): Promise<FollowerRow> {
  return await db.transaction(async (tx) => {
    const [existing] = await tx.select().from(followers).where(eq(followers.actorId, actorId)).for("update");
    const nextState = existing?.state === "accepted" ? "accepted" : state;
    const [row] = await tx
      .insert(followers)
      .values({ actorId, followIri, state: nextState })
      .onConflictDoUpdate({
        target: followers.actorId,
        set: { followIri, state: nextState, updatedAt: new Date() },
      })
      .returning();
    return row as FollowerRow;
  });
}

export async function getFollower(db: Database, id: string): Promise<Relationship<FollowerRow> | undefined> {
  const [row] = await db
    .select()
    .from(followers)
    .innerJoin(remoteActors, eq(followers.actorId, remoteActors.id))
    .where(eq(followers.id, id));
  return row && { relationship: row.followers, actor: row.remote_actors };
}

export async function listFollowers(
  db: Database,
  filter: { state?: FollowerRow["state"] } = {},
): Promise<Relationship<FollowerRow>[]> {
  const rows = await db
    .select()
    .from(followers)
    .innerJoin(remoteActors, eq(followers.actorId, remoteActors.id))
    .where(filter.state ? eq(followers.state, filter.state) : undefined)
    .orderBy(desc(followers.createdAt));
  return rows.map((r) => ({ relationship: r.followers, actor: r.remote_actors }));
}

export async function approveFollower(db: Database, id: string): Promise<FollowerRow | undefined> {
  const [row] = await db
    .update(followers)
    .set({ state: "accepted", updatedAt: new Date() })
    .where(eq(followers.id, id))
    .returning();
  return row;
}

export async function deleteFollower(db: Database, id: string): Promise<void> {
  await db.delete(followers).where(eq(followers.id, id));
}

/** Removes the follower relationship of `actorIri` (their Undo(Follow)). */
export async function deleteFollowerByActor(db: Database, actorIri: string): Promise<boolean> {
  const actor = await findRemoteActor(db, actorIri);
  if (!actor) return false;
  const removed = await db.delete(followers).where(eq(followers.actorId, actor.id)).returning({ id: followers.id });
  return removed.length > 0;
}

/** A page of accepted followers for the followers collection, oldest first. */
export async function acceptedFollowersPage(
  db: Database,
  afterId: string | null,
  limit: number,
): Promise<{ items: RemoteActorRow[]; next: string | null }> {
  const rows = await db
    .select()
    .from(followers)
    .innerJoin(remoteActors, eq(followers.actorId, remoteActors.id))
    .where(and(eq(followers.state, "accepted"), afterId ? gt(followers.id, afterId) : undefined))
    .orderBy(asc(followers.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => r.remote_actors),
    next: rows.length > limit ? (page.at(-1)?.followers.id ?? null) : null,
  };
}

export async function countFollowers(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(followers).where(eq(followers.state, "accepted"));
  return Number(row?.n ?? 0);
}

/** Accepted and pending followers, and accepted follows, for the node's overview. */
export async function countRelationships(
  db: Database,
): Promise<{ followers: number; pendingFollowers: number; following: number }> {
  const countOf = async (table: typeof followers | typeof following, state: "accepted" | "pending") => {
    const [row] = await db.select({ n: count() }).from(table).where(eq(table.state, state));
    return Number(row?.n ?? 0);
  };
  return {
    followers: await countOf(followers, "accepted"),
    pendingFollowers: await countOf(followers, "pending"),
    following: await countOf(following, "accepted"),
  };
}

export async function acceptedFollowing(db: Database): Promise<RemoteActorRow[]> {
  const rows = await db
    .select()
    .from(following)
    .innerJoin(remoteActors, eq(following.actorId, remoteActors.id))
    .where(eq(following.state, "accepted"))
    .orderBy(asc(following.createdAt));
  return rows.map((r) => r.remote_actors);
}

export async function isAcceptedFollower(db: Database, actorIri: string): Promise<boolean> {
  const [row] = await db
    .select({ id: followers.id })
    .from(followers)
    .innerJoin(remoteActors, eq(followers.actorId, remoteActors.id))
    .where(and(eq(remoteActors.iri, actorIri), eq(followers.state, "accepted")));
  return row !== undefined;
}

export async function isFollowing(db: Database, actorIri: string): Promise<boolean> {
  const [row] = await db
    .select({ id: following.id })
    .from(following)
    .innerJoin(remoteActors, eq(following.actorId, remoteActors.id))
    .where(and(eq(remoteActors.iri, actorIri), eq(following.state, "accepted")));
  return row !== undefined;
}
