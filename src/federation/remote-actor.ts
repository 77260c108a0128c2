// Turning a Fedify actor object into what we store about a remote co-op.
import { type Actor, PropertyValue } from "@fedify/vocab";
import { type RemoteActorInput, saveRemoteActor } from "../domain/follows.ts";
import type { RemoteActorRow } from "../domain/records.ts";
import { isRegionCode } from "../domain/regions.ts";
import type { WeftContext } from "./context.ts";

function plainText(html: string | null): string | null {
  return html === null
    ? null
    : html
        .replace(/<[^>]*>/g, " ")
        .replace(/\s+/g, " ")
        .trim();
}

/** The actor's "Region" profile field (how Weft actors carry it; spec/actor.md). */
async function regionOf(actor: Actor): Promise<string | null> {
  for await (const attachment of actor.getAttachments()) {
    if (!(attachment instanceof PropertyValue) || attachment.name?.toString().toLowerCase() !== "region") continue;
    const value =
      attachment.value
        ?.toString()
        .replace(/<[^>]*>/g, "")
        .trim() ?? "";
    if (isRegionCode(value)) return value;
  }
  return null;
}

async function toRemoteActorInput(actor: Actor, knownVia: string | null = null): Promise<RemoteActorInput> {
  if (!actor.id || !actor.inboxId) throw new Error("Actor has no id or inbox");
  // preferredUsername@host of the actor id: no WebFinger round trip, and
  // the host keeps its port (loopback trials, test networks).
  const username = actor.preferredUsername?.toString();
  const handle = username ? `${username}@${actor.id.host}` : null;
  return {
    iri: actor.id.href,
    type: actor.constructor.name,
    handle,
    name: actor.name?.toString() ?? null,
    summary: plainText(actor.summary?.toString() ?? null),
    url: actor.url instanceof URL ? actor.url.href : (actor.url?.href?.href ?? null),
    inbox: actor.inboxId.href,
    sharedInbox: actor.endpoints?.sharedInbox?.href ?? null,
    region: await regionOf(actor).catch(() => null),
    discoverable: actor.discoverable !== false,
    knownVia,
  };
}

/** Stores or refreshes `actor`; `knownVia` is kept from the first time we met it. */
export async function rememberActor(
  ctx: WeftContext,
  actor: Actor,
  knownVia: string | null = null,
): Promise<RemoteActorRow> {
  return await saveRemoteActor(ctx.data.db, await toRemoteActorInput(actor, knownVia));
}

/** The recipient shape Fedify's sendActivity() takes, from a stored actor. */
export function recipientOf(row: RemoteActorRow) {
  return {
    id: new URL(row.iri),
    inboxId: new URL(row.inbox),
    endpoints: row.sharedInbox ? { sharedInbox: new URL(row.sharedInbox) } : null,
  };
}
