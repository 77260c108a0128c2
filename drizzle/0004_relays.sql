CREATE TABLE "relay_members" (
	"actor_iri" text PRIMARY KEY NOT NULL,
	"inbox" text NOT NULL,
	"shared_inbox" text,
	"follow_iri" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "relay_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_iri" text NOT NULL,
	"inbox" text NOT NULL,
	"shared_inbox" text,
	"follow_iri" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "relay_subscriptions_actor_iri_unique" UNIQUE("actor_iri"),
	CONSTRAINT "relay_subscriptions_follow_iri_unique" UNIQUE("follow_iri")
);
