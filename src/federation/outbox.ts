// Activities this node sends on behalf of its co-op.

import { randomUUID } from "node:crypto";
import { Accept, Follow, PUBLIC_COLLECTION, Reject, Undo, Update } from "@fedify/vocab";
import { recordFollowSent } from "../domain/follows.ts";
import { recordSentActivity } from "../domain/outbox.ts";
import { getProfile } from "../domain/profile.ts";
import type { RemoteActorRow } from "../domain/records.ts";
import { afterStore } from "../domain/unit-of-work.ts";
import { buildActor } from "./actor.ts";
import type { WeftContext } from "./context.ts";
import { recipientOf } from "./remote-actor.ts";

function me(ctx: WeftContext) {
  return { identifier: ctx.data.config.handle };
}

/** A fresh IRI for an activity we send; under /activities/ on our origin. */
function activityIri(ctx: WeftContext): URL {
  return new URL(`/activities/${randomUUID()}`, ctx.origin);
}

export async function sendFollow(ctx: WeftContext, target: RemoteActorRow) {
  const follow = new Follow({
    id: activityIri(ctx),
    actor: ctx.getActorUri(ctx.data.config.handle),
    object: new URL(target.iri),
  });
  const row = await recordFollowSent(ctx.data.db, target.id, (follow.id as URL).href);
  afterStore(ctx.data.config, "follow");
  await ctx.sendActivity(me(ctx), recipientOf(target), follow, { orderingKey: target.iri });
  return row;
}

export async function sendUnfollow(ctx: WeftContext, target: RemoteActorRow, followIri: string): Promise<void> {
  const actor = ctx.getActorUri(ctx.data.config.handle);
  const undo = new Undo({
    id: activityIri(ctx),
    actor,
    object: new Follow({ id: new URL(followIri), actor, object: new URL(target.iri) }),
  });
  await ctx.sendActivity(me(ctx), recipientOf(target), undo, { orderingKey: target.iri });
}

/** Accept or Reject a follower's Follow (also used to remove a follower). */
export async function sendFollowAnswer(
  ctx: WeftContext,
  follower: RemoteActorRow,
  followIri: string,
  answer: "accept" | "reject",
): Promise<void> {
  const actor = ctx.getActorUri(ctx.data.config.handle);
  const follow = new Follow({ id: new URL(followIri), actor: new URL(follower.iri), object: actor });
  const Answer = answer === "accept" ? Accept : Reject;
  const activity = new Answer({ id: activityIri(ctx), actor, object: follow });
  await ctx.sendActivity(me(ctx), recipientOf(follower), activity, { orderingKey: follower.iri });
}

/**
 * Tells followers that the co-op's actor changed (its profile, or its keys),
 * and `others` too: after a key rotation, the co-ops we follow or trade with.
 */
export async function sendProfileUpdate(ctx: WeftContext, others: RemoteActorRow[] = []): Promise<void> {
  const actor = await buildActor(ctx, await getProfile(ctx.data.db, ctx.data.config));
  const update = new Update({
    id: activityIri(ctx),
    actor: actor.id,
    object: actor,
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(ctx.data.config.handle),
    published: Temporal.Now.instant(),
  });
  await recordSentActivity(ctx.data.db, {
    iri: (update.id as URL).href,
    type: "Update",
    audience: "public",
    activity: (await update.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<
      string,
      unknown
    >,
  });
  await ctx.sendActivity(me(ctx), "followers", update, { preferSharedInbox: true });
  if (others.length > 0) await ctx.sendActivity(me(ctx), others.map(recipientOf), update, { preferSharedInbox: true });
}
