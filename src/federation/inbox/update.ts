// Update: a partner edited its profile (actor) or one of its listings.
import type { InboxContext } from "@fedify/fedify";
import { isActor, Proposal, type Update } from "@fedify/vocab";
import { findRemoteActor } from "../../domain/follows.ts";
import { logger } from "../../logging.ts";
import type { NodeServices } from "../context.ts";
import { rememberActor } from "../remote-actor.ts";
import { onListingUpdate } from "./listing.ts";

const log = logger("federation", "inbox", "update");

export async function onUpdate(ctx: InboxContext<NodeServices>, update: Update): Promise<void> {
  const object = await update.getObject({
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
    suppressError: true,
  });
  if (object instanceof Proposal) return await onListingUpdate(ctx, update);
  if (!isActor(object)) {
    log.debug("Ignoring Update of {type}", { type: object?.constructor.name });
    return;
  }
  // An actor may only update itself.
  if (object.id === null || update.actorId?.href !== object.id.href) {
    log.warning("Ignoring Update of actor {object} sent by {actor}", {
      object: object.id?.href,
      actor: update.actorId?.href,
    });
    return;
  }
  // Only refresh co-ops we already know; strangers are not stored.
  if (!(await findRemoteActor(ctx.data.db, object.id.href))) return;
  await rememberActor(ctx, object);
  log.info("Refreshed the profile of {actor}", { actor: object.id.href });
}
