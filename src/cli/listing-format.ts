// Listings as the admin API returns them, and their terms in a few words for
// tables ("500 MTR (min 50) at 7.40 USD/MTR") and for `weft listing show`.
import type { Listing } from "./answers.ts";
import { UsageError } from "./errors.ts";

export type { Listing };

export const KINDS = ["offer", "capacity", "need"] as const;

/** The value of a --kind option, checked before anything is sent. */
export function kindOption(value: string | undefined): string | undefined {
  if (value !== undefined && !(KINDS as readonly string[]).includes(value)) {
    throw new UsageError(`--kind must be offer, capacity or need (got "${value}")`);
  }
  return value;
}

/** `500 MTR`, or for capacity `2000 H87/P1W`. */
export function amount(l: Listing): string {
  if (l.quantity) return `${l.quantity.amount} ${l.quantity.unit}`;
  if (l.rate) return `${l.rate.amount} ${l.rate.unit}/${l.rate.per}`;
  return "";
}

/** `7.40 USD/MTR` */
export function price(l: Listing, per = "/"): string {
  if (!l.price) return "";
  return `${l.price.amount} ${l.price.currency}${l.price.per ? `${per}${l.price.per}` : ""}`;
}

/** Everything a buyer compares, in one cell: `500 MTR (min 50) at 7.40 USD/MTR`. */
export function terms(l: Listing): string {
  const minimum = l.minimumOrder && l.quantity ? ` (min ${l.minimumOrder.amount})` : "";
  const cost = price(l);
  return [`${amount(l)}${minimum}`, cost && `at ${cost}`].filter(Boolean).join(" ");
}

export function visibility(l: Listing): string {
  return Array.isArray(l.visibility) ? `partners (${l.visibility.length})` : l.visibility;
}

/** Long titles are cut so that a table still fits a terminal; --json has them whole. */
export function shortTitle(title: string, max = 48): string {
  return title.length > max ? `${title.slice(0, max - 1)}…` : title;
}

/** A whole-day bound (as dates are stored) prints as the date alone. */
function day(iso: string, endOfDay: boolean): string {
  const time = endOfDay ? "T23:59:59.999Z" : "T00:00:00.000Z";
  return iso.endsWith(time) ? iso.slice(0, 10) : iso;
}

export function availability(l: Listing): string {
  const from = l.availableFrom && day(l.availableFrom, false);
  const until = l.availableUntil && day(l.availableUntil, true);
  if (from && until) return `${from} to ${until}`;
  if (from) return `from ${from}`;
  if (until) return `until ${until}`;
  return "";
}
