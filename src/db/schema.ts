// The one Drizzle schema. Migrations in drizzle/ are generated from it with
// `npm run db:generate` and applied at start (src/db/migrate.ts).
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/** PostgreSQL full-text search vector (read-only: a generated column). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/**
 * The co-op's own profile as edited through the API. A null column falls
 * back to the configuration (WEFT_NAME, WEFT_SUMMARY) and then to defaults,
 * so a co-op that never edits its profile can still rename itself by config.
 */
export const nodeProfile = pgTable(
  "node_profile",
  {
    id: integer("id").primaryKey().default(1),
    name: text("name"),
    summary: text("summary"),
    region: text("region"),
    website: text("website"),
    /** false asks other nodes not to list this co-op in directories or crawls. */
    discoverable: boolean("discoverable").notNull().default(true),
    updatedAt: updatedAt(),
  },
  (t) => [check("node_profile_singleton", sql`${t.id} = 1`)],
);
/** The co-op actor's key pairs, generated once on first start. */
export const actorKeys = pgTable("actor_keys", {
  /** `RSASSA-PKCS1-v1_5` (HTTP signatures) or `Ed25519` (object integrity proofs). */
  algorithm: text("algorithm").primaryKey(),
  publicKey: jsonb("public_key").$type<JsonWebKey>().notNull(),
  privateKey: jsonb("private_key").$type<JsonWebKey>().notNull(),
  createdAt: createdAt(),
});
/**
 * Key pairs replaced by `weft keys rotate`, still published (and so still
 * verifying what they signed) until `retiresAt`, then deleted.
 */
export const retiringActorKeys = pgTable("retiring_actor_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** As in actor_keys: the algorithm, prefixed `relay:` for the relay actor. */
  algorithm: text("algorithm").notNull(),
  publicKey: jsonb("public_key").$type<JsonWebKey>().notNull(),
  privateKey: jsonb("private_key").$type<JsonWebKey>().notNull(),
  retiredAt: timestamp("retired_at", { withTimezone: true }).notNull().defaultNow(),
  retiresAt: timestamp("retires_at", { withTimezone: true }).notNull(),
});
/** Actors on other nodes that we follow, that follow us, or that we met. */
export const remoteActors = pgTable("remote_actors", {
  id: uuid("id").primaryKey().defaultRandom(),
  iri: text("iri").notNull().unique(),
  type: text("type").notNull(),
  /** `user@host[:port]`, from WebFinger or preferredUsername. */
  handle: text("handle"),
  name: text("name"),
  summary: text("summary"),
  url: text("url"),
  inbox: text("inbox").notNull(),
  sharedInbox: text("shared_inbox"),
  /** ISO 3166 code from the actor's "Region" profile field, when it has one. */
  region: text("region"),
  /** false when the actor asked not to be discovered (`discoverable: false`). */
  discoverable: boolean("discoverable").notNull().default(true),
  /** How we first learned of it: follow, follower, relay, crawl, order. */
  knownVia: text("known_via"),
  fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull().defaultNow(),
  createdAt: createdAt(),
});
export type RemoteActorRow = typeof remoteActors.$inferSelect;

export const FOLLOW_STATES = ["pending", "accepted", "rejected"] as const;
export type FollowState = (typeof FOLLOW_STATES)[number];

/** Co-ops we follow (our outgoing Follow activities). */
export const following = pgTable("following", {
  id: uuid("id").primaryKey().defaultRandom(),
  actorId: uuid("actor_id")
    .notNull()
    .unique()
    .references(() => remoteActors.id, { onDelete: "cascade" }),
  followIri: text("follow_iri").notNull().unique(),
  state: text("state").$type<FollowState>().notNull().default("pending"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
export type FollowingRow = typeof following.$inferSelect;

/** Co-ops that follow us (their incoming Follow activities). */
export const followers = pgTable("followers", {
  id: uuid("id").primaryKey().defaultRandom(),
  actorId: uuid("actor_id")
    .notNull()
    .unique()
    .references(() => remoteActors.id, { onDelete: "cascade" }),
  followIri: text("follow_iri").notNull(),
  /** `pending` only when WEFT_FOLLOW_APPROVAL=manual; rejected followers are removed. */
  state: text("state").$type<Exclude<FollowState, "rejected">>().notNull().default("pending"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
export type FollowerRow = typeof followers.$inferSelect;

export const AUDIENCES = ["public", "followers", "direct"] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Activities this node sent, as served by the actor's outbox. */
export const outboxActivities = pgTable(
  "outbox_activities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    iri: text("iri").notNull().unique(),
    type: text("type").notNull(),
    audience: text("audience").$type<Audience>().notNull(),
    activity: jsonb("activity").$type<Record<string, unknown>>().notNull(),
    /** For `direct` activities: the actor IRIs they were addressed to. */
    recipients: text("recipients").array().notNull().default(sql`'{}'::text[]`),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("outbox_activities_published_idx").on(t.publishedAt, t.id)],
);
export type OutboxActivityRow = typeof outboxActivities.$inferSelect;

/** Fedify's key–value store (src/db/kv.ts). Keys are string arrays. */
export const kvEntries = pgTable(
  "kv_entries",
  {
    key: text("key").array().primaryKey(),
    value: jsonb("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [index("kv_entries_expires_idx").on(t.expiresAt)],
);

/** Fedify's message queue (src/db/queue.ts): inbox, outbox and fan-out work. */
export const queueMessages = pgTable(
  "queue_messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    message: jsonb("message").notNull(),
    orderingKey: text("ordering_key"),
    deliverAt: timestamp("deliver_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set while a worker holds the message; a lapsed lease makes it claimable again. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lockedBy: text("locked_by"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("queue_messages_ready_idx").on(t.deliverAt, t.id),
    index("queue_messages_ordering_idx").on(t.orderingKey, t.id),
  ],
);

/**
 * The processes working the queue, so a restarted node can tell that the
 * worker of its previous process is gone and take back that one's leases at
 * once, instead of waiting for them to lapse (src/db/queue.ts).
 */
export const queueWorkers = pgTable("queue_workers", {
  /** The worker id its leases carry (queue_messages.locked_by). */
  id: text("id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  startedAt: createdAt(),
});

export const LISTING_KINDS = ["offer", "capacity", "need"] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];
export const VISIBILITIES = ["public", "followers", "partners"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const LISTING_STATUSES = ["active", "paused", "deleted"] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];
/** How this node learned of a listing (own, pushed by a followed co-op, backfilled…). */
export type ListingSource = "own" | "follow" | "backfill" | "relay" | "crawl";

/**
 * Listings: our own and those received from other co-ops, in one table so
 * the timeline and search read one place. Quantities and prices are
 * `numeric` (exact decimals; Drizzle returns them as strings).
 */
export const listings = pgTable(
  "listings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The Proposal's IRI; for our own listings `${origin}/listings/${id}`. */
    iri: text("iri").notNull().unique(),
    authorIri: text("author_iri").notNull(),
    local: boolean("local").notNull(),
    source: text("source").$type<ListingSource>().notNull(),
    kind: text("kind").$type<ListingKind>().notNull(),
    status: text("status").$type<ListingStatus>().notNull().default("active"),
    title: text("title").notNull(),
    /** Markdown as the co-op wrote it (own listings only). */
    descriptionSource: text("description_source"),
    /** Sanitised HTML, safe to show. */
    descriptionHtml: text("description_html").notNull().default(""),
    category: text("category").notNull(),
    quantityAmount: numeric("quantity_amount"),
    quantityUnit: text("quantity_unit"),
    minimumAmount: numeric("minimum_amount"),
    minimumUnit: text("minimum_unit"),
    priceAmount: numeric("price_amount"),
    priceCurrency: text("price_currency"),
    pricePer: text("price_per"),
    rateAmount: numeric("rate_amount"),
    rateUnit: text("rate_unit"),
    ratePer: text("rate_per"),
    availableFrom: timestamp("available_from", { withTimezone: true }),
    availableUntil: timestamp("available_until", { withTimezone: true }),
    region: text("region"),
    latitude: doublePrecision("latitude"),
    longitude: doublePrecision("longitude"),
    visibility: text("visibility").$type<Visibility>().notNull(),
    /** Actor IRIs allowed to see a `partners` listing. */
    partners: text("partners").array().notNull().default(sql`'{}'::text[]`),
    published: timestamp("published", { withTimezone: true }).notNull(),
    /** The version: the newest `updated` wins when activities arrive out of order. */
    updated: timestamp("updated", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    /** Title (weight A) and description text (B), for search (src/domain/search.ts). */
    search: tsvector("search").generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', regexp_replace(coalesce(description_html, ''), '<[^>]+>', ' ', 'g')), 'B')`,
    ),
    // Search keys (src/domain/search-keys.ts; the functions are in
    // drizzle/0008_search_keys.sql). Each turns a filter that a btree answers
    // only as a range (a category with its sub-categories, a country with
    // its subdivisions, a radius, an availability window) into array
    // elements, so that one GIN index intersects all of them with the words.
    /** The category and every category above it: `{apparel, apparel/cut-and-sew}`. */
    categoryPrefixes: text("category_prefixes").array().generatedAlwaysAs(sql`weft_path_prefixes(category, '/')`),
    /** The region and its country: `{US, US-NC}`. */
    regionPrefixes: text("region_prefixes").array().generatedAlwaysAs(sql`weft_path_prefixes(region, '-')`),
    /** The grid cells holding the position, one per cell size (1/16°, ¼°, 1°, 4°, 16°). */
    positionCells: integer("position_cells").array().generatedAlwaysAs(sql`weft_grid_cells(latitude, longitude)`),
    /** The four-week periods the availability window touches, or one "any time" element when it is open or long. */
    availablePeriods: integer("available_periods")
      .array()
      .generatedAlwaysAs(sql`weft_available_periods(available_from, available_until)`),
  },
  (t) => [
    index("listings_timeline_idx").on(t.updated, t.id),
    index("listings_author_idx").on(t.authorIri),
    index("listings_kind_idx").on(t.kind, t.status),
    // Every search filter in one GIN index: it intersects the words with the
    // category, region, window and position before any row is read. GIN
    // checks the columns in this order, and a condition with many elements
    // (periods, then cells) costs more per check, so those come last.
    // Without fastupdate a query never scans a pending list of recent rows.
    index("listings_search_filters_idx")
      .using("gin", t.search, t.categoryPrefixes, t.regionPrefixes, t.availablePeriods, t.positionCells)
      .with({ fastupdate: false }),
    // Matching joins needs to offers on equal categories; own listings filter by category prefix.
    index("listings_category_idx").using("btree", sql`${t.category} text_pattern_ops`),
    index("listings_window_idx").on(t.availableUntil),
  ],
);
export type ListingRow = typeof listings.$inferSelect;
export type ListingInsert = typeof listings.$inferInsert;

/**
 * IRIs of remote listings that were deleted. A Delete is final: a late
 * Create or Update for the same IRI must not bring the listing back.
 */
export const listingTombstones = pgTable("listing_tombstones", {
  iri: text("iri").primaryKey(),
  authorIri: text("author_iri").notNull(),
  deletedAt: timestamp("deleted_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Orders this co-op placed (role buyer) or received (role seller). The
 * order's truth is its events; `state`, `version` and `view` are the fold of
 * them (src/domain/orders/machine.ts), kept here for listing and filtering.
 */
export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The order (Agreement) IRI, on the buyer's server; the same on both nodes. */
    iri: text("iri").notNull().unique(),
    role: text("role").$type<"buyer" | "seller">().notNull(),
    buyerIri: text("buyer_iri").notNull(),
    sellerIri: text("seller_iri").notNull(),
    currency: text("currency").notNull(),
    state: text("state").notNull(),
    version: integer("version").notNull(),
    total: numeric("total").notNull(),
    view: jsonb("view").notNull(),
    /** The earliest date something is still to deliver (domain/orders/due.ts); null when nothing dated is left. */
    nextDue: date("next_due", { mode: "string" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("orders_state_idx").on(t.role, t.state),
    index("orders_updated_idx").on(t.updatedAt),
    index("orders_next_due_idx").on(t.nextDue),
  ],
);
export type OrderRow = typeof orders.$inferSelect;

/** Every event of every order, with the signed activity that carried it. */
export const orderEvents = pgTable(
  "order_events",
  {
    /** The activity IRI. */
    id: text("id").primaryKey(),
    orderIri: text("order_iri").notNull(),
    type: text("type").notNull(),
    actor: text("actor").$type<"buyer" | "seller">().notNull(),
    base: integer("base").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    payload: jsonb("payload").notNull(),
    activity: jsonb("activity").$type<Record<string, unknown>>(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("order_events_order_idx").on(t.orderIri)],
);

/** Relays (regional hubs) this node subscribes to. */
export const relaySubscriptions = pgTable("relay_subscriptions", {
  id: uuid("id").primaryKey().defaultRandom(),
  actorIri: text("actor_iri").notNull().unique(),
  inbox: text("inbox").notNull(),
  sharedInbox: text("shared_inbox"),
  followIri: text("follow_iri").notNull().unique(),
  state: text("state").$type<FollowState>().notNull().default("pending"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
export type RelaySubscriptionRow = typeof relaySubscriptions.$inferSelect;

/** Nodes subscribed to this node's relay actor (WEFT_RELAY=on). */
export const relayMembers = pgTable("relay_members", {
  actorIri: text("actor_iri").primaryKey(),
  inbox: text("inbox").notNull(),
  sharedInbox: text("shared_inbox"),
  followIri: text("follow_iri").notNull(),
  /** `pending` while WEFT_RELAY_ADMISSION=approval waits for an owner; only accepted members get forwards. */
  state: text("state").$type<"pending" | "accepted">().notNull().default("accepted"),
  createdAt: createdAt(),
});
export type RelayMemberRow = typeof relayMembers.$inferSelect;

/** Crawls of partners' collections to discover co-ops (POST /api/v1/crawls). */
export const crawlJobs = pgTable("crawl_jobs", {
  id: uuid("id").primaryKey().defaultRandom(),
  depth: integer("depth").notNull(),
  maxActors: integer("max_actors").notNull(),
  state: text("state").$type<"running" | "done" | "failed" | "interrupted">().notNull().default("running"),
  visited: integer("visited").notNull().default(0),
  discovered: integer("discovered").notNull().default(0),
  skipped: integer("skipped").notNull().default(0),
  listings: integer("listings").notNull().default(0),
  error: text("error"),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});
export type CrawlJobRow = typeof crawlJobs.$inferSelect;

/** Need–offer matches already shown to the co-op (the rest are new). */
export const seenMatches = pgTable(
  "seen_matches",
  {
    needIri: text("need_iri").notNull(),
    offerIri: text("offer_iri").notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.needIri, t.offerIri] })],
);

/**
 * Every need–offer pair that matches, found when either listing was stored
 * (src/domain/matching.ts), with its score: Home and the Matches page read
 * the best few by walking an index instead of joining all needs to all
 * offers on each request. Whether a listing is still live is checked when
 * reading (listings expire with time).
 */
export const matches = pgTable(
  "matches",
  {
    needIri: text("need_iri").notNull(),
    offerIri: text("offer_iri").notNull(),
    /** Whether the need is ours (otherwise the offer is). */
    ourNeed: boolean("our_need").notNull(),
    score: integer("score").notNull(),
    /** The offer's `updated` when the pair was scored: newer offers first among equal scores. */
    offerUpdated: timestamp("offer_updated", { withTimezone: true }).notNull(),
    /** The earlier end of the two listings' availability: the match expires then. */
    liveUntil: timestamp("live_until", { withTimezone: true }),
    /** Shown already (a copy of seen_matches, which outlives the pair, so the new ones have an index). */
    seen: boolean("seen").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.needIri, t.offerIri] }),
    index("matches_offer_idx").on(t.offerIri),
    // The whole order of the pages (NULLS FIRST as ORDER BY … DESC has it), so that the best few are
    // the first rows of an index walk.
    index("matches_best_idx").on(
      t.ourNeed,
      t.score.desc().nullsFirst(),
      t.offerUpdated.desc().nullsFirst(),
      t.needIri,
      t.offerIri,
    ),
    index("matches_new_idx")
      .on(t.ourNeed, t.score.desc().nullsFirst(), t.offerUpdated.desc().nullsFirst(), t.needIri, t.offerIri)
      .where(sql`NOT ${t.seen}`),
  ],
);

export const PERSON_ROLES = ["owner", "member", "viewer"] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/**
 * The people who run the node from the workspace. A removed person is
 * disabled, not deleted, so what they did keeps a name; an invitation for
 * the same email brings them back.
 */
export const people = pgTable("people", {
  id: uuid("id").primaryKey().defaultRandom(),
  /** Always lower-cased (src/domain/people.ts). */
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role").$type<PersonRole>().notNull(),
  /** `scrypt$N$r$p$salt$hash` (base64url), see src/domain/passwords.ts. */
  passwordHash: text("password_hash").notNull(),
  disabled: boolean("disabled").notNull().default(false),
  createdAt: createdAt(),
});
export type PersonRow = typeof people.$inferSelect;

/** One-time set-up links; only the SHA-256 of the token is kept. */
export const invitations = pgTable("invitations", {
  tokenHash: text("token_hash").primaryKey(),
  email: text("email").notNull(),
  role: text("role").$type<PersonRole>().notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  createdAt: createdAt(),
});
export type InvitationRow = typeof invitations.$inferSelect;

/** Signed-in browsers; only the SHA-256 of the cookie's token is kept. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    userAgent: text("user_agent"),
    address: text("address"),
    /** Every form of this session carries it (CSRF protection). */
    csrfSecret: text("csrf_secret").notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("sessions_person_idx").on(t.personId)],
);
export type SessionRow = typeof sessions.$inferSelect;

/** Sign-in attempts, kept for the rate limit (per account and per address). */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    email: text("email").notNull(),
    address: text("address").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    ok: boolean("ok").notNull(),
  },
  (t) => [
    index("sign_in_attempts_email_idx").on(t.email, t.at),
    index("sign_in_attempts_address_idx").on(t.address, t.at),
  ],
);

/**
 * Who may talk to us: a `block` rule refuses a server's activities, drops
 * deliveries to it and hides its listings; with WEFT_FEDERATION=allowlist
 * only servers with an `allow` rule may follow, order or be followed. The
 * domain is a host name (it also covers its sub-domains and every port) or
 * host:port (that port only).
 */
export const domainRules = pgTable("domain_rules", {
  domain: text("domain").primaryKey(),
  kind: text("kind").$type<"block" | "allow">().notNull(),
  note: text("note"),
  createdAt: createdAt(),
});
export type DomainRuleRow = typeof domainRules.$inferSelect;

/**
 * API tokens handed out (by `weft token create`, the API or the workspace):
 * the JWT itself is not kept, only its id (`jti`) and what a person needs to
 * recognise and revoke it. A long-lived token whose id is not here, or is
 * revoked, is refused (src/actions/tokens.ts).
 */
export const apiTokens = pgTable("api_tokens", {
  /** The token's `jti`. */
  id: uuid("id").primaryKey(),
  name: text("name").notNull(),
  /** Space-separated, as in the token's `scope` claim. */
  scopes: text("scopes").notNull(),
  createdAt: createdAt(),
  /** Null: never expires. */
  expiresAt: timestamp("expires_at", { withTimezone: true }),
  /** Updated at most once a minute per token, so a busy script costs no write per request. */
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});
export type ApiTokenRow = typeof apiTokens.$inferSelect;
