// Use cases for relays (regional hubs): join one, leave one, list them; and,
// when this node runs a hub, its members and an owner's answer to those
// waiting (WEFT_RELAY_ADMISSION=approval).

import type { RelayMemberRow, RelaySubscriptionRow } from "../domain/records.ts";
import {
  acceptRelayMember,
  deleteRelaySubscription,
  getRelayMember,
  getRelaySubscription,
  listRelaySubscriptions,
  removeRelayMember,
  listRelayMembers as storedMembers,
} from "../domain/relays.ts";
import { inTransaction } from "../domain/unit-of-work.ts";
import { answerRelayMember, subscribeToRelay, unsubscribeFromRelay } from "../federation/relay.ts";
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

// ------------------------------------------------------------ our own hub

export interface RelayMemberJson {
  actor: string;
  state: RelayMemberRow["state"];
  createdAt: string;
}

function memberJson(row: RelayMemberRow): RelayMemberJson {
  return { actor: row.actorIri, state: row.state, createdAt: row.createdAt.toISOString() };
}

function requireHub(weft: ActionContext): void {
  if (!weft.services.config.relay) throw new ActionError("conflict", "This node runs no hub (WEFT_RELAY is off)");
}

async function memberOf(weft: ActionContext, actor: string): Promise<RelayMemberRow> {
  requireHub(weft);
  const row = await getRelayMember(weft.services.db, actor);
  if (!row) {
    throw new ActionError("not_found", "That co-op has not asked to join this hub", [
      { field: "actor", message: "not a member and not waiting" },
    ]);
  }
  return row;
}

/** Co-ops in our hub, those waiting for an owner's approval first. */
export async function listRelayMembers(weft: ActionContext): Promise<RelayMemberJson[]> {
  if (!weft.services.config.relay) return [];
  return (await storedMembers(weft.services.db)).map(memberJson);
}

/** Admits a co-op waiting to join our hub: it gets the hub's Accept and, from then on, the forwards. */
export async function approveRelayMember(weft: ActionContext, actor: string): Promise<RelayMemberJson> {
  const row = await memberOf(weft, actor);
  if (row.state === "accepted") return memberJson(row);
  const accepted = await inTransaction(weft.services, "approveRelayMember", async () => {
    const stored = (await acceptRelayMember(weft.services.db, row.actorIri)) ?? row;
    await answerRelayMember(federationContext(weft), row, "accept");
    return stored;
  });
  return memberJson(accepted);
}

/** Turns a co-op away from our hub (waiting or already in): it gets the hub's Reject. */
export async function rejectRelayMember(weft: ActionContext, actor: string): Promise<void> {
  const row = await memberOf(weft, actor);
  await inTransaction(weft.services, "rejectRelayMember", async () => {
    await removeRelayMember(weft.services.db, row.actorIri);
    await answerRelayMember(federationContext(weft), row, "reject");
  });
}
