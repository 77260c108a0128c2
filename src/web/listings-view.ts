// How the co-op's own listings read in the workspace: the table of them and
// one listing's terms, from the use case's JSON. Units by name ("500
// metres"), prices in their currency, dates as days, the audience by the
// partners' names; codes only as secondary detail.
import { html, raw } from "hono/html";
import type { ListingJson } from "../actions/listings.ts";
import { sanitizeHtmlContent } from "../domain/html.ts";
import { periodLabel } from "../domain/listing-text.ts";
import type { Partner } from "./listing-form.ts";
import { KIND_LABELS, unitName } from "./listing-view.ts";

type Html = ReturnType<typeof html>;

const numbers = new Intl.NumberFormat("en", { maximumFractionDigits: 6 });
const days = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const countries = new Intl.DisplayNames("en", { type: "region" });

/** "US-NC (United States)": the code as typed, the country by name. */
export function regionLine(code: string): string {
  try {
    const name = countries.of(code.slice(0, 2));
    return name && name !== code.slice(0, 2) ? `${code} (${name})` : code;
  } catch {
    return code;
  }
}

/** "5,000 metres": Intl formats the decimal string exactly, no float in between. */
export function amount(value: string, unit: string): string {
  return `${numbers.format(value as unknown as number)} ${unitName(unit, !/^0*1(\.0*)?$/.test(value))}`;
}

export function quantityLine(l: ListingJson): string {
  const parts: string[] = [];
  if (l.quantity) parts.push(amount(l.quantity.amount, l.quantity.unit));
  if (l.rate) parts.push(`${amount(l.rate.amount, l.rate.unit)} per ${periodLabel(l.rate.per)}`);
  return parts.join(", ") || "Not given";
}

export function priceLine(l: ListingJson): string {
  if (!l.price) return "Not given";
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
  return `${money} (${l.price.currency})${l.price.per ? ` per ${unitName(l.price.per, false)}` : ""}`;
}

export function windowLine(l: ListingJson): string {
  const from = l.availableFrom ? days.format(new Date(l.availableFrom)) : null;
  const until = l.availableUntil ? days.format(new Date(l.availableUntil)) : null;
  if (from && until) return `${from} to ${until}`;
  if (from) return `From ${from}`;
  if (until) return `Until ${until}`;
  return "Open-ended";
}

export function audienceLine(l: ListingJson, partners: Partner[]): string {
  if (l.visibility === "public") return "Everyone";
  if (l.visibility === "followers") return "Co-ops that follow us";
  const names = l.visibility.map((iri) => partners.find((p) => p.iri === iri)?.name ?? new URL(iri).host);
  return `Only ${names.join(", ")}`;
}

function updatedLine(l: ListingJson): string {
  return `${l.updated.slice(0, 16).replace("T", " ")} UTC`;
}

function kindBadge(l: ListingJson): Html {
  return html`<span class="kind kind-${l.kind}">${KIND_LABELS[l.kind]}</span>`;
}

function statusNote(l: ListingJson): Html | string {
  return l.status === "paused" ? html` <span class="paused">Paused</span>` : "";
}

/** The list as a table (stacked cards on a phone). */
export function listingsTable(items: ListingJson[], partners: Partner[]): Html {
  return html`<table class="cards listings">
<thead><tr><th scope="col">Title</th><th scope="col">Kind</th><th scope="col">Quantity</th><th scope="col">Price</th><th scope="col">Available</th><th scope="col">Who sees it</th><th scope="col">Updated</th></tr></thead>
<tbody>${items.map(
    (l) => html`<tr>
<td data-label="Title"><a href="/app/listings/${l.id}">${l.title}</a>${statusNote(l)}<span class="meta">${l.category}</span></td>
<td data-label="Kind">${kindBadge(l)}</td>
<td data-label="Quantity">${quantityLine(l)}</td>
<td data-label="Price">${priceLine(l)}</td>
<td data-label="Available">${windowLine(l)}</td>
<td data-label="Who sees it">${audienceLine(l, partners)}</td>
<td data-label="Updated">${updatedLine(l)}</td>
</tr>`,
  )}</tbody>
</table>`;
}

/** Every term of one listing, as a description list. */
export function listingTerms(l: ListingJson, partners: Partner[]): Html {
  const minimum = l.minimumOrder ? amount(l.minimumOrder.amount, l.minimumOrder.unit) : null;
  const place = [l.region ? regionLine(l.region) : null, l.location ? `${l.location.lat}, ${l.location.lon}` : null]
    .filter(Boolean)
    .join(" · ");
  return html`<dl class="facts terms">
<div><dt>Kind</dt><dd>${kindBadge(l)}</dd></div>
<div><dt>Status</dt><dd>${l.status === "paused" ? "Paused: kept here, hidden from others" : "Active"}</dd></div>
<div><dt>${l.kind === "need" ? "Wanted" : "Available"}</dt><dd>${quantityLine(l)}</dd></div>
${minimum ? html`<div><dt>Minimum order</dt><dd>${minimum}</dd></div>` : ""}
<div><dt>Price</dt><dd>${priceLine(l)}</dd></div>
<div><dt>When</dt><dd>${windowLine(l)}</dd></div>
<div><dt>Where</dt><dd>${place || "Not given"}</dd></div>
<div><dt>Category</dt><dd>${l.category}</dd></div>
<div><dt>Who sees it</dt><dd>${audienceLine(l, partners)}</dd></div>
<div><dt>Published</dt><dd>${updatedLine({ ...l, updated: l.published })}</dd></div>
<div><dt>Last changed</dt><dd>${updatedLine(l)}</dd></div>
</dl>
${l.descriptionHtml ? html`<h2>Description</h2><div class="description">${raw(sanitizeHtmlContent(l.descriptionHtml))}</div>` : ""}`;
}
