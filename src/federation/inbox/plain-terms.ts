// FEP-0837's own examples, and implementations that copy them (Mitra), define
// `satisfies` and `resourceConformsTo` in their JSON-LD context as plain terms
// ("satisfies": "vf:satisfies"), so an IRI there is, to JSON-LD, a string.
// Fedify's vocabulary expects an IRI and cannot parse such an Offer. We
// cannot correct the body before Fedify sees it either: the sender's HTTP
// signature covers a digest of the body. So such an Offer is taken here: the
// HTTP signature is verified on the request as it came, the two terms are then
// read as the IRIs every example means, and the Offer goes to the same order
// handler as any other (spec/orders.md, "Interoperability with plain FEP-0837").
import { doesActorOwnKey, type Federation, verifyRequest } from "@fedify/fedify";
import { Offer } from "@fedify/vocab";
import { problemResponse } from "../../http/problem.ts";
import { logger } from "../../logging.ts";
import type { NodeServices } from "../context.ts";
import { receiveOrderActivity } from "./order.ts";

const log = logger("federation", "inbox");

/** The terms whose values are IRIs in every FEP-0837 example, whatever the context says. */
const IRI_TERMS = ["satisfies", "resourceConformsTo"];

type Json = Record<string, unknown>;

function inlineContexts(json: Json): Json[] {
  const context = json["@context"];
  const all = Array.isArray(context) ? context : [context];
  return all.filter((c): c is Json => typeof c === "object" && c !== null);
}

/** An Offer whose inline context defines one of the IRI terms as a plain term. */
export function hasPlainIriTerms(json: unknown): json is Json {
  if (typeof json !== "object" || json === null || (json as Json).type !== "Offer") return false;
  return inlineContexts(json as Json).some((c) => IRI_TERMS.some((term) => typeof c[term] === "string"));
}

/** A copy whose context defines the IRI terms as IRIs (`@type: @id`). */
export function withIriTerms(json: Json): Json {
  const copy = structuredClone(json);
  for (const context of inlineContexts(copy)) {
    for (const term of IRI_TERMS) {
      const id = context[term];
      if (typeof id === "string") context[term] = { "@id": id, "@type": "@id" };
    }
  }
  return copy;
}

/**
 * Takes an Offer with plain IRI terms, POSTed to an inbox: 202 when its HTTP
 * signature verifies and belongs to its actor, 401 otherwise, 400 when it
 * does not parse even with the terms read as IRIs.
 */
export async function receiveOfferWithPlainTerms(
  federation: Federation<NodeServices>,
  services: NodeServices,
  request: Request,
  json: Json,
): Promise<Response> {
  const ctx = federation.createContext(request, services);
  const loaders = { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader };
  const key = await verifyRequest(request, loaders);
  if (!key) {
    log.warning("Refused an Offer with plain FEP-0837 terms: its HTTP signature does not verify");
    return problemResponse(401, "The request's HTTP signature does not verify");
  }
  let offer: Offer;
  try {
    offer = await Offer.fromJsonLd(withIriTerms(json), loaders);
  } catch (error) {
    log.warning("Rejected a malformed activity: {error}", { error });
    return problemResponse(400, "The activity could not be parsed");
  }
  if (!(await doesActorOwnKey(offer, key, loaders))) {
    log.warning("Refused Offer {id}: signed by {key}, not by its actor", { id: offer.id?.href, key: key.id?.href });
    return problemResponse(401, "The request is not signed by the activity's actor");
  }
  // Not an order for us (another kind of Offer): accepted and ignored, as Fedify does.
  await receiveOrderActivity(ctx, offer);
  return new Response(null, { status: 202 });
}
