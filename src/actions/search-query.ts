// The rules for a search's filters, shared by GET /api/v1/search and the
// Find capacity page: both take the same flat strings (a query string), so
// both refuse the same bad filter with the same words.
import { z } from "zod";
import { DECIMAL_PATTERN, isCurrencyCode, isUnitCode } from "../domain/codes.ts";
import { CATEGORY_PATTERN } from "../domain/listing-rules.ts";
import { LISTING_KINDS } from "../domain/records.ts";
import { isRegionCode } from "../domain/regions.ts";
import { fieldErrorsOf, invalidInput } from "./errors.ts";
import type { SearchInput } from "./search.ts";

const date = z.iso.date({ error: "must be an ISO 8601 date such as 2027-02-01" });

export const SearchQuerySchema = z
  .object({
    q: z
      .string()
      .max(200, "must be at most 200 characters")
      .optional()
      .describe("Words to find in titles and descriptions"),
    kind: z.enum(LISTING_KINDS, { error: "must be offer, capacity or need" }).optional(),
    category: z.string().regex(CATEGORY_PATTERN, "must be a path such as apparel/cut-and-sew").optional(),
    region: z.string().refine(isRegionCode, "must be an ISO 3166 code such as US or US-NC").optional(),
    near: z
      .string()
      .regex(/^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$/, "must be lat,lon such as 35.745,-81.685")
      .refine((v) => {
        const [lat, lon] = v.split(",").map(Number) as [number, number];
        return Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
      }, "is outside the range of latitudes and longitudes")
      .optional(),
    radiusKm: z.coerce.number({ error: "must be a number" }).positive("must be positive").max(20_000).optional(),
    from: date.optional(),
    until: date.optional(),
    minQuantity: z.string().regex(DECIMAL_PATTERN, 'must be a decimal such as "3000"').optional(),
    unit: z.string().refine(isUnitCode, "is not a known UN/ECE Rec 20 unit code").optional(),
    maxPrice: z.string().regex(DECIMAL_PATTERN, 'must be a decimal such as "12.50"').optional(),
    currency: z.string().refine(isCurrencyCode, "is not an ISO 4217 currency code").optional(),
    sort: z.enum(["relevance", "distance", "newest"], { error: "must be relevance, distance or newest" }).optional(),
    includeExpired: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
    cursor: z
      .string()
      .regex(/^\d{1,6}$/, "is not a cursor from this API")
      .optional(),
    limit: z.coerce.number({ error: "must be a number" }).int().min(1).max(100).default(20),
  })
  .superRefine((p, ctx) => {
    const need = (field: string, other: string, present: unknown, partner: unknown) => {
      if (present !== undefined && partner === undefined) {
        ctx.addIssue({ code: "custom", path: [field], message: `needs ${other} as well` });
      }
    };
    need("radiusKm", "near", p.radiusKm, p.near);
    need("minQuantity", "unit", p.minQuantity, p.unit);
    need("maxPrice", "currency", p.maxPrice, p.currency);
    if (p.sort === "distance" && !p.near)
      ctx.addIssue({ code: "custom", path: ["sort"], message: "distance needs near" });
    if (p.sort === "relevance" && !p.q) ctx.addIssue({ code: "custom", path: ["sort"], message: "relevance needs q" });
    if (p.from && p.until && p.until < p.from) {
      ctx.addIssue({ code: "custom", path: ["until"], message: "must not be before from" });
    }
  });

export type SearchQueryParams = z.output<typeof SearchQuerySchema>;

/** The checked flat filters as the search use case's input. */
export function searchInputOf(p: SearchQueryParams): SearchInput {
  const [lat, lon] = p.near ? (p.near.split(",").map(Number) as [number, number]) : [0, 0];
  return {
    ...p,
    near: p.near ? { lat, lon } : undefined,
    minQuantity: p.minQuantity && p.unit ? { amount: p.minQuantity, unit: p.unit } : undefined,
    maxPrice: p.maxPrice && p.currency ? { amount: p.maxPrice, currency: p.currency } : undefined,
    includeExpired: p.includeExpired === "true",
  };
}

/**
 * Checks filters given as strings (empty ones left out) and answers the
 * search input, or refuses with an error per failing filter.
 */
export function parseSearchQuery(raw: Record<string, string | undefined>): SearchInput {
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = SearchQuerySchema.safeParse(given);
  if (!parsed.success) throw invalidInput(fieldErrorsOf(parsed.error.issues));
  return searchInputOf(parsed.data);
}
