// The order form, from one of a partner's listings: the listing's terms,
// then quantity, unit price (the listing's, prefilled), delivery window,
// where to deliver, partial delivery and a note. "Check totals" shows the
// line and order totals the server computes in decimals (no script needed);
// "Place order" sends it. A refusal keeps what was typed, the reason next
// to each field.
import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError, type FieldError } from "../actions/errors.ts";
import { orderableListing, partnerNames, placeCheckedOrder, type Quote, quoteOrder } from "../actions/order-form.ts";
import type { ListingRow } from "../domain/records.ts";
import {
  csrfField,
  type FormState,
  formState,
  problemSummary,
  selectField,
  textareaField,
  textField,
} from "./forms.ts";
import { listingFacts, unitName } from "./listing-view.ts";
import { amountText, moneyText } from "./order-words.ts";
import { ordersPage } from "./orders.ts";
import { formFields, setFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";

type Html = ReturnType<typeof html>;

const L = "lines.0";

/** Field name → its label, so an error reads as a sentence ("Quantity is below …"). */
const LABELS: Record<string, string> = {
  [`${L}.quantity.amount`]: "Quantity",
  [`${L}.unitPrice.amount`]: "Unit price",
  [`${L}.deliveryDate`]: "The date for this line",
  "deliveryWindow.from": "The first delivery day",
  "deliveryWindow.until": "The last delivery day",
  "deliverTo.name": "The name",
  "deliverTo.address": "The address",
  "deliverTo.region": "The region",
  partialDelivery: "Partial delivery",
  note: "The note",
};

/** Errors on parts without a field of their own are shown by the field they concern. */
const SHOWN_AT: Record<string, string> = {
  [`${L}.quantity`]: `${L}.quantity.amount`,
  [`${L}.quantity.unit`]: `${L}.quantity.amount`,
  [`${L}.unitPrice`]: `${L}.unitPrice.amount`,
  [`${L}.unitPrice.currency`]: `${L}.unitPrice.amount`,
  deliverTo: "deliverTo.name",
  deliveryWindow: "deliveryWindow.until",
};

function friendly(message: string): string {
  return /^Too small: expected string/.test(message) ? "must be filled in" : message;
}

/** The errors by field, each read as a sentence; those with no field stay for the summary. */
function placeErrors(errors: FieldError[]): { byField: FieldError[]; rest: string[] } {
  const byField: FieldError[] = [];
  const rest: string[] = [];
  for (const e of errors) {
    const field = SHOWN_AT[e.field] ?? e.field;
    const label = LABELS[field];
    if (label) byField.push({ field, message: `${label} ${friendly(e.message)}.` });
    else rest.push(`${e.field === `${L}.listing` ? "The listing" : e.field} ${e.message}.`);
  }
  return { byField, rest };
}

/** The form's fields as the order input placeOrder takes; empty optional fields are left out. */
function orderInput(v: Record<string, string>) {
  const s = (name: string) => (v[name] ?? "").trim();
  const orNull = (name: string) => s(name) || null;
  const input: Record<string, unknown> = {
    lines: [
      {
        listing: s(`${L}.listing`),
        quantity: { amount: s(`${L}.quantity.amount`), unit: s(`${L}.quantity.unit`) },
        unitPrice: { amount: s(`${L}.unitPrice.amount`), currency: s(`${L}.unitPrice.currency`) },
        ...(s(`${L}.deliveryDate`) ? { deliveryDate: s(`${L}.deliveryDate`) } : {}),
      },
    ],
    partialDelivery: s("partialDelivery") !== "no",
  };
  if (s("deliveryWindow.from") || s("deliveryWindow.until")) {
    input.deliveryWindow = { from: orNull("deliveryWindow.from"), until: orNull("deliveryWindow.until") };
  }
  if (s("deliverTo.name") || s("deliverTo.address") || s("deliverTo.region")) {
    input.deliverTo = {
      name: s("deliverTo.name"),
      address: orNull("deliverTo.address"),
      region: orNull("deliverTo.region")?.toUpperCase() ?? null,
    };
  }
  if (s("note")) input.note = s("note");
  return input;
}

function defaults(listing: ListingRow): Record<string, string> {
  return {
    [`${L}.listing`]: listing.iri,
    [`${L}.quantity.amount`]: listing.minimumAmount ?? "",
    [`${L}.quantity.unit`]: listing.quantityUnit ?? listing.rateUnit ?? listing.pricePer ?? "",
    [`${L}.unitPrice.amount`]: listing.priceAmount ?? "",
    [`${L}.unitPrice.currency`]: listing.priceCurrency ?? "",
    partialDelivery: "yes",
  };
}

function quoteTable(quote: Quote, v: Record<string, string>): Html {
  const unit = v[`${L}.quantity.unit`] ?? "";
  return html`<section class="panel quote" aria-labelledby="totals" tabindex="-1" id="totals-box">
<h2 id="totals">Totals</h2>
<table class="cards">
<thead><tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col">Unit price</th><th scope="col">Line total</th></tr></thead>
<tbody>${quote.lines.map(
    (l) => html`<tr><td data-label="Item">${l.title}</td>
<td data-label="Quantity">${amountText(v[`${L}.quantity.amount`] ?? "", unit)}</td>
<td data-label="Unit price">${moneyText(v[`${L}.unitPrice.amount`] ?? "", quote.currency)}</td>
<td data-label="Line total" class="num">${moneyText(l.total, quote.currency)}</td></tr>`,
  )}</tbody>
</table>
<p class="order-total">Order total: <strong>${moneyText(quote.total, quote.currency)}</strong> <span class="meta">(${quote.currency}, rounded to the currency's smallest unit)</span></p>
</section>`;
}

async function formPage(
  c: WorkspaceContext,
  listing: ListingRow,
  form: FormState,
  o: { problem?: string; quote?: Quote; status?: 200 | 400 } = {},
) {
  const weft = c.get("deps");
  const seller = (await partnerNames(weft, [listing.authorIri])).get(listing.authorIri) ?? "";
  const v = form.values;
  const unit = v[`${L}.quantity.unit`] ?? "";
  const currency = v[`${L}.unitPrice.currency`] ?? "";
  const unitWords = unit ? ` (${unitName(unit, true)})` : "";
  const priceWords = currency ? ` (${currency}${unit ? ` per ${unitName(unit, false)}` : ""})` : "";
  const body = html`<p class="back"><a href="/app/orders">← Orders</a></p>
<h1>Order from ${seller}</h1>
<section class="panel" aria-labelledby="listing-title">
<h2 id="listing-title">${listing.title}</h2>
<p class="meta">A listing of ${seller}. Their terms:</p>
${listingFacts(listing)}
</section>
${problemSummary(o.problem)}
${o.quote ? quoteTable(o.quote, v) : ""}
<form method="post" action="/app/orders/new" novalidate class="order-form">
${csrfField(c.get("csrfToken"))}
<input type="hidden" name="${L}.listing" value="${v[`${L}.listing`]}">
<input type="hidden" name="${L}.quantity.unit" value="${unit}">
<input type="hidden" name="${L}.unitPrice.currency" value="${currency}">
<fieldset><legend>What you order</legend>
${textField({ name: `${L}.quantity.amount`, label: `Quantity${unitWords}`, form, required: true, hint: listing.minimumAmount ? `At least ${amountText(listing.minimumAmount, listing.minimumUnit ?? unit)}.` : undefined })}
${textField({ name: `${L}.unitPrice.amount`, label: `Unit price${priceWords}`, form, required: true, hint: "The listing's price; change it only if you agreed another with the seller." })}
${textField({ name: `${L}.deliveryDate`, label: "Deliver by (optional)", form, type: "date" })}
</fieldset>
<fieldset><legend>Delivery</legend>
<div class="pair">
${textField({ name: "deliveryWindow.from", label: "Earliest delivery (optional)", form, type: "date" })}
${textField({ name: "deliveryWindow.until", label: "Latest delivery (optional)", form, type: "date" })}
</div>
${textField({ name: "deliverTo.name", label: "Deliver to: name", form, autocomplete: "organization", hint: "Who receives the goods. Leave the three delivery fields empty to agree it later." })}
${textareaField({ name: "deliverTo.address", label: "Deliver to: address (optional)", form, rows: 3 })}
${textField({ name: "deliverTo.region", label: "Deliver to: region (optional)", form, hint: "Country and region code, such as US-NC or DE-BY." })}
${selectField({
  name: "partialDelivery",
  label: "Partial delivery",
  form,
  options: [
    { value: "yes", label: "Yes: the seller may ship in parts" },
    { value: "no", label: "No: everything in one shipment" },
  ],
})}
</fieldset>
${textareaField({ name: "note", label: "Note to the seller (optional)", form, rows: 3 })}
<div class="inline buttons">
<button type="submit" name="intent" value="check" class="secondary">Check totals</button>
<button type="submit" name="intent" value="place">Place order</button>
</div>
<p class="meta">Placing the order sends it to ${seller}; they accept it, reject it or propose changes.</p>
</form>`;
  return ordersPage(c, `Order from ${seller}`, body, o.status ?? 200);
}

async function missingListing(c: WorkspaceContext) {
  const body = html`<h1>Listing not found</h1>
<div class="problem" role="alert"><p>This co-op does not know that listing from a partner: it may have been withdrawn, or you do not follow its co-op yet. Find a listing under <a href="/app/search">Find capacity</a> or <a href="/app/partners">Partners</a> and choose “Order from this listing”.</p></div>`;
  return ordersPage(c, "Listing not found", body, 404);
}

async function findListing(c: WorkspaceContext, iri: string): Promise<ListingRow | undefined> {
  try {
    return await orderableListing(c.get("deps"), iri);
  } catch (error) {
    if (error instanceof ActionError && error.kind === "not_found") return undefined;
    throw error;
  }
}

export function registerOrderForm(app: Hono<WorkspaceEnv>): void {
  app.get("/app/orders/new", async (c) => {
    const listing = await findListing(c, c.req.query("listing") ?? "");
    if (!listing) return missingListing(c);
    return formPage(c, listing, formState(defaults(listing)));
  });

  app.post("/app/orders/new", async (c) => {
    const fields = await formFields(c);
    const listing = await findListing(c, fields[`${L}.listing`] ?? "");
    if (!listing) return missingListing(c);
    // Only what the form holds comes back; the unit and currency stay the listing's.
    const values = { ...defaults(listing), ...fields };
    delete values._csrf;
    delete values.intent;
    const input = orderInput(values);
    const weft = c.get("deps");
    try {
      if (fields.intent !== "place") {
        return await formPage(c, listing, formState(values), { quote: await quoteOrder(weft, input) });
      }
      const order = await placeCheckedOrder(weft, input);
      setFlash(c, { message: `Your order was sent. It now waits for the seller's answer.` });
      return c.redirect(`/app/orders/${order.id}`, 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      const { byField, rest } = placeErrors(error.errors);
      const problem = [
        byField.length > 0
          ? `${fields.intent === "place" ? "The order was not sent" : "The totals could not be worked out"}: correct the fields marked below.`
          : error.message,
        ...rest,
      ].join(" ");
      return formPage(c, listing, formState(values, byField), { problem, status: 400 });
    }
  });
}
