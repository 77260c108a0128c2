// Order events as ActivityPub activities over FEP-0837 objects.
//
// Each step is a standard activity (table in spec/orders.md): Offer of an
// Agreement, Accept/Reject/TentativeAccept of that Offer, Update for a
// change, Undo for a cancellation, Add for shipments and receipts. The first
// line travels as the Agreement's Commitment pair, which FEP-0837 software
// understands; the full Weft event (all lines, versions, reasons,
// quantities) travels as a JSON Document attachment, because Fedify's
// Agreement carries a single commitment each way and drops properties it
// does not know.
import { parseDecimal } from "@fedify/fedify";
import {
  Accept,
  type Activity,
  Add,
  Agreement,
  Commitment,
  Document,
  Measure,
  Offer,
  Reject,
  TentativeAccept,
  Undo,
  Update,
} from "@fedify/vocab";
import { z } from "zod";
import { EVENT_TYPES, type OrderEvent, type OrderTerms } from "../domain/orders/machine.ts";
import { lineTotal } from "../domain/orders/money.ts";

export const ORDER_EVENT_MEDIA_TYPE = "application/vnd.weft.order-event+json";

export interface OrderEnvelope {
  order: string;
  buyer: string;
  seller: string;
  event: OrderEvent;
}

/** The terms as an FEP-0837 Agreement: first line as the commitment pair. */
export function agreementOf(orderIri: string, buyer: string, terms: OrderTerms): Agreement {
  const first = terms.lines[0];
  return new Agreement({
    id: new URL(orderIri),
    attribution: new URL(buyer),
    name: `Order of ${terms.lines.length} line${terms.lines.length === 1 ? "" : "s"}`,
    stipulates: first
      ? new Commitment({
          satisfies: new URL(first.listing),
          resourceQuantity: new Measure({
            numericalValue: parseDecimal(first.quantity.amount),
            unit: first.quantity.unit,
          }),
        })
      : null,
    stipulatesReciprocal: first
      ? new Commitment({
          resourceQuantity: new Measure({
            numericalValue: parseDecimal(lineTotal(first.quantity.amount, first.unitPrice.amount, terms.currency)),
            unit: terms.currency,
          }),
        })
      : null,
  });
}

function envelopeDocument(envelope: OrderEnvelope): Document {
  return new Document({ mediaType: ORDER_EVENT_MEDIA_TYPE, content: JSON.stringify(envelope) });
}

/**
 * Builds the activity for an event. `refersTo` is the id of the event
 * being answered (the Offer for accept/reject, the change for its answer…).
 */
export function activityOf(
  envelope: OrderEnvelope,
  actorIri: string,
  recipientIri: string,
  terms: OrderTerms | null,
  refersTo: string | null,
): Activity {
  const { event, order } = envelope;
  const common = {
    id: new URL(event.id),
    actor: new URL(actorIri),
    to: new URL(recipientIri),
    published: Temporal.Instant.from(event.at),
    attachments: [envelopeDocument(envelope)],
  };
  const agreement = terms ? agreementOf(order, envelope.buyer, terms) : null;
  const answered = refersTo ? new URL(refersTo) : new URL(order);
  const reason = "reason" in event.payload ? (event.payload.reason ?? null) : null;
  switch (event.type) {
    case "order":
      return new Offer({ ...common, object: agreement, target: new URL(envelope.seller) });
    case "accept":
      return new Accept({ ...common, object: answered, result: agreement });
    case "propose_changes":
      return new TentativeAccept({ ...common, object: answered, result: agreement });
    case "reject":
    case "reject_change":
    case "reject_cancel":
      return new Reject({ ...common, object: answered, content: reason });
    case "accept_changes":
    case "accept_change":
    case "accept_cancel":
      return new Accept({ ...common, object: answered });
    case "change":
      return new Update({ ...common, object: agreement });
    case "cancel":
      return new Undo({ ...common, object: answered, content: reason });
    case "ship":
    case "receive":
      return new Add({
        ...common,
        object: new Document({ name: event.type === "ship" ? "Shipment" : "Receipt" }),
        target: new URL(order),
      });
  }
}

const EnvelopeSchema = z.object({
  order: z.url(),
  buyer: z.url(),
  seller: z.url(),
  event: z.object({
    id: z.url(),
    type: z.enum(EVENT_TYPES),
    actor: z.enum(["buyer", "seller"]),
    base: z.number().int().min(0).max(1_000_000),
    at: z.iso.datetime({ offset: true }),
    payload: z.record(z.string(), z.unknown()),
  }),
});

/** The Weft envelope of an activity, if it has one and it is well formed. */
export async function envelopeOf(activity: Activity): Promise<OrderEnvelope | null> {
  for await (const attachment of activity.getAttachments()) {
    if (!(attachment instanceof Document) || attachment.mediaType !== ORDER_EVENT_MEDIA_TYPE) continue;
    try {
      const parsed = EnvelopeSchema.safeParse(JSON.parse(attachment.content?.toString() ?? ""));
      if (parsed.success && parsed.data.event.payload.type === parsed.data.event.type) {
        return parsed.data as unknown as OrderEnvelope;
      }
    } catch {
      // Not our envelope after all; another attachment may be.
    }
  }
  return null;
}
