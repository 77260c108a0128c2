// Checks of order lines against the seller's listings: the same rules on the
// buyer's node (before anything is sent) and on the seller's (on receipt).
import type { ListingRow } from "../../db/schema.ts";
import { compareDecimal } from "../codes.ts";
import type { OrderLine } from "./machine.ts";

export interface LineProblem {
  /** Index of the line in the order, for API field names. */
  index: number;
  field: "listing" | "quantity" | "quantity.unit" | "quantity.amount" | "unitPrice.currency";
  message: string;
}

/** `listings` maps listing IRI → row as this node knows it (undefined: unknown or not visible). */
export function checkLinesAgainstListings(
  lines: Pick<OrderLine, "listing" | "quantity" | "unitPrice">[],
  listings: Map<string, ListingRow | undefined>,
): LineProblem[] {
  const problems: LineProblem[] = [];
  const sellers = new Set<string>();
  lines.forEach((line, index) => {
    const listing = listings.get(line.listing);
    if (!listing || listing.status === "deleted") {
      problems.push({ index, field: "listing", message: "is not a listing this co-op can order from" });
      return;
    }
    sellers.add(listing.authorIri);
    if (listing.status !== "active" || (listing.availableUntil && listing.availableUntil < new Date())) {
      problems.push({ index, field: "listing", message: "is no longer available" });
    }
    if (listing.kind === "need") problems.push({ index, field: "listing", message: "is a need, not an offer" });
    const unit = listing.quantityUnit ?? listing.rateUnit;
    if (unit && line.quantity.unit !== unit) {
      problems.push({ index, field: "quantity.unit", message: `must be ${unit}, the listing's unit` });
      return;
    }
    if (listing.minimumAmount && compareDecimal(line.quantity.amount, listing.minimumAmount) < 0) {
      problems.push({
        index,
        field: "quantity.amount",
        message: `is below the minimum order of ${listing.minimumAmount}`,
      });
    }
    const available = listing.quantityAmount ?? listing.rateAmount;
    if (available && compareDecimal(line.quantity.amount, available) > 0) {
      problems.push({ index, field: "quantity.amount", message: `is more than the ${available} available` });
    }
    if (listing.priceCurrency && line.unitPrice.currency !== listing.priceCurrency) {
      problems.push({
        index,
        field: "unitPrice.currency",
        message: `must be ${listing.priceCurrency}, the listing's currency`,
      });
    }
  });
  if (sellers.size > 1) {
    problems.push({ index: 0, field: "listing", message: "all lines of an order must be from one seller" });
  }
  return problems;
}
