// Words shared by the partners pages, the search page and the matches page:
// a co-op's name for people, where we stand with it, and the HTTP status of
// a refusal (the same the API answers with).
import type { RefusalKind } from "../actions/errors.ts";
import type { FollowerJson, FollowingJson, RemoteActorJson } from "../actions/follows.ts";

export const FOLLOWING_STATES: Record<FollowingJson["state"], string> = {
  pending: "Waiting for their answer",
  accepted: "Following: they accepted",
  rejected: "They refused",
};

export const FOLLOWER_STATES: Record<FollowerJson["state"], string> = {
  pending: "Waiting for your answer",
  accepted: "Follows us",
};

/** The HTTP status of a refused change, as the API answers it. */
export const REFUSAL_STATUS: Record<RefusalKind, 400 | 403 | 404 | 409 | 422 | 502> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  unreachable: 502,
};

/** A co-op's name for people: its name, else its handle, else its host. */
export function partnerName(actor: Pick<RemoteActorJson, "name" | "handle" | "iri">): string {
  return actor.name?.trim() || actor.handle || new URL(actor.iri).host;
}
