// The form to publish or edit a listing: every field the API takes, grouped
// as a co-op member thinks of them (what, how much, price, when, where, who
// sees it), units and currencies by name, categories suggested from those
// already in use, and each error next to its field with what was typed kept.
import { html } from "hono/html";
import { isCurrencyCode, UNIT_CODES } from "../domain/codes.ts";
import type { ListingKind } from "../domain/records.ts";
import { csrfField, type FormState, problemSummary, selectField, textareaField, textField } from "./forms.ts";
import { KIND_LABELS, unitName } from "./listing-view.ts";
import { locationPicker } from "./location-picker.ts";

type Html = ReturnType<typeof html>;

export interface Partner {
  iri: string;
  name: string;
}

export interface ListingFormOptions {
  action: string;
  csrf: string;
  /** On an edit the kind is fixed and shown, not asked. */
  fixedKind?: ListingKind;
  form: FormState;
  partnersChosen: string[];
  partners: Partner[];
  categories: string[];
  problem?: string;
  submit: string;
  cancel: string;
}

/** Categories offered before any listing uses them: the trades Weft's co-ops work in. */
const STARTER_CATEGORIES = [
  "apparel/cut-and-sew",
  "apparel/finishing",
  "textile/dyeing",
  "textile/fabric/knit",
  "textile/fabric/woven",
  "textile/fibre",
  "textile/printing",
  "textile/yarn",
  "textile/yarn/cotton",
  "textile/yarn/wool",
];

const currencyNames = new Intl.DisplayNames("en", { type: "currency" });

/** "metres (MTR)", by name first, the code as the secondary detail. */
export const UNIT_OPTIONS = Object.keys(UNIT_CODES)
  .map((code) => ({ value: code, label: `${unitName(code, true)} (${code})` }))
  .sort((a, b) => a.label.localeCompare(b.label));

const CURRENCY_OPTIONS = Intl.supportedValuesOf("currency")
  .filter(isCurrencyCode)
  .map((code) => ({ value: code, label: `${currencyNames.of(code) ?? code} (${code})` }))
  .sort((a, b) => a.label.localeCompare(b.label));

export const PERIOD_OPTIONS = [
  { value: "P1D", label: "a day" },
  { value: "P1W", label: "a week" },
  { value: "P2W", label: "two weeks" },
  { value: "P1M", label: "a month" },
  { value: "P1Y", label: "a year" },
];

const KIND_OPTIONS = (Object.keys(KIND_LABELS) as ListingKind[]).map((k) => ({ value: k, label: KIND_LABELS[k] }));

function choose(first: string, options: { value: string; label: string }[]) {
  return [{ value: "", label: first }, ...options];
}

/** A group of radio buttons with its legend, hint and error, as forms.ts does for single fields. */
function radioGroup(o: {
  name: string;
  legend: string;
  options: { value: string; label: string; hint?: string }[];
  form: FormState;
  selected: string;
  extra?: Html;
}): Html {
  const error = o.form.errors[o.name];
  const value = o.form.values[o.name] || o.selected;
  return html`<fieldset class="field choices${error ? " invalid" : ""}"${error ? html` aria-describedby="f-${o.name}-error"` : ""}>
<legend>${o.legend}</legend>
${error ? html`<span class="error" id="f-${o.name}-error">${error}</span>` : ""}
${o.options.map(
  (
    opt,
  ) => html`<div class="choice"><input type="radio" id="f-${o.name}-${opt.value}" name="${o.name}" value="${opt.value}"${opt.value === value ? html` checked` : ""}>
<label for="f-${o.name}-${opt.value}">${opt.label}${opt.hint ? html` <span class="hint">${opt.hint}</span>` : ""}</label></div>`,
)}
${o.extra ?? ""}
</fieldset>`;
}

function partnerChoices(o: ListingFormOptions): Html {
  const known = new Map(o.partners.map((p) => [p.iri, p.name]));
  // A partner chosen before and no longer followed still shows, so an edit keeps it.
  for (const iri of o.partnersChosen) if (!known.has(iri)) known.set(iri, new URL(iri).host);
  const all = [...known];
  if (all.length === 0) {
    return html`<p class="hint">No partners yet: co-ops you follow or that follow you appear here. <a href="/app/partners">Find partners</a>.</p>`;
  }
  return html`<fieldset class="partners">
<legend>Chosen partners <span class="hint">(when "Only chosen partners" is picked)</span></legend>
${all.map(
  (
    [iri, name],
    i,
  ) => html`<div class="choice"><input type="checkbox" id="f-partner-${i}" name="partner.${i}" value="${iri}"${o.partnersChosen.includes(iri) ? html` checked` : ""}>
<label for="f-partner-${i}">${name}</label></div>`,
)}
</fieldset>`;
}

export function listingForm(o: ListingFormOptions): Html {
  const form = o.form;
  const categories = [...new Set([...o.categories, ...STARTER_CATEGORIES])].sort();
  const decimal = "decimal" as const;
  return html`${problemSummary(o.problem)}
<form method="post" action="${o.action}" class="listing-form" novalidate>
${csrfField(o.csrf)}
<fieldset class="group"><legend>What</legend>
${
  o.fixedKind
    ? html`<p><strong>Kind:</strong> ${KIND_LABELS[o.fixedKind]} <span class="meta">The kind cannot change; publish a new listing instead.</span></p>`
    : selectField({
        name: "kind",
        label: "Kind",
        options: KIND_OPTIONS,
        selected: "offer",
        form,
        hint: "Offer: goods you sell. Capacity: production time you sell (with a rate). Need: something you want to buy.",
      })
}
${textField({ name: "title", label: "Title", form, required: true, hint: "What it is, in a few words (at most 200 characters)." })}
${textField({ name: "category", label: "Category", form, required: true, list: "categories", hint: "Pick one of the suggestions or type your own: lower-case words joined by /, most general first (textile/fabric/knit)." })}
<datalist id="categories">${categories.map((c) => html`<option value="${c}"></option>`)}</datalist>
${textareaField({ name: "description", label: "Description (optional)", form, rows: 6, hint: "Details a buyer needs. Markdown works: **bold**, lists, links." })}
</fieldset>

<fieldset class="group"><legend>How much</legend>
<div class="pair">
${textField({ name: "quantity.amount", label: "Quantity available (or wanted)", form, inputmode: decimal, hint: "For an offer or a need, e.g. 500." })}
${selectField({ name: "quantity.unit", label: "Unit of the quantity", form, options: choose("Choose a unit", UNIT_OPTIONS) })}
</div>
<div class="pair">
${textField({ name: "minimumOrder.amount", label: "Minimum order (optional)", form, inputmode: decimal, hint: "The least a buyer may order." })}
${selectField({ name: "minimumOrder.unit", label: "Unit of the minimum", form, options: choose("Same unit as the quantity", UNIT_OPTIONS) })}
</div>
<div class="triple">
${textField({ name: "rate.amount", label: "Rate (capacity only)", form, inputmode: decimal, hint: "How much you can make per period, e.g. 2000." })}
${selectField({ name: "rate.unit", label: "Unit of the rate", form, options: choose("Choose a unit", UNIT_OPTIONS) })}
${selectField({ name: "rate.per", label: "Per", form, options: PERIOD_OPTIONS, selected: "P1W" })}
</div>
</fieldset>

<fieldset class="group"><legend>Price</legend>
<div class="triple">
${textField({ name: "price.amount", label: "Price (optional)", form, inputmode: decimal, hint: "e.g. 7.40" })}
${selectField({ name: "price.currency", label: "Currency", form, options: choose("Choose a currency", CURRENCY_OPTIONS) })}
${selectField({ name: "price.per", label: "Price per", form, options: choose("Not per a unit", UNIT_OPTIONS), hint: "Usually the quantity's unit." })}
</div>
</fieldset>

<fieldset class="group"><legend>When</legend>
<div class="pair">
${textField({ name: "availableFrom", label: "Available from (optional)", form, type: "date", hint: "First day, e.g. 2027-01-04." })}
${textField({ name: "availableUntil", label: "Available until (optional)", form, type: "date", hint: "Last day, included." })}
</div>
</fieldset>

<fieldset class="group"><legend>Where</legend>
${textField({ name: "region", label: "Country or region (optional)", form, hint: "A code such as US, US-NC or PT-13." })}
<div class="pair">
${textField({ name: "location.lat", label: "Latitude (optional)", form, inputmode: decimal, hint: "Degrees north, e.g. 35.745." })}
${textField({ name: "location.lon", label: "Longitude (optional)", form, inputmode: decimal, hint: "Degrees east, e.g. -81.685 (west is negative)." })}
</div>
${locationPicker()}
</fieldset>

<fieldset class="group"><legend>Who sees it</legend>
${radioGroup({
  name: "visibility",
  legend: "Audience",
  form,
  selected: "public",
  options: [
    { value: "public", label: "Everyone", hint: "(public page, search and every co-op)" },
    { value: "followers", label: "Co-ops that follow us" },
    { value: "partners", label: "Only chosen partners" },
  ],
  extra: partnerChoices(o),
})}
${radioGroup({
  name: "status",
  legend: "Status",
  form,
  selected: "active",
  options: [
    { value: "active", label: "Active", hint: "(shown to its audience)" },
    { value: "paused", label: "Paused", hint: "(kept here, hidden from others)" },
  ],
})}
</fieldset>
<div class="actions"><button type="submit">${o.submit}</button> <a href="${o.cancel}">Cancel</a></div>
</form>`;
}
