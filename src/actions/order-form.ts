// What the workspace's order pages read besides orders themselves: the
// partner's listing an order is placed from, the partners' names, and a
// quote — the order input checked exactly as placing it would check it,
// with the line totals and the order total in decimals — so a person sees
// the totals before anything is sent.
import { z } from "zod";
import { findRemoteActors } from "../domain/follows.ts";
import { getListingByIri } from "../domain/listings.ts";
import { checkLinesAgainstListings } from "../domain/orders/checks.ts";
import { lineTotal, sum } from "../domain/orders/money.ts";
import {
  DeliverToSchema,
  DeliveryWindowSchema,
  LineIdSchema,
  PriceSchema,
  QuantitySchema,
} from "../domain/orders/payloads.ts";
import type { ListingRow } from "../domain/records.ts";
import type { ActionContext } from "./context.ts";
import { ActionError, fieldErrorsOf, invalidInput } from "./errors.ts";
import { type OrderInput, placeOrder } from "./orders.ts";

/** The order input's shape, as the API takes it (POST /orders). */
export const OrderInputSchema = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        id: LineIdSchema.optional(),
        listing: z.url(),
        quantity: QuantitySchema,
        unitPrice: PriceSchema,
        deliveryDate: z.iso.date({ error: "must be a date such as 2027-02-01" }).nullable().optional(),
      }),
    )
    .min(1, "an order needs at least one line")
    .max(200),
  deliveryWindow: DeliveryWindowSchema.optional(),
  deliverTo: DeliverToSchema.optional(),
  partialDelivery: z.boolean().default(true),
  note: z.string().max(5000).optional(),
});

/** A partner's listing this co-op may order from; not_found for our own or unknown ones. */
export async function orderableListing(weft: ActionContext, iri: string): Promise<ListingRow> {
  const row = iri ? await getListingByIri(weft.services.db, iri) : undefined;
  if (!row || row.local || row.status === "deleted") {
    throw new ActionError("not_found", "This co-op does not know that listing from a partner");
  }
  return row;
}

export interface Quote {
  currency: string;
  lines: { listing: string; title: string; total: string }[];
  total: string;
}

function check(input: unknown): OrderInput {
  const parsed = OrderInputSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(fieldErrorsOf(parsed.error.issues));
  return parsed.data as OrderInput;
}

/**
 * The order's totals, after the same checks as placing it (shape, then the
 * listings' units, minimum, quantity and currency); nothing is stored or sent.
 */
export async function quoteOrder(weft: ActionContext, input: unknown): Promise<Quote> {
  const order = check(input);
  const listings = new Map<string, ListingRow | undefined>();
  for (const line of order.lines) {
    const row = await getListingByIri(weft.services.db, line.listing);
    listings.set(line.listing, row && !row.local ? row : undefined);
  }
  const problems = checkLinesAgainstListings(order.lines, listings);
  if (new Set(order.lines.map((l) => l.unitPrice.currency)).size > 1) {
    problems.push({ index: 0, field: "unitPrice.currency", message: "one currency per order" });
  }
  if (problems.length > 0) {
    const errors = problems.map((p) => ({ field: `lines.${p.index}.${p.field}`, message: p.message }));
    throw new ActionError("invalid", "The order does not fit the listing's terms", errors);
  }
  const currency = order.lines[0]?.unitPrice.currency as string;
  const lines = order.lines.map((l) => ({
    listing: l.listing,
    title: listings.get(l.listing)?.title ?? "",
    total: lineTotal(l.quantity.amount, l.unitPrice.amount, currency),
  }));
  return {
    currency,
    lines,
    total: sum(
      lines.map((l) => l.total),
      currency,
    ),
  };
}

/** Checks the input's shape, then places the order (placeOrder checks it against the listings). */
export async function placeCheckedOrder(weft: ActionContext, input: unknown) {
  return await placeOrder(weft, check(input));
}

/** Partners' display names by actor URL: their name, else their handle, else their server's name. */
export async function partnerNames(weft: ActionContext, iris: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(iris)];
  // One query for all of them: PGlite runs queries one at a time however they are awaited.
  const rows = new Map((await findRemoteActors(weft.services.db, unique)).map((a) => [a.iri, a]));
  return new Map(unique.map((iri) => [iri, rows.get(iri)?.name ?? rows.get(iri)?.handle ?? new URL(iri).host]));
}
