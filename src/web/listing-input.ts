// From the listing form's fields to the use case's input, and back: the
// form's field names are the input's dotted paths (`price.amount`), so an
// error the use case names by path lands next to the field it concerns.
// What the API's schema would refuse before the use case (a date that is
// not a date, a latitude that is not a number) is checked here, in words.
import type { FieldError } from "../actions/errors.ts";
import type { ListingInput, ListingJson } from "../actions/listings.ts";
import { LISTING_KINDS, type ListingKind } from "../domain/records.ts";

/** Every field the form has, by name; errors for other paths go to the summary only. */
export const FORM_FIELDS = [
  "kind",
  "title",
  "description",
  "category",
  "quantity.amount",
  "quantity.unit",
  "minimumOrder.amount",
  "minimumOrder.unit",
  "price.amount",
  "price.currency",
  "price.per",
  "rate.amount",
  "rate.unit",
  "rate.per",
  "availableFrom",
  "availableUntil",
  "region",
  "location.lat",
  "location.lon",
  "visibility",
  "status",
] as const;

/** Where an error about `path` shows: the field itself, or the first field of the group it names. */
export function formFieldOf(path: string): string | undefined {
  if ((FORM_FIELDS as readonly string[]).includes(path)) return path;
  if (path.startsWith("visibility")) return "visibility";
  const first: Record<string, string> = {
    quantity: "quantity.amount",
    minimumOrder: "minimumOrder.amount",
    price: "price.amount",
    rate: "rate.amount",
    location: "location.lat",
  };
  return first[path.split(".")[0] ?? ""];
}

/** The rules' wording is for API users; a co-op member reads these instead. */
export function friendlyMessage(message: string): string {
  const plain: [RegExp, string][] = [
    [/^must be a decimal string/, "Write an amount such as 500 or 7.40: digits and at most one dot, no commas."],
    [/^must not be before availableFrom/, "Must not be before the first day available."],
    [
      /^capacity listings need a rate/,
      "Capacity needs a rate: how much you can make per period, e.g. 2000 pieces a week.",
    ],
    [/^only capacity listings have a rate/, "Only capacity has a rate; leave it empty for an offer or a need."],
    [/^must be the unit of quantity/, "Must be the same unit as the quantity."],
    [/^must be an ISO 3166/, "Write a country or region code such as US or US-NC."],
    [/^must be a path such as/, "Write lower-case words joined by /, most general first, e.g. textile/fabric/knit."],
    [/^a partners listing needs partners/, "Choose at least one partner, or another audience."],
    [/is not a known (UN\/ECE Rec 20 )?unit code/, "Choose a unit from the list."],
    [/is not an ISO 4217 currency/, "Choose a currency from the list."],
  ];
  const found = plain.find(([pattern]) => pattern.test(message));
  if (found) return found[1];
  return message.charAt(0).toUpperCase() + message.slice(1) + (/[.!?]$/.test(message) ? "" : ".");
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^-?\d{1,3}(\.\d+)?$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

export interface FormReading {
  input: ListingInput;
  /** What is wrong before the use case is even asked. */
  errors: FieldError[];
}

/**
 * The form's values as a listing. Empty optional fields are null (on an
 * edit, null clears them); an amount without its unit, half a point, or a
 * date the browser did not send as a date is an error by that field.
 */
export function readListingForm(v: Record<string, string>, partnersChosen: string[]): FormReading {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });
  const get = (name: string) => (v[name] ?? "").trim();

  const kind = get("kind") as ListingKind;
  if (!(LISTING_KINDS as readonly string[]).includes(kind)) err("kind", "Choose offer, capacity or need.");
  const title = get("title");
  if (!title) err("title", "Give the listing a title.");
  else if (title.length > 200) err("title", "Keep the title to 200 characters or fewer.");
  const description = v.description ?? "";
  if (description.length > 20_000) err("description", "Keep the description to 20,000 characters or fewer.");
  const category = get("category");
  if (!category) err("category", "Choose or type a category, e.g. textile/fabric/knit.");

  const amountWithUnit = (group: "quantity" | "rate" | "minimumOrder", fallbackUnit = "") => {
    const amount = get(`${group}.amount`);
    if (!amount) return null;
    const unit = get(`${group}.unit`) || fallbackUnit;
    if (!unit) err(`${group}.unit`, "Choose the unit this amount is in.");
    return { amount, unit };
  };
  const quantity = amountWithUnit("quantity");
  const rateAmount = amountWithUnit("rate");
  const rate = rateAmount ? { ...rateAmount, per: get("rate.per") || "P1W" } : null;
  const minimumOrder = amountWithUnit("minimumOrder", quantity?.unit ?? rate?.unit ?? "");

  let price: ListingInput["price"] = null;
  const priceAmount = get("price.amount");
  if (priceAmount) {
    const currency = get("price.currency");
    if (!currency) err("price.currency", "Choose the currency of the price.");
    const per = get("price.per");
    price = { amount: priceAmount, currency, ...(per ? { per } : {}) };
  }

  const date = (name: "availableFrom" | "availableUntil") => {
    const value = get(name);
    if (!value) return null;
    if (!validDate(value)) err(name, "Give a date such as 2027-01-04 (year-month-day).");
    return value;
  };

  let location: ListingInput["location"] = null;
  const lat = get("location.lat");
  const lon = get("location.lon");
  if (lat || lon) {
    for (const [name, value] of [
      ["location.lat", lat],
      ["location.lon", lon],
    ] as const) {
      if (!value) err(name, "Give both latitude and longitude, or neither.");
      else if (!NUMBER.test(value)) err(name, "Write a number in degrees, such as 35.745 or -81.685.");
    }
    location = { lat: Number(lat), lon: Number(lon) };
  }

  const audience = get("visibility") || "public";
  let visibility: ListingInput["visibility"] = "public";
  if (audience === "followers" || audience === "public") visibility = audience;
  else if (audience === "partners") {
    if (partnersChosen.length === 0) err("visibility", "Choose at least one partner, or another audience.");
    visibility = partnersChosen;
  } else err("visibility", "Choose who can see this listing.");

  const status = get("status") === "paused" ? "paused" : "active";
  const input: ListingInput = {
    kind,
    title,
    description,
    category,
    quantity,
    minimumOrder,
    price,
    rate,
    availableFrom: date("availableFrom"),
    availableUntil: date("availableUntil"),
    region: get("region") ? get("region").toUpperCase() : null,
    location,
    visibility,
    status,
  };
  return { input, errors };
}

/** The stored listing as the form's values, to edit it. */
export function listingFormValues(l: ListingJson): { values: Record<string, string>; partners: string[] } {
  const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "");
  const values: Record<string, string> = {
    kind: l.kind,
    title: l.title,
    description: l.description ?? "",
    category: l.category,
    "quantity.amount": l.quantity?.amount ?? "",
    "quantity.unit": l.quantity?.unit ?? "",
    "minimumOrder.amount": l.minimumOrder?.amount ?? "",
    "minimumOrder.unit": l.minimumOrder?.unit ?? "",
    "price.amount": l.price?.amount ?? "",
    "price.currency": l.price?.currency ?? "",
    "price.per": l.price?.per ?? "",
    "rate.amount": l.rate?.amount ?? "",
    "rate.unit": l.rate?.unit ?? "",
    "rate.per": l.rate?.per ?? "P1W",
    availableFrom: day(l.availableFrom),
    availableUntil: day(l.availableUntil),
    region: l.region ?? "",
    "location.lat": l.location ? String(l.location.lat) : "",
    "location.lon": l.location ? String(l.location.lon) : "",
    visibility: Array.isArray(l.visibility) ? "partners" : l.visibility,
    status: l.status === "paused" ? "paused" : "active",
  };
  return { values, partners: Array.isArray(l.visibility) ? l.visibility : [] };
}

/** The partners ticked in the form: checkboxes named `partner.0`, `partner.1`… (no repeated names). */
export function chosenPartners(fields: Record<string, string>): string[] {
  return Object.entries(fields)
    .filter(([name, value]) => /^partner\.\d+$/.test(name) && value)
    .map(([, value]) => value);
}
