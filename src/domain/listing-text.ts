// A listing in words: one readable line of its terms and its category as a
// hashtag, for fediverse posts, the Atom feed and the pages alike, and the
// parts pages show one by one (unit names rather than bare UN/ECE Rec 20
// codes, periods as "week" rather than P1W).
import { UNIT_CODES } from "./codes.ts";
import type { ListingData } from "./listing-rules.ts";

/** `textile/fabric/knit` → `#textile_fabric_knit` (Mastodon hashtags allow letters, digits, _). */
export function categoryHashtag(category: string): string {
  return `#${category.replace(/[/-]/g, "_")}`;
}

const COUNTED = new Set(["H87", "C62"]);

/**
 * "metre (MTR)", "pieces (H87)" after an amount; "piece (H87)" after "per".
 * A code we do not know stays as it is.
 */
function unitLabel(code: string, { after = "amount" }: { after?: "amount" | "per" } = {}): string {
  const name = UNIT_CODES[code];
  if (!name) return code;
  return `${name}${COUNTED.has(code) && after === "amount" ? "s" : ""} (${code})`;
}

/** "week", "2 weeks" for P1W, P2W. */
export function periodLabel(period: string): string {
  const match = /^P(\d+)([DWMY])$/.exec(period);
  if (!match) return period;
  const unit = { D: "day", W: "week", M: "month", Y: "year" }[match[2] as "D" | "W" | "M" | "Y"];
  return match[1] === "1" ? unit : `${match[1]} ${unit}s`;
}

/** One readable line of the terms, so a listing reads well as a fediverse post and in the Atom feed. */
export function termsText(l: ListingData): string {
  const parts: string[] = [{ offer: "Offer", capacity: "Capacity", need: "Wanted" }[l.kind]];
  if (l.quantity)
    parts.push(`${l.quantity.amount} ${unitLabel(l.quantity.unit)}${l.kind === "need" ? "" : " available"}`);
  if (l.rate) parts.push(`${l.rate.amount} ${unitLabel(l.rate.unit)} per ${periodLabel(l.rate.per)}`);
  if (l.minimumOrder) parts.push(`minimum order ${l.minimumOrder.amount} ${unitLabel(l.minimumOrder.unit)}`);
  if (l.price) {
    const per = l.price.per ? ` per ${unitLabel(l.price.per, { after: "per" })}` : "";
    parts.push(`${l.price.amount} ${l.price.currency}${per}`);
  }
  if (l.availableFrom || l.availableUntil) {
    const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "…");
    parts.push(`${day(l.availableFrom)} to ${day(l.availableUntil)}`);
  }
  if (l.region) parts.push(l.region);
  return parts.join(" · ");
}
