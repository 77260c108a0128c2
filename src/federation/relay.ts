// Regional hubs, both sides of the Mastodon/LitePub relay handshake.
//
// As a member: we Follow a relay actor with object = the Public collection;
// once it Accepts, our public listing activities also go to the relay, and
// public listings the relay forwards to us are stored (source "relay").
//
// As a relay (WEFT_RELAY=on): the actor relay@host accepts such Follows and
// forwards each member's public Create/Update/Delete, unchanged and with
// the author's integrity proof, to every other member. Anything not public
// is never forwarded.

import { randomUUID } from "node:crypto";
import type { InboxContext } from "@fedify/fedify";
import {
  Accept,
  type Activity,
  Application,
  Endpoints,
  Follow,
  isActor,
  PUBLIC_COLLECTION,
  Reject,
  Undo,
} from "@fedify/vocab";
import { RELAY_HANDLE } from "../config.ts";
import { isPublic, isPublicAudience } from "../domain/audience.ts";
import { isAllowedDomain } from "../domain/domain-rules.ts";
import {
  addRelayMember,
  isRelayMember,
  relayMembersExcept,
  removeRelayMember,
  saveRelaySubscription,
} from "../domain/relays.ts";
import { inTransaction } from "../domain/unit-of-work.ts";
import { logger } from "../logging.ts";
import type { NodeServices, WeftContext } from "./context.ts";

const log = logger("federation", "relay");

export async function buildRelayActor(ctx: WeftContext): Promise<Application> {
  const keys = await ctx.getActorKeyPairs(RELAY_HANDLE);
  return new Application({
    id: ctx.getActorUri(RELAY_HANDLE),
    preferredUsername: RELAY_HANDLE,
    name: `Weft relay at ${new URL(ctx.origin).host}`,
    summary: "<p>A Weft regional hub: public listings of its members are forwarded to all other members.</p>",
    inbox: ctx.getInboxUri(RELAY_HANDLE),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    publicKey: keys[0]?.cryptographicKey,
    assertionMethods: keys.map((k) => k.multikey),
    discoverable: true,
  });
}

function isPublicActivity(activity: Activity): boolean {
  return isPublicAudience([...activity.toIds, ...activity.ccIds].map((u) => u.href));
}

/** A Follow of our relay (object Public or the relay actor). Returns true when handled. */
export async function relayOnFollow(ctx: InboxContext<NodeServices>, follow: Follow): Promise<boolean> {
  if (!ctx.data.config.relay || !follow.id) return false;
  const relayIri = ctx.getActorUri(RELAY_HANDLE).href;
  const object = follow.objectId?.href;
  if (!isPublic(object ?? "") && object !== relayIri) return false;
  const actor = await follow.getActor(ctx);
  if (!isActor(actor) || !actor.id || !actor.inboxId) return true;
  const member = {
    actorIri: actor.id.href,
    inbox: actor.inboxId.href,
    sharedInbox: actor.endpoints?.sharedInbox?.href ?? null,
    followIri: follow.id.href,
  };
  // Admission (WEFT_RELAY_ADMISSION): everyone, an owner's approval, or allowed servers only.
  const admission = ctx.data.config.relayAdmission;
  if (admission === "allowlist" && !(await isAllowedDomain(ctx.data.db, actor.id))) {
    await answerRelayMember(ctx, member, "reject");
    log.info("Turned {actor} away from the relay: its server is not on the allow list", { actor: actor.id.href });
    return true;
  }
  // The member and the Accept it gets commit together.
  const row = await inTransaction(ctx.data, "relayMember", async () => {
    const added = await addRelayMember(ctx.data.db, member, admission === "approval" ? "pending" : "accepted");
    if (added.state === "accepted") await answerRelayMember(ctx, member, "accept");
    return added;
  });
  if (row.state === "pending") {
    log.info("{actor} asked to join the relay; waiting for an owner's approval", { actor: actor.id.href });
    return true;
  }
  log.info("{actor} joined the relay", { actor: actor.id.href });
  return true;
}

/** Sends the relay's Accept or Reject of a co-op's Follow (the Follow named by its id). */
export async function answerRelayMember(
  ctx: WeftContext,
  member: { actorIri: string; inbox: string; followIri: string },
  answer: "accept" | "reject",
): Promise<void> {
  const relayIri = ctx.getActorUri(RELAY_HANDLE);
  const follow = new Follow({
    id: new URL(member.followIri),
    actor: new URL(member.actorIri),
    object: PUBLIC_COLLECTION,
  });
  const values = { id: new URL(`/activities/${randomUUID()}`, ctx.origin), actor: relayIri, object: follow };
  await ctx.sendActivity(
    { identifier: RELAY_HANDLE },
    { id: new URL(member.actorIri), inboxId: new URL(member.inbox), endpoints: null },
    answer === "accept" ? new Accept(values) : new Reject(values),
  );
}

export async function relayOnUndo(ctx: InboxContext<NodeServices>, undo: Undo): Promise<boolean> {
  if (!ctx.data.config.relay || !undo.actorId) return false;
  const follow = await undo.getObject({
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
    suppressError: true,
  });
  if (!(follow instanceof Follow)) return false;
  const object = follow.objectId?.href;
  if (!isPublic(object ?? "") && object !== ctx.getActorUri(RELAY_HANDLE).href) return false;
  if (await removeRelayMember(ctx.data.db, undo.actorId.href))
    log.info("{actor} left the relay", { actor: undo.actorId.href });
  return true;
}

/** Forwards a member's public activity to the other members (when we are a relay). */
export async function relayForward(ctx: InboxContext<NodeServices>, activity: Activity): Promise<void> {
  if (!ctx.data.config.relay || !activity.actorId || !isPublicActivity(activity)) return;
  if (!(await isRelayMember(ctx.data.db, activity.actorId.href))) return;
  const others = await relayMembersExcept(ctx.data.db, activity.actorId.href);
  if (others.length === 0) return;
  await ctx.forwardActivity(
    { identifier: RELAY_HANDLE },
    others.map((m) => ({
      id: new URL(m.actorIri),
      inboxId: new URL(m.inbox),
      endpoints: m.sharedInbox ? { sharedInbox: new URL(m.sharedInbox) } : null,
    })),
    // Only activities that carry the author's own signature or proof: the
    // members must be able to check them without trusting the relay.
    { skipIfUnsigned: true, preferSharedInbox: true },
  );
  log.debug("Forwarded {id} from {actor} to {count} members", {
    id: activity.id?.href,
    actor: activity.actorId.href,
    count: others.length,
  });
}

/** Subscribes this node to a relay: Follow with object Public. */
export async function subscribeToRelay(ctx: WeftContext, relay: { id: URL; inboxId: URL; sharedInbox: URL | null }) {
  const follow = new Follow({
    id: new URL(`/activities/${randomUUID()}`, ctx.origin),
    actor: ctx.getActorUri(ctx.data.config.handle),
    object: PUBLIC_COLLECTION,
  });
  const row = await saveRelaySubscription(
    ctx.data.db,
    { actorIri: relay.id.href, inbox: relay.inboxId.href, sharedInbox: relay.sharedInbox?.href ?? null },
    (follow.id as URL).href,
  );
  await ctx.sendActivity(
    { identifier: ctx.data.config.handle },
    { id: relay.id, inboxId: relay.inboxId, endpoints: null },
    follow,
  );
  return row;
}

export async function unsubscribeFromRelay(
  ctx: WeftContext,
  relay: { actorIri: string; inbox: string; followIri: string },
) {
  const actor = ctx.getActorUri(ctx.data.config.handle);
  const undo = new Undo({
    id: new URL(`/activities/${randomUUID()}`, ctx.origin),
    actor,
    object: new Follow({ id: new URL(relay.followIri), actor, object: PUBLIC_COLLECTION }),
  });
  await ctx.sendActivity(
    { identifier: ctx.data.config.handle },
    { id: new URL(relay.actorIri), inboxId: new URL(relay.inbox), endpoints: null },
    undo,
  );
}
