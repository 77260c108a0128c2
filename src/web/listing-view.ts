// How a listing reads on a page: its kind, quantities with the unit's name,
// price, availability window and place, as a card in a list or as the facts
// on its own page. Everything interpolated is escaped by html``.

import { UNIT_CODES } from "../domain/codes.ts";
import { periodLabel } from "../domain/listing-text.ts";
import type { ListingKind, ListingRow } from "../domain/public-listings.ts";
import { type Html, h } from "./public-layout.ts";

export const KIND_LABELS: Record<ListingKind, string> = { offer: "Offer", capacity: "Capacity", need: "Need" };

const numbers = new Intl.NumberFormat("en", { maximumFractionDigits: 6 });
const days = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const regionNames = new Intl.DisplayNames("en", { type: "region" });

/** Unit names that do not just take an "s" (or read badly as Rec 20 words). */
const PLURALS: Record<string, string> = {
  C62: "units",
  GM: "grams per square metre",
  DZN: "dozen",
  NAR: "articles",
  NPR: "pairs",
  KWH: "kilowatt hours",
};

/** The unit's name for people, "metre" or "metres"; an unknown code stays as it is. */
export function unitName(code: string, plural: boolean): string {
  const name = UNIT_CODES[code];
  if (!name) return code;
  if (!plural) return code === "C62" ? "unit" : name;
  return PLURALS[code] ?? `${name}s`;
}

/** "5,000 metres": Intl formats the decimal string exactly, no float in between. */
function amount(value: string, unit: string): string {
  return `${numbers.format(value as unknown as number)} ${unitName(unit, !/^0*1(\.0*)?$/.test(value))}`;
}

function money(value: string, currency: string): string {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 6 }).format(
      value as unknown as number,
    );
  } catch {
    return `${value} ${currency}`;
  }
}

export function quantityText(row: ListingRow): string | null {
  const parts: string[] = [];
  if (row.quantityAmount && row.quantityUnit) parts.push(amount(row.quantityAmount, row.quantityUnit));
  if (row.rateAmount && row.rateUnit && row.ratePer) {
    parts.push(`${amount(row.rateAmount, row.rateUnit)} per ${periodLabel(row.ratePer)}`);
  }
  return parts.length > 0 ? parts.join(", ") : null;
}

export function priceText(row: ListingRow): string | null {
  if (!row.priceAmount || !row.priceCurrency) return null;
  const per = row.pricePer ? ` per ${unitName(row.pricePer, false)}` : "";
  return `${money(row.priceAmount, row.priceCurrency)} (${row.priceCurrency})${per}`;
}

export function windowText(row: ListingRow): string {
  const from = row.availableFrom ? days.format(row.availableFrom) : null;
  const until = row.availableUntil ? days.format(row.availableUntil) : null;
  if (from && until) return `${from} to ${until}`;
  if (from) return `From ${from}`;
  if (until) return `Until ${until}`;
  return "Open-ended";
}

export function placeText(row: ListingRow): string | null {
  if (!row.region) return null;
  const country = row.region.slice(0, 2);
  let name: string | undefined;
  try {
    name = regionNames.of(country);
  } catch {
    name = undefined;
  }
  return name && name !== country ? `${row.region} (${name})` : row.region;
}

/** The terms as a description list: what a buyer needs to decide whether to ask. */
export function listingFacts(row: ListingRow): Html {
  const quantity = quantityText(row);
  const price = priceText(row);
  const place = placeText(row);
  const minimum = row.minimumAmount && row.minimumUnit ? amount(row.minimumAmount, row.minimumUnit) : null;
  return h`<dl class="facts">
<div><dt>Kind</dt><dd>${KIND_LABELS[row.kind]}</dd></div>
${quantity ? h`<div><dt>${row.kind === "need" ? "Wanted" : "Available"}</dt><dd>${quantity}</dd></div>` : ""}
${minimum ? h`<div><dt>Minimum order</dt><dd>${minimum}</dd></div>` : ""}
${price ? h`<div><dt>Price</dt><dd>${price}</dd></div>` : ""}
<div><dt>When</dt><dd>${windowText(row)}</dd></div>
${place ? h`<div><dt>Where</dt><dd>${place}</dd></div>` : ""}
</dl>`;
}

/** A listing in a list, its title linking to its page. */
export function listingCard(row: ListingRow, href: string): Html {
  return h`<li class="card">
<h3><a href="${href}">${row.title}</a> <span class="kind kind-${row.kind}">${KIND_LABELS[row.kind]}</span></h3>
${listingFacts(row)}
</li>`;
}
