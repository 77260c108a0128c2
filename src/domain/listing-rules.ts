// What a listing is, independent of how it arrived (API or federation), and
// the rules every listing must satisfy before it is stored.
import type { ListingKind, ListingStatus, Visibility } from "../db/schema.ts";
import { compareDecimal, DECIMAL_PATTERN, isCurrencyCode, isUnitCode, PERIOD_PATTERN } from "./codes.ts";
import { isRegionCode } from "./regions.ts";

export interface Quantity {
  amount: string;
  unit: string;
}

export interface ListingData {
  kind: ListingKind;
  title: string;
  /** Sanitised HTML. */
  descriptionHtml: string;
  category: string;
  quantity: Quantity | null;
  minimumOrder: Quantity | null;
  price: { amount: string; currency: string; per: string | null } | null;
  rate: { amount: string; unit: string; per: string } | null;
  availableFrom: Date | null;
  availableUntil: Date | null;
  region: string | null;
  location: { lat: number; lon: number } | null;
  visibility: Visibility;
  partners: string[];
  status: Exclude<ListingStatus, "deleted">;
}

export interface FieldError {
  field: string;
  message: string;
}

/** `textile/fabric/knit`: lower-case segments of letters, digits and dashes. */
export const CATEGORY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*){0,5}$/;

/** Checks the rules that span fields; each broken rule names its field. */
export function listingRuleErrors(l: ListingData): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });

  if (!l.title.trim()) err("title", "must not be empty");
  if (!CATEGORY_PATTERN.test(l.category)) err("category", "must be a path such as textile/fabric/knit");
  for (const [field, q] of [
    ["quantity", l.quantity],
    ["minimumOrder", l.minimumOrder],
  ] as const) {
    if (!q) continue;
    if (!DECIMAL_PATTERN.test(q.amount)) err(`${field}.amount`, 'must be a decimal string such as "500"');
    if (!isUnitCode(q.unit)) err(`${field}.unit`, `"${q.unit}" is not a known UN/ECE Rec 20 unit code`);
  }
  if (
    l.quantity &&
    l.minimumOrder &&
    DECIMAL_PATTERN.test(l.quantity.amount) &&
    DECIMAL_PATTERN.test(l.minimumOrder.amount)
  ) {
    if (l.minimumOrder.unit !== l.quantity.unit) err("minimumOrder.unit", "must be the unit of quantity");
    else if (compareDecimal(l.minimumOrder.amount, l.quantity.amount) > 0) {
      err("minimumOrder.amount", "must not be more than the quantity available");
    }
  }
  if (l.price) {
    if (!DECIMAL_PATTERN.test(l.price.amount)) err("price.amount", 'must be a decimal string such as "7.40"');
    if (!isCurrencyCode(l.price.currency)) err("price.currency", `"${l.price.currency}" is not an ISO 4217 currency`);
    if (l.price.per !== null && !isUnitCode(l.price.per)) err("price.per", `"${l.price.per}" is not a known unit code`);
    if (l.price.per && l.quantity && l.price.per !== l.quantity.unit) {
      err("price.per", "must be the unit of quantity");
    }
  }
  if (l.rate) {
    if (l.kind !== "capacity") err("rate", "only capacity listings have a rate");
    if (!DECIMAL_PATTERN.test(l.rate.amount)) err("rate.amount", 'must be a decimal string such as "2000"');
    if (!isUnitCode(l.rate.unit)) err("rate.unit", `"${l.rate.unit}" is not a known UN/ECE Rec 20 unit code`);
    if (!PERIOD_PATTERN.test(l.rate.per)) err("rate.per", "must be an ISO 8601 period such as P1W or P1M");
  } else if (l.kind === "capacity") {
    err("rate", "capacity listings need a rate, e.g. 2000 H87 per P1W");
  }
  if (l.availableFrom && l.availableUntil && l.availableUntil < l.availableFrom) {
    err("availableUntil", "must not be before availableFrom");
  }
  if (l.region !== null && !isRegionCode(l.region)) {
    err("region", "must be an ISO 3166-1 (US) or ISO 3166-2 (US-NC) code");
  }
  if (l.location) {
    if (!(Math.abs(l.location.lat) <= 90)) err("location.lat", "must be between -90 and 90");
    if (!(Math.abs(l.location.lon) <= 180)) err("location.lon", "must be between -180 and 180");
  }
  if (l.visibility === "partners" && l.partners.length === 0) err("visibility", "a partners listing needs partners");
  return errors;
}
