DROP INDEX "listings_category_idx";--> statement-breakpoint
CREATE INDEX "listings_category_point_idx" ON "listings" USING btree ("category" text_pattern_ops,"latitude","longitude");