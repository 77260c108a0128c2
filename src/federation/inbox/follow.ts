// Incoming Follow and Undo(Follow): co-ops following us.
import type { InboxContext } from "@fedify/fedify";
import { Follow, isActor, type Undo } from "@fedify/vocab";
import { deleteFollowerByActor, recordFollowReceived } from "../../domain/follows.ts";
import { inTransaction } from "../../domain/unit-of-work.ts";
import { logger } from "../../logging.ts";
import type { NodeServices } from "../context.ts";
import { sendFollowAnswer } from "../outbox.ts";
import { relayOnFollow, relayOnUndo } from "../relay.ts";
import { rememberActor } from "../remote-actor.ts";

const log = logger("federation", "inbox", "follow");

export async function onFollow(ctx: InboxContext<NodeServices>, follow: Follow): Promise<void> {
  if (await relayOnFollow(ctx, follow)) return;
  const me = ctx.getActorUri(ctx.data.config.handle);
  if (follow.id === null || follow.objectId?.href !== me.href) {
    log.info("Ignoring a Follow of {object}, which is not this co-op", { object: follow.objectId?.href });
    return;
  }
  const actor = await follow.getActor(ctx);
  if (!isActor(actor) || actor.id === null) {
    log.warning("Rejecting Follow {id}: its actor could not be fetched", { id: follow.id.href });
    return;
  }
  const remote = await rememberActor(ctx, actor, "follower");
  const state = ctx.data.config.followApproval === "auto" ? "accepted" : "pending";
  const followIri = follow.id.href;
  const follower = await inTransaction(ctx.data, "followed", async () => {
    const follower = await recordFollowReceived(ctx.data.db, remote.id, followIri, state);
    if (follower.state === "accepted") await sendFollowAnswer(ctx, remote, followIri, "accept");
    return follower;
  });
  if (follower.state === "accepted") {
    log.info("{actor} now follows us", { actor: remote.iri });
  } else {
    log.info("{actor} asked to follow us; waiting for approval", { actor: remote.iri });
  }
}

export async function onUndo(ctx: InboxContext<NodeServices>, undo: Undo): Promise<void> {
  if (await relayOnUndo(ctx, undo)) return;
  const object = await undo.getObject({
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
    suppressError: true,
  });
  if (!(object instanceof Follow)) {
    log.debug("Ignoring Undo of {type}", { type: object?.constructor.name });
    return;
  }
  const follow = object;
  // Only the follower may undo its own Follow.
  if (undo.actorId === null || follow.actorId?.href !== undo.actorId.href) {
    log.warning("Ignoring Undo(Follow) by {actor} for somebody else's Follow", { actor: undo.actorId?.href });
    return;
  }
  if (await deleteFollowerByActor(ctx.data.db, undo.actorId.href)) {
    log.info("{actor} unfollowed us", { actor: undo.actorId.href });
  }
}
