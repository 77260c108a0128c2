// A listing's terms in words, for people: one line for feeds and posts, and
// the parts pages show one by one (unit names rather than bare UN/ECE Rec 20
// codes, periods as "week" rather than P1W).

import { UNIT_CODES } from "./codes.ts";
import type { ListingData } from "./listing-rules.ts";

/** "metre (MTR)"; a code we do not know stays as it is. */
export function unitLabel(code: string): string {
  return UNIT_CODES[code] ? `${UNIT_CODES[code]}${code === "H87" || code === "C62" ? "s" : ""} (${code})` : code;
}

/** "week", "2 weeks" for P1W, P2W. */
export function periodLabel(period: string): string {
  const match = /^P(\d+)([DWMY])$/.exec(period);
  if (!match) return period;
  const unit = { D: "day", W: "week", M: "month", Y: "year" }[match[2] as "D" | "W" | "M" | "Y"];
  return match[1] === "1" ? unit : `${match[1]} ${unit}s`;
}

/**
 * One readable line of the terms (the Atom feed's summary). Same wording as
 * the fediverse post federation/listing-vocab.ts writes, which can use this.
 */
export function termsLine(l: ListingData): string {
  const parts: string[] = [{ offer: "Offer", capacity: "Capacity", need: "Wanted" }[l.kind]];
  if (l.quantity)
    parts.push(`${l.quantity.amount} ${unitLabel(l.quantity.unit)}${l.kind === "need" ? "" : " available"}`);
  if (l.rate) parts.push(`${l.rate.amount} ${unitLabel(l.rate.unit)} per ${periodLabel(l.rate.per)}`);
  if (l.minimumOrder) parts.push(`minimum order ${l.minimumOrder.amount} ${unitLabel(l.minimumOrder.unit)}`);
  if (l.price) {
    parts.push(`${l.price.amount} ${l.price.currency}${l.price.per ? ` per ${unitLabel(l.price.per)}` : ""}`);
  }
  if (l.availableFrom || l.availableUntil) {
    const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "…");
    parts.push(`${day(l.availableFrom)} to ${day(l.availableUntil)}`);
  }
  if (l.region) parts.push(l.region);
  return parts.join(" · ");
}
