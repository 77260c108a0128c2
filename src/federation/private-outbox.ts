// Private activities (the events of an order, addressed to one co-op) go out
// with an FEP-8b32 proof and an HTTP signature, but no Linked Data signature.
//
// Fedify's Context.sendActivity() adds an RSA Linked Data signature whenever
// the sender has an RSA key, which it needs for HTTP signatures; there is no
// option to leave it out. That signature exists so that third parties can
// forward public activities. An order event is never forwarded, and making
// and checking it (JSON-LD canonicalisation) was most of an order's CPU: the
// receiving Fedify checks a Linked Data signature before the proof.
//
// Fedify's documented way to deliver a payload that is already signed, as it
// is, is OutboxContext.forwardActivity(): the payload keeps its proof, Fedify
// adds the HTTP signature and delivers it through its outbox queue like any
// other activity (retries, circuit breaker, ordering key, double knocking).
// So the node posts the signed activity to its own actor's outbox, in
// process, and the outbox listener forwards it. Only the node itself may post
// there: its requests carry a secret made at start, anything else gets 401.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createProof, type Federation } from "@fedify/fedify";
import { Activity, type DocumentLoader, type Recipient } from "@fedify/vocab";
import { ACTOR_PATH } from "../domain/actor.ts";
import type { NodeServices, WeftContext } from "./context.ts";

const SECRET_HEADER = "weft-outbox-secret";

/** A compacted activity with its `proof`, as it goes on the wire. */
export type SignedActivity = Record<string, unknown> & { id: string };

interface PrivateOutbox {
  secret: Buffer;
  /** Where each activity being posted goes, by activity id. */
  pending: Map<string, { recipient: Recipient; orderingKey?: string }>;
}

const outboxes = new WeakMap<Federation<NodeServices>, PrivateOutbox>();

function isSecret(header: string | null, secret: Buffer): boolean {
  if (header === null) return false;
  const given = Buffer.from(header, "base64url");
  return given.length === secret.length && timingSafeEqual(given, secret);
}

/** Accepts the node's own POSTs to its actor's outbox and forwards them unchanged. */
export function registerPrivateOutbox(federation: Federation<NodeServices>): void {
  const outbox: PrivateOutbox = { secret: randomBytes(32), pending: new Map() };
  outboxes.set(federation, outbox);
  federation
    .setOutboxListeners(`${ACTOR_PATH}/outbox`)
    .authorize(
      (ctx, identifier) =>
        identifier === ctx.data.config.handle && isSecret(ctx.request.headers.get(SECRET_HEADER), outbox.secret),
    )
    .on(Activity, async (ctx, activity) => {
      const target = activity.id ? outbox.pending.get(activity.id.href) : undefined;
      if (!target) throw new Error(`Nothing to send for ${activity.id?.href}`);
      await ctx.forwardActivity({ identifier: ctx.identifier }, target.recipient, {
        skipIfUnsigned: false,
        orderingKey: target.orderingKey,
      });
    });
}

/**
 * Wraps every single `attachment` in an array, as Fedify does before it signs
 * (Pixelfed and others read `attachment` as a plain JSON array). The proof
 * was made over this form, so the body verifies as it is.
 */
function withAttachmentArrays(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withAttachmentArrays);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === "@context" || key === "@value") out[key] = inner;
    else if (key === "attachment" && inner !== null && !Array.isArray(inner)) out[key] = [withAttachmentArrays(inner)];
    else out[key] = withAttachmentArrays(inner);
  }
  return out;
}

/** The key that signs a proof: an Ed25519 private key and the id of its public Multikey. */
export interface ProofKey {
  privateKey: CryptoKey;
  id: URL;
}

/** The co-op's Ed25519 key (`{actor}#multikey-2`), as Fedify names it in the actor's assertionMethod. */
export async function proofKeyOf(ctx: WeftContext): Promise<ProofKey> {
  const pairs = await ctx.getActorKeyPairs(ctx.data.config.handle);
  const ed25519 = pairs.find((pair) => pair.privateKey.algorithm.name === "Ed25519");
  if (!ed25519?.multikey.id) throw new Error("The co-op has no Ed25519 key");
  return { privateKey: ed25519.privateKey, id: ed25519.multikey.id };
}

/**
 * `activity` compacted, with an Object Integrity Proof (FEP-8b32,
 * eddsa-jcs-2022) by `key`: the body Fedify would send, less its Linked
 * Data signature.
 */
export async function signActivity(
  activity: Activity,
  key: ProofKey,
  options: { contextLoader?: DocumentLoader; created?: Temporal.Instant } = {},
): Promise<SignedActivity> {
  if (!activity.id) throw new TypeError("The activity to sign has no id");
  const proof = await createProof(activity, key.privateKey, key.id, options);
  const json = (await activity.toJsonLd({ format: "compact", contextLoader: options.contextLoader })) as Record<
    string,
    unknown
  >;
  // Embedded as Fedify embeds a proof, carrying the activity's @context (its
  // terms are those of the proof's own context, which that one includes). The
  // plain serialisation costs a fraction of a compaction against it.
  const proofJson = (await proof.toJsonLd({ contextLoader: options.contextLoader })) as Record<string, unknown>;
  return withAttachmentArrays({ ...json, proof: { ...proofJson, "@context": json["@context"] } }) as SignedActivity;
}

/**
 * Queues `activity` (from signActivity()) for delivery to `recipient`'s
 * inbox as it is: Fedify adds the HTTP signature when it delivers it.
 */
export async function sendPrivately(
  ctx: WeftContext,
  recipient: Recipient,
  activity: SignedActivity,
  options: { orderingKey?: string } = {},
): Promise<void> {
  const outbox = outboxes.get(ctx.federation);
  if (!outbox) throw new Error("The private outbox is not registered on this federation");
  outbox.pending.set(activity.id, { recipient, orderingKey: options.orderingKey });
  try {
    const request = new Request(ctx.getOutboxUri(ctx.data.config.handle), {
      method: "POST",
      headers: {
        "content-type": "application/activity+json",
        [SECRET_HEADER]: outbox.secret.toString("base64url"),
      },
      body: JSON.stringify(activity),
    });
    const response = await ctx.federation.fetch(request, { contextData: ctx.data });
    if (response.status !== 202) {
      throw new Error(`Could not queue ${activity.id}: ${response.status} ${await response.text()}`);
    }
  } finally {
    outbox.pending.delete(activity.id);
  }
}
