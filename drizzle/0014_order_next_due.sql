ALTER TABLE "orders" ADD COLUMN "next_due" date;--> statement-breakpoint
CREATE INDEX "orders_next_due_idx" ON "orders" USING btree ("next_due");--> statement-breakpoint
-- Backfill: the earliest due date of what is still outstanding, as domain/orders/due.ts computes it.
UPDATE "orders" o SET "next_due" = (
  SELECT min(left(coalesce(nullif(l->>'deliveryDate', ''), nullif(o."view"->'terms'->'deliveryWindow'->>'until', '')), 10))::date
  FROM jsonb_array_elements(coalesce(o."view"->'lines', '[]'::jsonb)) AS l
  WHERE l->>'status' <> 'not_accepted'
    AND (l->'quantity'->>'amount')::numeric
      - (CASE WHEN o."role" = 'seller' THEN l->>'shipped' ELSE l->>'received' END)::numeric
      - (l->>'cancelled')::numeric > 0
) WHERE o."version" > 0;
