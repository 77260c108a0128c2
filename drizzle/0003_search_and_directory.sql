ALTER TABLE "listings" ADD COLUMN "search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', regexp_replace(coalesce(description_html, ''), '<[^>]+>', ' ', 'g')), 'B')) STORED;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "region" text;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "discoverable" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "remote_actors" ADD COLUMN "known_via" text;--> statement-breakpoint
CREATE INDEX "listings_search_idx" ON "listings" USING gin ("search");--> statement-breakpoint
CREATE INDEX "listings_category_idx" ON "listings" USING btree ("category" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "listings_region_idx" ON "listings" USING btree ("region" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "listings_point_idx" ON "listings" USING btree ("latitude","longitude");--> statement-breakpoint
CREATE INDEX "listings_window_idx" ON "listings" USING btree ("available_until");