// Finding another co-op's (or relay's) actor for a use case, with the
// lookup's failure turned into a refusal naming the field it came from.
import type { Actor } from "@fedify/vocab";
import { refusalOf } from "../domain/domain-rules.ts";
import type { WeftContext } from "../federation/context.ts";
import { LookupError, lookupActorByHandle, lookupActorByUrl } from "../federation/lookup.ts";
import { ActionError, type RefusalKind } from "./errors.ts";

/** Whom to reach: a handle (`coop@host`) or an actor URL. */
export type ActorTarget = { handle: string } | { actor: string };

const LOOKUP_REFUSAL: Record<LookupError["reason"], RefusalKind> = {
  invalid: "invalid",
  not_found: "not_found",
  not_an_actor: "unprocessable",
  refused: "unprocessable",
  unreachable: "unreachable",
};

export function targetField(target: ActorTarget): "handle" | "actor" {
  return "handle" in target ? "handle" : "actor";
}

/** The words for a server this node does not talk to, or nothing when it may. */
export async function serverRefusal(ctx: WeftContext, address: string): Promise<string | null> {
  const refusal = await refusalOf(ctx.data.db, ctx.data.config.federation, address);
  if (!refusal) return null;
  const host = new URL(address).host;
  return refusal === "blocked"
    ? `${host} is blocked on this node; unblock it first`
    : `${host} is not on this node's allow list; allow it first`;
}

/** Refuses, naming the field, when the address is on a server this node does not talk to. */
async function refuseServer(ctx: WeftContext, address: string, field: string): Promise<void> {
  const refusal = await serverRefusal(ctx, address);
  if (refusal) throw new ActionError("unprocessable", refusal, [{ field, message: refusal }]);
}

/** The server a handle or URL names, asked before any request leaves for it. */
function serverOf(target: ActorTarget): string | null {
  const text = "handle" in target ? `https://${target.handle.replace(/^@?[^@]*@/, "")}` : target.actor;
  return URL.canParse(text) ? text : null;
}

export async function lookUpTarget(ctx: WeftContext, target: ActorTarget): Promise<Actor> {
  const server = serverOf(target);
  if (server) await refuseServer(ctx, server, targetField(target));
  try {
    const actor =
      "handle" in target ? await lookupActorByHandle(ctx, target.handle) : await lookupActorByUrl(ctx, target.actor);
    // The actor may live on another server than the handle's.
    if (actor.id) await refuseServer(ctx, actor.id.href, targetField(target));
    return actor;
  } catch (error) {
    if (!(error instanceof LookupError)) throw error;
    throw new ActionError(LOOKUP_REFUSAL[error.reason], error.message, [
      { field: targetField(target), message: error.message },
    ]);
  }
}
