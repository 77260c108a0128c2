// /api/v1/listings: the co-op's own offers, capacity and needs.
import { createRoute, z } from "@hono/zod-openapi";
import { LISTING_KINDS, LISTING_STATUSES, type ListingRow } from "../db/schema.ts";
import { markdownToSafeHtml } from "../domain/html.ts";
import { type ListingData, listingRuleErrors } from "../domain/listing-rules.ts";
import {
  createOwnListing,
  deleteOwnListing,
  getOwnListing,
  listingDataOf,
  listOwnListings,
  updateOwnListing,
} from "../domain/listings.ts";
import { sendListingCreate, sendListingDelete, sendListingUpdate } from "../federation/listings.ts";
import { announceNewMatches } from "../federation/matches.ts";
import { scoped } from "./auth.ts";
import type { ApiApp, ApiDeps } from "./env.ts";
import { ApiError } from "./problem.ts";
import { IdParam, json, problems } from "./schemas.ts";

const decimal = (example: string) =>
  z.string({ error: `must be a decimal string such as "${example}", not a number` }).openapi({ example });

const QuantitySchema = z.strictObject({ amount: decimal("500"), unit: z.string().openapi({ example: "MTR" }) });

/** A date (`2027-01-04`, the whole day in UTC) or a date-time with zone. */
const DateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: "must be an ISO 8601 date (2027-01-04) or date-time with zone (2027-01-04T08:00:00Z)",
});

const listingFields = {
  kind: z.enum(LISTING_KINDS, { error: "must be offer, capacity or need" }),
  title: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  description: z.string().max(20_000, "must be at most 20,000 characters").openapi({ description: "Markdown" }),
  category: z.string().openapi({ example: "textile/fabric/knit" }),
  quantity: QuantitySchema.nullable(),
  minimumOrder: QuantitySchema.nullable(),
  price: z
    .strictObject({
      amount: decimal("7.40"),
      currency: z.string().openapi({ example: "USD" }),
      per: z.string().optional().openapi({ example: "MTR", description: "Unit the price is for" }),
    })
    .nullable(),
  rate: z
    .strictObject({
      amount: decimal("2000"),
      unit: z.string().openapi({ example: "H87" }),
      per: z.string().openapi({ example: "P1W", description: "ISO 8601 period" }),
    })
    .nullable(),
  availableFrom: DateOrDateTime.nullable(),
  availableUntil: DateOrDateTime.nullable(),
  region: z.string().nullable().openapi({ example: "US-NC" }),
  location: z.strictObject({ lat: z.number(), lon: z.number() }).nullable(),
  visibility: z.union([z.enum(["public", "followers"]), z.array(z.url()).min(1, "list at least one partner")], {
    error: 'must be "public", "followers", or a list of partner actor URLs',
  }),
  status: z.enum(["active", "paused"], { error: "must be active or paused" }),
};

const unknownKeys = {
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys?.join(", ")}` : undefined,
};

export const ListingInputSchema = z
  .strictObject(
    {
      ...listingFields,
      description: listingFields.description.optional(),
      quantity: listingFields.quantity.optional(),
      minimumOrder: listingFields.minimumOrder.optional(),
      price: listingFields.price.optional(),
      rate: listingFields.rate.optional(),
      availableFrom: listingFields.availableFrom.optional(),
      availableUntil: listingFields.availableUntil.optional(),
      region: listingFields.region.optional(),
      location: listingFields.location.optional(),
      visibility: listingFields.visibility.default("public"),
      status: listingFields.status.default("active"),
    },
    unknownKeys,
  )
  .openapi("ListingInput");

export const ListingPatchSchema = z
  .strictObject(listingFields, unknownKeys)
  .partial()
  .openapi("ListingPatch", { description: "Fields to change; null clears an optional field." });

type ListingInput = z.infer<typeof ListingInputSchema>;

export const ListingSchema = z
  .object({
    id: z.string(),
    iri: z.string(),
    kind: z.enum(LISTING_KINDS),
    status: z.enum(LISTING_STATUSES),
    title: z.string(),
    description: z.string().nullable(),
    descriptionHtml: z.string(),
    category: z.string(),
    quantity: QuantitySchema.nullable(),
    minimumOrder: QuantitySchema.nullable(),
    price: z.object({ amount: z.string(), currency: z.string(), per: z.string().nullable() }).nullable(),
    rate: z.object({ amount: z.string(), unit: z.string(), per: z.string() }).nullable(),
    availableFrom: z.string().nullable(),
    availableUntil: z.string().nullable(),
    region: z.string().nullable(),
    location: z.object({ lat: z.number(), lon: z.number() }).nullable(),
    visibility: z.union([z.enum(["public", "followers"]), z.array(z.string())]),
    author: z.string(),
    local: z.boolean(),
    source: z.string(),
    published: z.string(),
    updated: z.string(),
  })
  .openapi("Listing");

function toDate(value: string | null | undefined, endOfDay: boolean): Date | null {
  if (!value) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? new Date(`${value}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z`)
    : new Date(value);
}

function listingDataFrom(input: ListingInput): ListingData {
  const partners = Array.isArray(input.visibility) ? input.visibility : [];
  return {
    kind: input.kind,
    title: input.title,
    descriptionHtml: markdownToSafeHtml(input.description ?? ""),
    category: input.category,
    quantity: input.quantity ?? null,
    minimumOrder: input.minimumOrder ?? null,
    price: input.price ? { ...input.price, per: input.price.per ?? null } : null,
    rate: input.rate ?? null,
    availableFrom: toDate(input.availableFrom, false),
    availableUntil: toDate(input.availableUntil, true),
    region: input.region ?? null,
    location: input.location ?? null,
    visibility: Array.isArray(input.visibility) ? "partners" : input.visibility,
    partners,
    status: input.status,
  };
}

/** The stored listing as input again, so a PATCH can be applied on top of it. */
function inputOf(row: ListingRow): ListingInput {
  const data = listingDataOf(row);
  return {
    kind: data.kind,
    title: data.title,
    description: row.descriptionSource ?? undefined,
    category: data.category,
    quantity: data.quantity,
    minimumOrder: data.minimumOrder,
    price: data.price
      ? { amount: data.price.amount, currency: data.price.currency, per: data.price.per ?? undefined }
      : null,
    rate: data.rate,
    availableFrom: data.availableFrom?.toISOString() ?? null,
    availableUntil: data.availableUntil?.toISOString() ?? null,
    region: data.region,
    location: data.location,
    visibility: data.visibility === "partners" ? data.partners : data.visibility,
    status: data.status,
  };
}

export function listingJson(row: ListingRow): z.infer<typeof ListingSchema> {
  const data = listingDataOf(row);
  return {
    id: row.id,
    iri: row.iri,
    kind: row.kind,
    status: row.status,
    title: row.title,
    description: row.descriptionSource,
    descriptionHtml: row.descriptionHtml,
    category: row.category,
    quantity: data.quantity,
    minimumOrder: data.minimumOrder,
    price: data.price,
    rate: data.rate,
    availableFrom: row.availableFrom?.toISOString() ?? null,
    availableUntil: row.availableUntil?.toISOString() ?? null,
    region: row.region,
    location: data.location,
    visibility: row.visibility === "partners" ? row.partners : row.visibility,
    author: row.authorIri,
    local: row.local,
    source: row.source,
    published: row.published.toISOString(),
    updated: row.updated.toISOString(),
  };
}

function checked(input: ListingInput): ListingData {
  const data = listingDataFrom(input);
  const errors = listingRuleErrors(data);
  if (errors.length > 0) {
    throw new ApiError(400, `Invalid ${[...new Set(errors.map((e) => e.field))].join(", ")}`, { errors });
  }
  return data;
}

function contextOf(deps: ApiDeps) {
  return deps.federation.createContext(new URL(deps.services.config.origin), deps.services);
}

async function findOwn(deps: ApiDeps, id: string): Promise<ListingRow> {
  const row = await getOwnListing(deps.services.db, id);
  if (!row || row.status === "deleted") throw new ApiError(404, "No such listing");
  return row;
}

const ListFilter = z.object({
  kind: z.enum(LISTING_KINDS, { error: "must be offer, capacity or need" }).optional(),
  category: z.string().optional(),
  status: z.enum(["active", "paused"], { error: "must be active or paused" }).optional(),
});

export function registerListingRoutes(api: ApiApp): void {
  api.openapi(
    createRoute({
      method: "post",
      path: "/listings",
      tags: ["Listings"],
      summary: "Publish an offer, capacity or need; it is sent to its audience at once",
      ...scoped("write"),
      request: { body: { required: true, content: { "application/json": { schema: ListingInputSchema } } } },
      responses: { 201: json(ListingSchema, "The listing"), ...problems(400) },
    }),
    async (c) => {
      const deps = c.get("deps");
      const input = c.req.valid("json");
      const data = checked(input);
      const ctx = contextOf(deps);
      const author = ctx.getActorUri(deps.services.config.handle).href;
      const row = await createOwnListing(
        deps.services.db,
        deps.services.config.origin,
        author,
        data,
        input.description ?? null,
      );
      await sendListingCreate(ctx, row);
      await announceNewMatches(deps.services.db, row.iri);
      return c.json(listingJson(row), 201);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/listings",
      tags: ["Listings"],
      summary: "The co-op's own listings, newest change first",
      ...scoped("read"),
      request: { query: ListFilter },
      responses: { 200: json(z.object({ items: z.array(ListingSchema) }), "Listings"), ...problems(400) },
    }),
    async (c) => {
      const rows = await listOwnListings(c.get("deps").services.db, c.req.valid("query"));
      return c.json({ items: rows.map(listingJson) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/listings/{id}",
      tags: ["Listings"],
      summary: "One of the co-op's listings",
      ...scoped("read"),
      request: { params: IdParam },
      responses: { 200: json(ListingSchema, "The listing"), ...problems(400, 404) },
    }),
    async (c) => c.json(listingJson(await findOwn(c.get("deps"), c.req.valid("param").id)), 200),
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: "/listings/{id}",
      tags: ["Listings"],
      summary: "Edit a listing; its audience receives an Update",
      ...scoped("write"),
      request: {
        params: IdParam,
        body: { required: true, content: { "application/json": { schema: ListingPatchSchema } } },
      },
      responses: { 200: json(ListingSchema, "The listing after the change"), ...problems(400, 404) },
    }),
    async (c) => {
      const deps = c.get("deps");
      const before = await findOwn(deps, c.req.valid("param").id);
      const patch = c.req.valid("json");
      if (patch.kind !== undefined && patch.kind !== before.kind) {
        throw new ApiError(400, "The kind of a listing cannot change; publish a new listing", {
          errors: [{ field: "kind", message: "cannot change" }],
        });
      }
      const merged = { ...inputOf(before), ...patch } as ListingInput;
      const data = checked(merged);
      const row = await updateOwnListing(deps.services.db, before.id, data, merged.description ?? null);
      if (!row) throw new ApiError(404, "No such listing");
      await sendListingUpdate(contextOf(deps), row, before);
      return c.json(listingJson(row), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: "/listings/{id}",
      tags: ["Listings"],
      summary: "Remove a listing; its audience receives a Delete",
      ...scoped("write"),
      request: { params: IdParam },
      responses: { 204: { description: "Removed" }, ...problems(400, 404) },
    }),
    async (c) => {
      const deps = c.get("deps");
      const before = await findOwn(deps, c.req.valid("param").id);
      const row = await deleteOwnListing(deps.services.db, before.id);
      if (!row) throw new ApiError(404, "No such listing");
      await sendListingDelete(contextOf(deps), row, before);
      return c.body(null, 204);
    },
  );
}
