CREATE TABLE "listing_tombstones" (
	"iri" text PRIMARY KEY NOT NULL,
	"author_iri" text NOT NULL,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"iri" text NOT NULL,
	"author_iri" text NOT NULL,
	"local" boolean NOT NULL,
	"source" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"title" text NOT NULL,
	"description_source" text,
	"description_html" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"quantity_amount" numeric,
	"quantity_unit" text,
	"minimum_amount" numeric,
	"minimum_unit" text,
	"price_amount" numeric,
	"price_currency" text,
	"price_per" text,
	"rate_amount" numeric,
	"rate_unit" text,
	"rate_per" text,
	"available_from" timestamp with time zone,
	"available_until" timestamp with time zone,
	"region" text,
	"latitude" double precision,
	"longitude" double precision,
	"visibility" text NOT NULL,
	"partners" text[] DEFAULT '{}'::text[] NOT NULL,
	"published" timestamp with time zone NOT NULL,
	"updated" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "listings_iri_unique" UNIQUE("iri")
);
--> statement-breakpoint
ALTER TABLE "outbox_activities" ADD COLUMN "recipients" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "listings_timeline_idx" ON "listings" USING btree ("updated","id");--> statement-breakpoint
CREATE INDEX "listings_author_idx" ON "listings" USING btree ("author_iri");--> statement-breakpoint
CREATE INDEX "listings_kind_idx" ON "listings" USING btree ("kind","status");