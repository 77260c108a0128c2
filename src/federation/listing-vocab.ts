// Listings as FEP-0837 / ValueFlows objects: our rows → Proposal, and a
// received Proposal → ListingData. spec/listings.md documents the mapping.
import { type Decimal, parseDecimal } from "@fedify/fedify";
import { Hashtag, Intent, Measure, Place, Proposal, PUBLIC_COLLECTION, Source } from "@fedify/vocab";
import { isCurrencyCode } from "../domain/codes.ts";
import { escapeHtml, htmlToText, markdownToSafeHtml, sanitizeHtmlContent } from "../domain/html.ts";
import type { ListingData } from "../domain/listing-rules.ts";
import { categoryHashtag, termsText } from "../domain/listing-text.ts";
import type { ListingRow, Visibility } from "../domain/records.ts";

const CURRENCY_URN = "urn:iso:std:iso:4217:";
/** ValueFlows actions: what the published Intent does. */
const ACTION_FOR_KIND = { offer: "transfer", capacity: "deliverService", need: "transfer" } as const;
const CAPACITY_ACTIONS = new Set(["deliverService", "produce", "work", "modify"]);

export function categoryIri(origin: string, category: string): URL {
  return new URL(`/categories/${category}`, origin);
}

function measure(amount: string, unit: string): Measure {
  return new Measure({ numericalValue: parseDecimal(amount), unit });
}

function instant(date: Date | null): Temporal.Instant | null {
  return date ? Temporal.Instant.fromEpochMilliseconds(date.getTime()) : null;
}

export function audienceOf(visibility: Visibility, partners: string[], followersUri: URL) {
  switch (visibility) {
    case "public":
      return { tos: [PUBLIC_COLLECTION], ccs: [followersUri] };
    case "followers":
      return { tos: [followersUri], ccs: [] };
    case "partners":
      return { tos: partners.map((p) => new URL(p)), ccs: [] };
  }
}

export function toProposal(row: ListingRow, data: ListingData, followersUri: URL, origin: string): Proposal {
  const conformsTo = categoryIri(origin, data.category);
  const hashtag = categoryHashtag(data.category);
  const terms = `<p>${escapeHtml(termsText(data))}</p>`;
  const tag = `<p><a href="${escapeHtml(conformsTo.href)}" class="hashtag" rel="tag">${escapeHtml(hashtag)}</a></p>`;
  const capacity = data.kind === "capacity" && data.rate;
  return new Proposal({
    id: new URL(row.iri),
    attribution: new URL(row.authorIri),
    name: data.title,
    content: `${data.descriptionHtml}${terms}${tag}`,
    source: row.descriptionSource ? new Source({ content: row.descriptionSource, mediaType: "text/markdown" }) : null,
    url: new URL(row.iri),
    purpose: data.kind === "need" ? "request" : "offer",
    publishes: new Intent({
      // FEP-0837: offers answer the primary intent, {listing}#primary.
      id: new URL(`${row.iri}#primary`),
      action: ACTION_FOR_KIND[data.kind],
      resourceConformsTo: conformsTo,
      resourceQuantity: data.price?.per ? measure("1", data.price.per) : null,
      availableQuantity: capacity
        ? measure(capacity.amount, capacity.unit)
        : data.quantity
          ? measure(data.quantity.amount, data.quantity.unit)
          : null,
      minimumQuantity: data.minimumOrder ? measure(data.minimumOrder.amount, data.minimumOrder.unit) : null,
    }),
    reciprocal: data.price
      ? new Intent({
          id: new URL(`${row.iri}#reciprocal`),
          action: "transfer",
          resourceConformsTo: new URL(`${CURRENCY_URN}${data.price.currency}`),
          resourceQuantity: measure(data.price.amount, data.price.currency),
        })
      : null,
    unitBased: data.price?.per ? true : null,
    duration: capacity ? Temporal.Duration.from(capacity.per) : null,
    startTime: instant(data.availableFrom),
    endTime: instant(
      data.status === "paused"
        ? new Date(Math.min(row.updated.getTime(), data.availableUntil?.getTime() ?? Infinity))
        : data.availableUntil,
    ),
    location:
      data.region || data.location
        ? new Place({
            name: data.region,
            latitude: data.location?.lat ?? null,
            longitude: data.location?.lon ?? null,
          })
        : null,
    tags: [new Hashtag({ name: hashtag, href: conformsTo })],
    published: instant(row.published),
    updated: instant(row.updated),
    ...audienceOf(data.visibility, data.partners, followersUri),
  });
}

function decimalString(value: Decimal | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  // Normalise "0500.0" style values to what our decimal pattern accepts.
  const [int = "0", frac] = String(value).split(".");
  const intPart = int.replace(/^0+(?=\d)/, "");
  return frac ? `${intPart}.${frac}` : intPart;
}

function measureOf(m: Measure | null): { amount: string; unit: string } | null {
  const amount = decimalString(m?.numericalValue);
  return amount !== null && m?.unit ? { amount, unit: m.unit } : null;
}

/** Category from the classification IRI (`…/categories/textile/fabric/knit`), else the hashtag. */
function categoryOf(conformsTo: URL | null, hashtags: string[]): string {
  const fromIri = conformsTo?.pathname.match(/\/categories\/(.+)$/)?.[1];
  if (fromIri) return decodeURIComponent(fromIri).toLowerCase();
  const tag = hashtags[0]?.replace(/^#/, "").toLowerCase();
  return tag ? tag.replace(/_/g, "/") : "other";
}

/**
 * Reads a received Proposal. Shape problems come back as errors for the
 * inbox to log; the caller still runs listingRuleErrors() on the result.
 */
export async function listingDataFromProposal(
  proposal: Proposal,
  visibility: Visibility,
  partners: string[],
): Promise<ListingData> {
  const publishes = proposal.publishes;
  const reciprocal = proposal.reciprocal;
  const action = publishes?.action ?? "transfer";
  const kind =
    proposal.purpose === "request" ? "need" : CAPACITY_ACTIONS.has(action) || proposal.duration ? "capacity" : "offer";
  const hashtags: string[] = [];
  for await (const tag of proposal.getTags()) {
    if (tag instanceof Hashtag && tag.name) hashtags.push(tag.name.toString());
  }
  const source = proposal.source;
  const descriptionHtml =
    source?.content && source.mediaType === "text/markdown"
      ? markdownToSafeHtml(source.content.toString())
      : sanitizeHtmlContent(proposal.content?.toString() ?? "");
  const available = measureOf(publishes?.availableQuantity ?? null);
  const priceMeasure = measureOf(reciprocal?.resourceQuantity ?? null);
  const currencyFromIri = reciprocal?.resourceConformsTo?.href.startsWith(CURRENCY_URN)
    ? reciprocal.resourceConformsTo.href.slice(CURRENCY_URN.length)
    : null;
  const currency = currencyFromIri ?? (priceMeasure && isCurrencyCode(priceMeasure.unit) ? priceMeasure.unit : null);
  const perUnit = proposal.unitBased ? (publishes?.resourceQuantity?.unit ?? null) : null;
  const location = await proposal.getLocation();
  const place = location instanceof Place ? location : null;
  return {
    kind,
    title: htmlToText(proposal.name?.toString() ?? "").slice(0, 200),
    descriptionHtml,
    category: categoryOf(publishes?.resourceConformsTo ?? null, hashtags),
    quantity: kind === "capacity" ? null : available,
    minimumOrder: measureOf(publishes?.minimumQuantity ?? null),
    price: priceMeasure && currency ? { amount: priceMeasure.amount, currency, per: perUnit } : null,
    rate:
      kind === "capacity" && available && proposal.duration
        ? { amount: available.amount, unit: available.unit, per: proposal.duration.toString() }
        : null,
    availableFrom: proposal.startTime ? new Date(proposal.startTime.epochMilliseconds) : null,
    availableUntil: proposal.endTime ? new Date(proposal.endTime.epochMilliseconds) : null,
    region: place?.name?.toString() ?? null,
    location:
      place && typeof place.latitude === "number" && typeof place.longitude === "number"
        ? { lat: place.latitude, lon: place.longitude }
        : null,
    visibility,
    partners,
    status: "active",
  };
}
