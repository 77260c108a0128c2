CREATE TABLE "matches" (
	"need_iri" text NOT NULL,
	"offer_iri" text NOT NULL,
	"our_need" boolean NOT NULL,
	"score" integer NOT NULL,
	"offer_updated" timestamp with time zone NOT NULL,
	"live_until" timestamp with time zone,
	"seen" boolean DEFAULT false NOT NULL,
	CONSTRAINT "matches_need_iri_offer_iri_pk" PRIMARY KEY("need_iri","offer_iri")
);
--> statement-breakpoint
CREATE INDEX "matches_offer_idx" ON "matches" USING btree ("offer_iri");--> statement-breakpoint
CREATE INDEX "matches_best_idx" ON "matches" USING btree ("our_need","score" DESC NULLS FIRST,"offer_updated" DESC NULLS FIRST,"need_iri","offer_iri");--> statement-breakpoint
CREATE INDEX "matches_new_idx" ON "matches" USING btree ("our_need","score" DESC NULLS FIRST,"offer_updated" DESC NULLS FIRST,"need_iri","offer_iri") WHERE NOT "matches"."seen";