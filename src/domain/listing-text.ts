// A listing in words: one readable line of its terms and its category as a
// hashtag, for fediverse posts, the Atom feed and the pages alike.
import { UNIT_CODES } from "./codes.ts";
import type { ListingData } from "./listing-rules.ts";

/** `textile/fabric/knit` → `#textile_fabric_knit` (Mastodon hashtags allow letters, digits, _). */
export function categoryHashtag(category: string): string {
  return `#${category.replace(/[/-]/g, "_")}`;
}

/** One readable line of the terms, so a listing reads well as a fediverse post. */
export function termsText(l: ListingData): string {
  const parts: string[] = [{ offer: "Offer", capacity: "Capacity", need: "Wanted" }[l.kind]];
  if (l.quantity)
    parts.push(`${l.quantity.amount} ${unitName(l.quantity.unit)}${l.kind === "need" ? "" : " available"}`);
  if (l.rate) parts.push(`${l.rate.amount} ${unitName(l.rate.unit)} per ${periodName(l.rate.per)}`);
  if (l.minimumOrder) parts.push(`minimum order ${l.minimumOrder.amount} ${unitName(l.minimumOrder.unit)}`);
  if (l.price) {
    parts.push(`${l.price.amount} ${l.price.currency}${l.price.per ? ` per ${unitName(l.price.per)}` : ""}`);
  }
  if (l.availableFrom || l.availableUntil) {
    const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "…");
    parts.push(`${day(l.availableFrom)} to ${day(l.availableUntil)}`);
  }
  if (l.region) parts.push(l.region);
  return parts.join(" · ");
}

function unitName(code: string): string {
  return UNIT_CODES[code] ? `${UNIT_CODES[code]}${code === "H87" || code === "C62" ? "s" : ""} (${code})` : code;
}

function periodName(period: string): string {
  const match = /^P(\d+)([DWMY])$/.exec(period);
  if (!match) return period;
  const unit = { D: "day", W: "week", M: "month", Y: "year" }[match[2] as "D" | "W" | "M" | "Y"];
  return match[1] === "1" ? unit : `${match[1]} ${unit}s`;
}
