CREATE TABLE "order_events" (
	"id" text PRIMARY KEY NOT NULL,
	"order_iri" text NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"base" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"activity" jsonb,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"iri" text NOT NULL,
	"role" text NOT NULL,
	"buyer_iri" text NOT NULL,
	"seller_iri" text NOT NULL,
	"currency" text NOT NULL,
	"state" text NOT NULL,
	"version" integer NOT NULL,
	"total" numeric NOT NULL,
	"view" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_iri_unique" UNIQUE("iri")
);
--> statement-breakpoint
CREATE INDEX "order_events_order_idx" ON "order_events" USING btree ("order_iri");--> statement-breakpoint
CREATE INDEX "orders_state_idx" ON "orders" USING btree ("role","state");--> statement-breakpoint
CREATE INDEX "orders_updated_idx" ON "orders" USING btree ("updated_at");