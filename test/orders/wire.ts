// Hand-made order activities for the order tests: signed with a test node's
// real key and posted to another node's inbox, as another server (or a
// forger holding some node's key) would.
import { randomUUID } from "node:crypto";
import { signRequest } from "@fedify/fedify";
import { eq } from "drizzle-orm";
import { orderEvents } from "../../src/db/schema.ts";
import { FEP0837_CONTEXT } from "../support/fixtures.ts";
import type { TestNode } from "../support/network.ts";

/** The JSON-LD context FEP-0837 payloads use. */
export const CONTEXT = FEP0837_CONTEXT;

export const ORDER_EVENT_MEDIA_TYPE = "application/vnd.weft.order-event+json";

/** POSTs `activity` to `target`'s shared inbox, signed with `signer`'s RSA key. Returns the status. */
export async function deliverSigned(signer: TestNode, target: TestNode, activity: object): Promise<number> {
  const [rsa] = signer.node.deps.services.keyPairs;
  const request = new Request(`${target.origin}/inbox`, {
    method: "POST",
    headers: { "content-type": "application/activity+json" },
    body: JSON.stringify({ "@context": CONTEXT, ...activity }),
  });
  const res = await fetch(await signRequest(request, rsa!.privateKey, new URL(`${signer.actorUrl}#main-key`)));
  await res.body?.cancel();
  return res.status;
}

/** GETs `url` as ActivityPub JSON, signed by `signer` (null: anonymous). */
export async function signedGet(signer: TestNode | null, url: string): Promise<Response> {
  const request = new Request(url, { headers: { accept: "application/activity+json" } });
  if (!signer) return await fetch(request);
  const [rsa] = signer.node.deps.services.keyPairs;
  return await fetch(await signRequest(request, rsa!.privateKey, new URL(`${signer.actorUrl}#main-key`)));
}

export interface Envelope {
  order: string;
  buyer: string;
  seller: string;
  event: {
    id: string;
    type: string;
    actor: "buyer" | "seller";
    base: number;
    at: string;
    payload: Record<string, unknown>;
  };
}

/** A fresh activity IRI on `node`'s server. */
export function activityIri(node: TestNode): string {
  return `${node.origin}/activities/${randomUUID()}`;
}

/** The Weft envelope as the Document attachment that carries it. */
export function envelopeAttachment(envelope: Envelope) {
  return { type: "Document", mediaType: ORDER_EVENT_MEDIA_TYPE, content: JSON.stringify(envelope) };
}

/** An activity of `type` carrying `envelope`, its id the event's id. */
export function envelopeActivity(
  type: string,
  actor: string,
  to: string,
  envelope: Envelope,
  extra: Record<string, unknown> = {},
) {
  return {
    id: envelope.event.id,
    type,
    actor,
    to,
    published: envelope.event.at,
    attachment: envelopeAttachment(envelope),
    ...extra,
  };
}

/** Order terms with one line, as the envelope of an order event carries them. */
export function oneLineTerms(listing: string, amount: string, unitPrice = "7.40") {
  return {
    lines: [
      {
        id: "1",
        listing,
        title: "Organic cotton jersey",
        quantity: { amount, unit: "MTR" },
        unitPrice: { amount: unitPrice, currency: "USD" },
      },
    ],
    currency: "USD",
    deliveryWindow: null,
    deliverTo: null,
    partialDelivery: true,
    note: null,
  };
}

/** An Offer of a new order from `buyer` to `seller`, as a Weft node would send it. */
export function weftOffer(buyer: TestNode, seller: TestNode, terms: ReturnType<typeof oneLineTerms>) {
  const envelope: Envelope = {
    order: `${buyer.origin}/orders/${randomUUID()}`,
    buyer: buyer.actorUrl,
    seller: seller.actorUrl,
    event: {
      id: activityIri(buyer),
      type: "order",
      actor: "buyer",
      base: 0,
      at: new Date().toISOString(),
      payload: { type: "order", terms },
    },
  };
  const activity = envelopeActivity("Offer", buyer.actorUrl, seller.actorUrl, envelope, {
    object: { id: envelope.order, type: "Agreement", attributedTo: buyer.actorUrl },
    target: seller.actorUrl,
  });
  return { envelope, activity };
}

/** The order events `node` stored (for `orderIri`, or all of them). */
export async function storedEvents(node: TestNode, orderIri?: string) {
  const query = node.db.select().from(orderEvents);
  return await (orderIri ? query.where(eq(orderEvents.orderIri, orderIri)) : query);
}
