// A listing as the use cases answer it (ListingJson), in words for the
// workspace's lists: quantity with the unit's name, price, window, and
// where the listing came from. listing-view.ts does the same for database
// rows on the public pages; this is its twin for the JSON shape.
import type { ListingJson } from "../actions/listings.ts";
import { periodLabel } from "../domain/listing-text.ts";
import { KIND_LABELS, unitName } from "./listing-view.ts";

export { KIND_LABELS };

const numbers = new Intl.NumberFormat("en", { maximumFractionDigits: 6 });
const days = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** "5,000 metres": Intl formats the decimal string exactly, no float in between. */
function amount(value: string, unit: string): string {
  return `${numbers.format(value as unknown as number)} ${unitName(unit, !/^0*1(\.0*)?$/.test(value))}`;
}

export function quantityLine(l: Pick<ListingJson, "quantity" | "rate">): string | null {
  const parts: string[] = [];
  if (l.quantity) parts.push(amount(l.quantity.amount, l.quantity.unit));
  if (l.rate) parts.push(`${amount(l.rate.amount, l.rate.unit)} per ${periodLabel(l.rate.per)}`);
  return parts.length > 0 ? parts.join(", ") : null;
}

export function priceLine(l: Pick<ListingJson, "price">): string | null {
  if (!l.price) return null;
  let money: string;
  try {
    money = new Intl.NumberFormat("en", {
      style: "currency",
      currency: l.price.currency,
      maximumFractionDigits: 6,
    }).format(l.price.amount as unknown as number);
  } catch {
    money = `${l.price.amount} ${l.price.currency}`;
  }
  return `${money}${l.price.per ? ` per ${unitName(l.price.per, false)}` : ""}`;
}

export function windowLine(l: Pick<ListingJson, "availableFrom" | "availableUntil">): string {
  const from = l.availableFrom ? days.format(new Date(l.availableFrom)) : null;
  const until = l.availableUntil ? days.format(new Date(l.availableUntil)) : null;
  if (from && until) return `${from} to ${until}`;
  if (from) return `From ${from}`;
  if (until) return `Until ${until}`;
  return "Any time";
}

/** How this node learned of a listing, in words. */
export const SOURCE_WORDS: Record<string, string> = {
  own: "Ours",
  follow: "From a co-op we follow",
  backfill: "From a co-op we follow",
  relay: "Through a hub",
  crawl: "Found by a crawl",
};

export function sourceLine(l: Pick<ListingJson, "local" | "source">): string {
  return l.local ? "Ours" : (SOURCE_WORDS[l.source] ?? `Learned through ${l.source}`);
}
