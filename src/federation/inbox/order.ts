// Receiving orders: the other party's order activities (Weft's envelope or a
// plain FEP-0837 Offer), checked and applied. Order activities share their
// types with other uses (Accept of a Follow, Undo of a Follow, Update of an
// actor…): orderAware() lets the order code look first and passes
// everything else on.
import type { InboxContext } from "@fedify/fedify";
import { type Activity, Agreement, Offer } from "@fedify/vocab";
import { Decimal } from "decimal.js";
import { actorIri as ourActorIri } from "../../domain/actor.ts";
import { isCurrencyCode } from "../../domain/codes.ts";
import { getListingByIri, isVisibleTo } from "../../domain/listings.ts";
import { checkLinesAgainstListings } from "../../domain/orders/checks.ts";
import type { EventPayload, OrderTerms, Role } from "../../domain/orders/machine.ts";
import { PAYLOAD_SCHEMAS } from "../../domain/orders/payloads.ts";
import { getOrderByIri, recordOrderEvent } from "../../domain/orders/store.ts";
import { logger } from "../../logging.ts";
import type { NodeServices, WeftContext } from "../context.ts";
import { envelopeOf, type OrderEnvelope } from "../order-vocab.ts";
import { makeOrderEvent } from "../orders.ts";

const log = logger("federation", "orders");

type Listener<A extends Activity> = (ctx: InboxContext<NodeServices>, activity: A) => Promise<void>;

export function orderAware<A extends Activity>(next: Listener<A> | null): Listener<A> {
  return async (ctx, activity) => {
    if (await receiveOrderActivity(ctx, activity)) return;
    if (next) await next(ctx, activity);
  };
}

/** Reads a plain FEP-0837 Offer (no Weft envelope) as a one-line order. */
async function foreignOffer(ctx: WeftContext, activity: Activity): Promise<OrderEnvelope | null> {
  if (!(activity instanceof Offer) || !activity.id || !activity.actorId) return null;
  const agreement = await activity.getObject({
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
    suppressError: true,
  });
  if (!(agreement instanceof Agreement)) return null;
  const commitment = agreement.stipulates;
  const reciprocal = agreement.stipulatesReciprocal;
  // FEP-0837 names the listing's primary intent ({listing}#primary): the listing is the IRI without fragment.
  const satisfies = commitment?.satisfies ? new URL(commitment.satisfies.href) : null;
  if (satisfies) satisfies.hash = "";
  const listingIri = satisfies?.href;
  const quantity = commitment?.resourceQuantity;
  if (!listingIri || !quantity?.numericalValue || !quantity.unit) return null;
  const listing = await getListingByIri(ctx.data.db, listingIri);
  const total = reciprocal?.resourceQuantity?.numericalValue;
  // The unit may be a currency code, or OM2's "one" (an amount in the listing's currency).
  const unit = reciprocal?.resourceQuantity?.unit;
  const currency = unit && isCurrencyCode(unit) ? unit : listing?.priceCurrency;
  if (!total || !currency) return null;
  const unitPrice = new Decimal(total).dividedBy(quantity.numericalValue).toDecimalPlaces(6).toFixed();
  const terms: OrderTerms = {
    lines: [
      {
        id: "1",
        listing: listingIri,
        title: listing?.title ?? "",
        quantity: { amount: new Decimal(quantity.numericalValue).toFixed(), unit: quantity.unit },
        unitPrice: { amount: unitPrice, currency },
      },
    ],
    currency,
    deliveryWindow: null,
    deliverTo: null,
    partialDelivery: true,
    note: activity.content?.toString() ?? null,
  };
  const orderIri = agreement.id?.href ?? activity.id.href;
  return {
    order: orderIri,
    buyer: activity.actorId.href,
    seller: ourActorIri(ctx.data.config),
    event: {
      id: activity.id.href,
      type: "order",
      actor: "buyer",
      base: 0,
      at: activity.published?.toString() ?? new Date().toISOString(),
      payload: { type: "order", terms },
    },
  };
}

/**
 * The activity as it came over the wire (with its proof), which Fedify's
 * parser keeps: stored as is rather than serialised again, which would cost
 * a JSON-LD compaction per event. An activity Fedify did not keep the JSON
 * of (one it could not round-trip) is compacted afresh.
 */
async function receivedJsonOf(ctx: WeftContext, activity: Activity): Promise<Record<string, unknown>> {
  const kept = await activity.toJsonLd();
  if (typeof kept === "object" && kept !== null && "@context" in kept) return kept as Record<string, unknown>;
  return (await activity.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>;
}

/**
 * Applies an order activity from the other party. Returns false when the
 * activity is not about an order (so other handlers may take it).
 */
export async function receiveOrderActivity(ctx: WeftContext, activity: Activity): Promise<boolean> {
  const envelope = (await envelopeOf(activity)) ?? (await foreignOffer(ctx, activity));
  if (!envelope) return false;
  const actorIri = activity.actorId?.href;
  const me = ourActorIri(ctx.data.config);
  const { event } = envelope;
  const reject = (why: string) => {
    log.warning("Refused order activity {id} from {actor}: {why}", { id: activity.id?.href, actor: actorIri, why });
    return true;
  };
  if (!actorIri) return reject("no actor");
  // The sender must be the party the event belongs to, and we the other.
  const senderRole: Role | null =
    actorIri === envelope.buyer ? "buyer" : actorIri === envelope.seller ? "seller" : null;
  const myRole: Role = senderRole === "buyer" ? "seller" : "buyer";
  if (!senderRole || event.actor !== senderRole) return reject("the sender is not the party of this event");
  if ((myRole === "buyer" ? envelope.buyer : envelope.seller) !== me) return reject("this node is not the other party");
  if (event.id !== activity.id?.href) return reject("the event id is not the activity's id");
  if (new URL(event.id).origin !== new URL(actorIri).origin) return reject("event id is not on the sender's server");
  if (new URL(envelope.order).origin !== new URL(envelope.buyer).origin)
    return reject("order IRI is not on the buyer's server");
  const existing = await getOrderByIri(ctx.data.db, envelope.order);
  if (existing && (existing.buyerIri !== envelope.buyer || existing.sellerIri !== envelope.seller)) {
    return reject("parties do not match the order");
  }
  const payload = PAYLOAD_SCHEMAS[event.type].safeParse(event.payload);
  if (!payload.success) {
    return reject(payload.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; "));
  }
  const parties = { iri: envelope.order, role: myRole, buyerIri: envelope.buyer, sellerIri: envelope.seller };
  const json = await receivedJsonOf(ctx, activity);
  const { view, isNew } = await recordOrderEvent(
    ctx.data.db,
    parties,
    { ...event, payload: payload.data as EventPayload },
    json,
  );
  log.info("Order {order}: {type} from the {role} ({outcome})", {
    order: envelope.order,
    type: event.type,
    role: senderRole,
    outcome: isNew ? view.state : "duplicate",
  });
  // A new order to us: check it against our listings, and answer with a
  // Reject (and its reason) when it cannot be taken.
  if (isNew && event.type === "order" && myRole === "seller" && view.state === "sent" && view.version === 1) {
    const problems = await sellerSideProblems(ctx, view.terms, envelope.buyer);
    if (problems.length > 0) {
      await makeOrderEvent(ctx, parties, view, { type: "reject", reason: problems.join("; ") }, "refuseOrder");
    }
  }
  return true;
}

async function sellerSideProblems(ctx: WeftContext, terms: OrderTerms, buyerIri: string): Promise<string[]> {
  const me = ourActorIri(ctx.data.config);
  const listings = new Map();
  for (const line of terms.lines) {
    const row = await getListingByIri(ctx.data.db, line.listing);
    const ours = row?.local && row.authorIri === me && (await isVisibleTo(ctx.data.db, row, buyerIri));
    listings.set(line.listing, ours ? row : undefined);
  }
  return checkLinesAgainstListings(terms.lines, listings).map(
    (p) => `line ${terms.lines[p.index]?.id ?? p.index + 1}: ${p.field} ${p.message}`,
  );
}
