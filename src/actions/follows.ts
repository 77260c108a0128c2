// Use cases for relationships between co-ops: follow and unfollow another
// co-op; approve, reject or remove a co-op that follows us; and the lists of
// both, in the JSON shape the API answers with.

import { actorIri } from "../domain/actor.ts";
import {
  countRelationships,
  deleteFollower,
  deleteFollowing,
  findRemoteActor,
  getFollower,
  getFollowing,
  type Relationship,
  approveFollower as storeApproval,
  listFollowers as storedFollowers,
  listFollowing as storedFollowing,
} from "../domain/follows.ts";
import type { FollowerRow, FollowingRow, RemoteActorRow } from "../domain/records.ts";
import { inTransaction } from "../domain/unit-of-work.ts";
import { sendFollow, sendFollowAnswer, sendUnfollow } from "../federation/outbox.ts";
import { rememberActor } from "../federation/remote-actor.ts";
import { type ActionContext, federationContext } from "./context.ts";
import { ActionError } from "./errors.ts";
import { type ActorTarget, lookUpTarget, targetField } from "./lookup.ts";

export type { ActorTarget };

export interface RemoteActorJson {
  iri: string;
  handle: string | null;
  name: string | null;
  summary: string | null;
  url: string | null;
  type: string;
}

export interface RelationshipJson<State extends string> {
  id: string;
  state: State;
  actor: RemoteActorJson;
  createdAt: string;
  updatedAt: string;
}

export type FollowingJson = RelationshipJson<FollowingRow["state"]>;
export type FollowerJson = RelationshipJson<FollowerRow["state"]>;

export function remoteActorJson(row: RemoteActorRow): RemoteActorJson {
  return { iri: row.iri, handle: row.handle, name: row.name, summary: row.summary, url: row.url, type: row.type };
}

function relationshipJson<Row extends FollowingRow | FollowerRow>({
  relationship,
  actor,
}: Relationship<Row>): RelationshipJson<Row["state"]> {
  return {
    id: relationship.id,
    state: relationship.state as Row["state"],
    actor: remoteActorJson(actor),
    createdAt: relationship.createdAt.toISOString(),
    updatedAt: relationship.updatedAt.toISOString(),
  };
}

/** Co-ops this co-op follows, with the state of each follow, newest first. */
export async function listFollowing(weft: ActionContext): Promise<FollowingJson[]> {
  return (await storedFollowing(weft.services.db)).map(relationshipJson);
}

/** Co-ops following this co-op, newest first; pending ones wait for approval. */
export async function listFollowers(
  weft: ActionContext,
  filter: { state?: FollowerRow["state"] } = {},
): Promise<FollowerJson[]> {
  return (await storedFollowers(weft.services.db, filter)).map(relationshipJson);
}

/** Follows a co-op by handle or actor URL; the follow stays pending until it answers. */
export async function follow(weft: ActionContext, target: ActorTarget): Promise<FollowingJson> {
  const { db, config } = weft.services;
  const ctx = federationContext(weft);
  const actor = await lookUpTarget(ctx, target);
  if (actor.id?.href === actorIri(config)) {
    throw new ActionError("invalid", "A co-op cannot follow itself", [
      { field: targetField(target), message: "is this co-op" },
    ]);
  }
  const known = actor.id ? await findRemoteActor(db, actor.id.href) : undefined;
  if (known) {
    const current = (await storedFollowing(db)).find((f) => f.actor.id === known.id);
    if (current?.relationship.state === "accepted") {
      throw new ActionError("conflict", `Already following ${known.handle ?? known.iri}`, [], {
        following: current.relationship.id,
      });
    }
  }
  const row = await rememberActor(ctx, actor, "following");
  const sent = await inTransaction(weft.services, "follow", () => sendFollow(ctx, row));
  return relationshipJson({ relationship: sent, actor: row });
}

/** Sends Undo(Follow) (unless the co-op rejected us) and forgets the follow. */
export async function unfollow(weft: ActionContext, id: string): Promise<void> {
  const found = await getFollowing(weft.services.db, id);
  if (!found) throw new ActionError("not_found", "No such follow");
  await inTransaction(weft.services, "unfollow", async () => {
    if (found.relationship.state !== "rejected") {
      await sendUnfollow(federationContext(weft), found.actor, found.relationship.followIri);
    }
    await deleteFollowing(weft.services.db, found.relationship.id);
  });
}

async function findFollower(weft: ActionContext, id: string) {
  const found = await getFollower(weft.services.db, id);
  if (!found) throw new ActionError("not_found", "No such follower");
  return found;
}

/** Approves a pending follower: sends Accept(Follow). */
export async function approveFollower(weft: ActionContext, id: string): Promise<FollowerJson> {
  const found = await findFollower(weft, id);
  if (found.relationship.state !== "pending") throw new ActionError("conflict", "This follower is already accepted");
  const row = await inTransaction(weft.services, "approveFollower", async () => {
    const row = await storeApproval(weft.services.db, found.relationship.id);
    await sendFollowAnswer(federationContext(weft), found.actor, found.relationship.followIri, "accept");
    return row;
  });
  return relationshipJson({ relationship: row ?? found.relationship, actor: found.actor });
}

/** Rejects a pending follower: removes it and sends Reject(Follow). */
export async function rejectFollower(weft: ActionContext, id: string): Promise<void> {
  const found = await findFollower(weft, id);
  if (found.relationship.state !== "pending") {
    throw new ActionError(
      "conflict",
      "This follower is already accepted; remove it instead (DELETE /api/v1/followers/{id})",
    );
  }
  await inTransaction(weft.services, "rejectFollower", async () => {
    await deleteFollower(weft.services.db, found.relationship.id);
    await sendFollowAnswer(federationContext(weft), found.actor, found.relationship.followIri, "reject");
  });
}

/** Removes a follower: it stops receiving our activities and is sent Reject(Follow). */
export async function removeFollower(weft: ActionContext, id: string): Promise<void> {
  const found = await findFollower(weft, id);
  await inTransaction(weft.services, "removeFollower", async () => {
    await deleteFollower(weft.services.db, found.relationship.id);
    await sendFollowAnswer(federationContext(weft), found.actor, found.relationship.followIri, "reject");
  });
}

/** How many co-ops follow us (accepted and pending) and how many we follow. */
export async function relationshipCounts(weft: ActionContext) {
  return await countRelationships(weft.services.db);
}
