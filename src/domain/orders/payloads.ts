// The shapes of order event payloads, checked wherever they come from: the
// API (our own staff) or another node's activity.
import { z } from "zod";
import { DECIMAL_PATTERN, isCurrencyCode, isUnitCode } from "../codes.ts";
import { isRegionCode } from "../regions.ts";

const decimal = z
  .string({ error: 'must be a decimal string such as "200"' })
  .regex(DECIMAL_PATTERN, 'must be a decimal string such as "200"');
const positive = decimal.refine((v) => !/^0(\.0*)?$/.test(v), "must be more than zero");
const unit = z.string().refine(isUnitCode, "is not a known UN/ECE Rec 20 unit code");
const currency = z.string().refine(isCurrencyCode, "is not an ISO 4217 currency code");
const date = z.iso.date({ error: "must be an ISO 8601 date such as 2027-02-01" });

export const QuantitySchema = z.strictObject({ amount: positive, unit });
export const PriceSchema = z.strictObject({ amount: decimal, currency });
export const LineIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, "must be a short line id");

export const DeliveryWindowSchema = z
  .strictObject({ from: date.nullable().default(null), until: date.nullable().default(null) })
  .refine((w) => !w.from || !w.until || w.from <= w.until, {
    message: "until must not be before from",
    path: ["until"],
  });

export const DeliverToSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  address: z.string().max(1000).nullable().default(null),
  region: z.string().refine(isRegionCode, "must be an ISO 3166 code such as US-NC").nullable().default(null),
});

const OrderLineSchema = z.strictObject({
  id: LineIdSchema,
  listing: z.url(),
  title: z.string().max(200),
  quantity: QuantitySchema,
  unitPrice: PriceSchema,
  deliveryDate: date.nullable().optional(),
});

const OrderTermsSchema = z
  .strictObject({
    lines: z.array(OrderLineSchema).min(1, "an order needs at least one line").max(200),
    currency,
    deliveryWindow: DeliveryWindowSchema.nullable(),
    deliverTo: DeliverToSchema.nullable(),
    partialDelivery: z.boolean(),
    note: z.string().max(5000).nullable(),
  })
  .superRefine((terms, ctx) => {
    const ids = new Set<string>();
    terms.lines.forEach((line, i) => {
      if (ids.has(line.id))
        ctx.addIssue({ code: "custom", path: ["lines", i, "id"], message: "line ids must be unique" });
      ids.add(line.id);
      if (line.unitPrice.currency !== terms.currency) {
        ctx.addIssue({
          code: "custom",
          path: ["lines", i, "unitPrice", "currency"],
          message: "one currency per order",
        });
      }
    });
  });

export const LineChangeSchema = z.strictObject({
  id: LineIdSchema,
  quantity: QuantitySchema.optional(),
  unitPrice: PriceSchema.optional(),
  deliveryDate: date.nullable().optional(),
  accepted: z.boolean().optional(),
});

export const MovedLinesSchema = z
  .array(z.strictObject({ id: LineIdSchema, quantity: positive }))
  .min(1, "name at least one line");

const reason = z.string().trim().min(1, "give a reason").max(2000);

/** Payload schema per event type. */
export const PAYLOAD_SCHEMAS = {
  order: z.strictObject({ type: z.literal("order"), terms: OrderTermsSchema }),
  accept: z.strictObject({ type: z.literal("accept") }),
  reject: z.strictObject({ type: z.literal("reject"), reason }),
  propose_changes: z.strictObject({
    type: z.literal("propose_changes"),
    changes: z.array(LineChangeSchema).min(1),
    note: z.string().max(2000).nullable().optional(),
  }),
  accept_changes: z.strictObject({ type: z.literal("accept_changes") }),
  change: z.strictObject({
    type: z.literal("change"),
    changes: z.array(LineChangeSchema).min(1),
    note: z.string().max(2000).nullable().optional(),
  }),
  accept_change: z.strictObject({ type: z.literal("accept_change") }),
  reject_change: z.strictObject({ type: z.literal("reject_change"), reason: reason.optional() }),
  cancel: z.strictObject({ type: z.literal("cancel"), reason }),
  accept_cancel: z.strictObject({ type: z.literal("accept_cancel") }),
  reject_cancel: z.strictObject({ type: z.literal("reject_cancel"), reason: reason.optional() }),
  ship: z.strictObject({
    type: z.literal("ship"),
    lines: MovedLinesSchema,
    date,
    tracking: z.string().max(200).nullable().optional(),
  }),
  receive: z.strictObject({ type: z.literal("receive"), lines: MovedLinesSchema, date }),
} as const;
