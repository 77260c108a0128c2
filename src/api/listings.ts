// /api/v1/listings: the co-op's own offers, capacity and needs.
import { createRoute, z } from "@hono/zod-openapi";
import { editListing, getListing, listListings, publishListing, withdrawListing } from "../actions/listings.ts";
import { LISTING_KINDS, LISTING_STATUSES } from "../domain/records.ts";
import { scoped } from "./auth.ts";
import { router } from "./router.ts";
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

const ListFilter = z.object({
  kind: z.enum(LISTING_KINDS, { error: "must be offer, capacity or need" }).optional(),
  category: z.string().optional(),
  status: z.enum(["active", "paused"], { error: "must be active or paused" }).optional(),
});

export function listingRoutes() {
  return router()
    .openapi(
      createRoute({
        method: "post",
        path: "/listings",
        tags: ["Listings"],
        summary: "Publish an offer, capacity or need; it is sent to its audience at once",
        ...scoped("write"),
        request: { body: { required: true, content: { "application/json": { schema: ListingInputSchema } } } },
        responses: { 201: json(ListingSchema, "The listing"), ...problems(400) },
      }),
      async (c) => c.json(await publishListing(c.get("deps").actions, c.req.valid("json")), 201),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/listings",
        tags: ["Listings"],
        summary: "The co-op's own listings, newest change first",
        ...scoped("read"),
        request: { query: ListFilter },
        responses: { 200: json(z.object({ items: z.array(ListingSchema) }), "Listings"), ...problems(400) },
      }),
      async (c) => c.json({ items: await listListings(c.get("deps").actions, c.req.valid("query")) }, 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/listings/{id}",
        tags: ["Listings"],
        summary: "One of the co-op's listings",
        ...scoped("read"),
        request: { params: IdParam },
        responses: { 200: json(ListingSchema, "The listing"), ...problems(400, 404) },
      }),
      async (c) => c.json(await getListing(c.get("deps").actions, c.req.valid("param").id), 200),
    )
    .openapi(
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
      async (c) => c.json(await editListing(c.get("deps").actions, c.req.valid("param").id, c.req.valid("json")), 200),
    )
    .openapi(
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
        await withdrawListing(c.get("deps").actions, c.req.valid("param").id);
        return c.body(null, 204);
      },
    );
}
