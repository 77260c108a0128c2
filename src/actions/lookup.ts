// Finding another co-op's (or relay's) actor for a use case, with the
// lookup's failure turned into a refusal naming the field it came from.
import type { Actor } from "@fedify/vocab";
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

export async function lookUpTarget(ctx: WeftContext, target: ActorTarget): Promise<Actor> {
  try {
    return "handle" in target
      ? await lookupActorByHandle(ctx, target.handle)
      : await lookupActorByUrl(ctx, target.actor);
  } catch (error) {
    if (!(error instanceof LookupError)) throw error;
    throw new ActionError(LOOKUP_REFUSAL[error.reason], error.message, [
      { field: targetField(target), message: error.message },
    ]);
  }
}
