CREATE TABLE "actor_keys" (
	"algorithm" text PRIMARY KEY NOT NULL,
	"public_key" jsonb NOT NULL,
	"private_key" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "followers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_id" uuid NOT NULL,
	"follow_iri" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "followers_actor_id_unique" UNIQUE("actor_id")
);
--> statement-breakpoint
CREATE TABLE "following" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"actor_id" uuid NOT NULL,
	"follow_iri" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "following_actor_id_unique" UNIQUE("actor_id"),
	CONSTRAINT "following_follow_iri_unique" UNIQUE("follow_iri")
);
--> statement-breakpoint
CREATE TABLE "kv_entries" (
	"key" text[] PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "node_profile" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"name" text,
	"summary" text,
	"region" text,
	"website" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "node_profile_singleton" CHECK ("node_profile"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "outbox_activities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"iri" text NOT NULL,
	"type" text NOT NULL,
	"audience" text NOT NULL,
	"activity" jsonb NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_activities_iri_unique" UNIQUE("iri")
);
--> statement-breakpoint
CREATE TABLE "queue_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message" jsonb NOT NULL,
	"ordering_key" text,
	"deliver_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"locked_by" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remote_actors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"iri" text NOT NULL,
	"type" text NOT NULL,
	"handle" text,
	"name" text,
	"summary" text,
	"url" text,
	"inbox" text NOT NULL,
	"shared_inbox" text,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remote_actors_iri_unique" UNIQUE("iri")
);
--> statement-breakpoint
ALTER TABLE "followers" ADD CONSTRAINT "followers_actor_id_remote_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "following" ADD CONSTRAINT "following_actor_id_remote_actors_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."remote_actors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kv_entries_expires_idx" ON "kv_entries" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "outbox_activities_published_idx" ON "outbox_activities" USING btree ("published_at","id");--> statement-breakpoint
CREATE INDEX "queue_messages_ready_idx" ON "queue_messages" USING btree ("deliver_at","id");--> statement-breakpoint
CREATE INDEX "queue_messages_ordering_idx" ON "queue_messages" USING btree ("ordering_key","id");