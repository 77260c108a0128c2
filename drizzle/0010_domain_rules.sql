CREATE TABLE "domain_rules" (
	"domain" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "relay_members" ADD COLUMN "state" text DEFAULT 'accepted' NOT NULL;