CREATE TABLE "crawl_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"depth" integer NOT NULL,
	"max_actors" integer NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"visited" integer DEFAULT 0 NOT NULL,
	"discovered" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"listings" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "seen_matches" (
	"need_iri" text NOT NULL,
	"offer_iri" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "seen_matches_need_iri_offer_iri_pk" PRIMARY KEY("need_iri","offer_iri")
);
