// Accept(Follow) and Reject(Follow): answers to the Follows we sent.
import type { InboxContext } from "@fedify/fedify";
import type { Accept, Reject } from "@fedify/vocab";
import { recordFollowAnswer } from "../../domain/follows.ts";
import { answerRelaySubscription } from "../../domain/relays.ts";
import { logger } from "../../logging.ts";
import { backfillListings } from "../backfill.ts";
import type { NodeServices } from "../context.ts";

const log = logger("federation", "inbox", "follow");

async function onAnswer(
  ctx: InboxContext<NodeServices>,
  answer: Accept | Reject,
  state: "accepted" | "rejected",
): Promise<void> {
  if (answer.actorId === null) return;
  // Do not dereference the object: it is our own Follow, which we know by
  // id. Servers either embed it or name it by id; both give objectId.
  const followIri = answer.objectId?.href ?? null;
  if (followIri !== null && !followIri.startsWith(`${ctx.origin}/`)) {
    log.debug("Ignoring {type} of {object}, which is not ours", { type: answer.constructor.name, object: followIri });
    return;
  }
  // A relay answering our subscription.
  if (await answerRelaySubscription(ctx.data.db, answer.actorId.href, state)) {
    log.info("Relay {actor} {state} our subscription", { actor: answer.actorId.href, state });
    return;
  }
  const updated = await recordFollowAnswer(ctx.data.db, answer.actorId.href, followIri, state);
  if (!updated) {
    // Unknown, or a repeated answer that changes nothing (no second backfill).
    log.info("{type} from {actor} changes no follow of ours", {
      type: answer.constructor.name,
      actor: answer.actorId.href,
    });
    return;
  }
  log.info("{actor} {state} our follow", { actor: answer.actorId.href, state });
  if (state === "accepted") {
    // A failed backfill must not undo the follow; new listings still arrive.
    await backfillListings(ctx, answer.actorId.href).catch((error) =>
      log.warning("Could not backfill the listings of {actor}: {error}", { actor: answer.actorId?.href, error }),
    );
  }
}

export const onAccept = (ctx: InboxContext<NodeServices>, accept: Accept) => onAnswer(ctx, accept, "accepted");
export const onReject = (ctx: InboxContext<NodeServices>, reject: Reject) => onAnswer(ctx, reject, "rejected");
