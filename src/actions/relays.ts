// Use cases for relays (regional hubs): join one, leave one, list them.

import type { RelaySubscriptionRow } from "../domain/records.ts";
import { deleteRelaySubscription, getRelaySubscription, listRelaySubscriptions } from "../domain/relays.ts";
import { inTransaction } from "../domain/unit-of-work.ts";
import { subscribeToRelay, unsubscribeFromRelay } from "../federation/relay.ts";
import { type ActionContext, federationContext } from "./context.ts";
import { ActionError } from "./errors.ts";
import { type ActorTarget, lookUpTarget } from "./lookup.ts";

export interface RelayJson {
  id: string;
  actor: string;
  state: RelaySubscriptionRow["state"];
  createdAt: string;
}

function relayJson(row: RelaySubscriptionRow): RelayJson {
  return { id: row.id, actor: row.actorIri, state: row.state, createdAt: row.createdAt.toISOString() };
}

/** Subscribes to a relay: Follow of its actor with the Public collection; pending until it accepts. */
export async function joinRelay(weft: ActionContext, target: ActorTarget): Promise<RelayJson> {
  const ctx = federationContext(weft);
  const actor = await lookUpTarget(ctx, target);
  if (!actor.id || !actor.inboxId) throw new ActionError("unprocessable", "The relay has no inbox");
  const relay = { id: actor.id, inboxId: actor.inboxId, sharedInbox: actor.endpoints?.sharedInbox ?? null };
  const row = await inTransaction(weft.services, "joinRelay", () => subscribeToRelay(ctx, relay));
  return relayJson(row);
}

/** Leaves a relay: sends Undo(Follow) and forgets the subscription. */
export async function leaveRelay(weft: ActionContext, id: string): Promise<void> {
  const row = await getRelaySubscription(weft.services.db, id);
  if (!row) throw new ActionError("not_found", "No such relay");
  await inTransaction(weft.services, "leaveRelay", async () => {
    await unsubscribeFromRelay(federationContext(weft), row);
    await deleteRelaySubscription(weft.services.db, row.id);
  });
}

/** Relays this co-op subscribes to. */
export async function listRelays(weft: ActionContext): Promise<RelayJson[]> {
  return (await listRelaySubscriptions(weft.services.db)).map(relayJson);
}
