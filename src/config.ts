// The only module that reads the environment. Everything else receives a
// `Config` object, so tests can build nodes with plain objects and the CLI
// and the node always agree on what a variable means.
import { z } from "zod";

const LOG_LEVELS = ["trace", "debug", "info", "warning", "error", "fatal"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const booleanString = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], {
    error: "must be true or false",
  })
  .transform((v) => ["true", "1", "yes", "on"].includes(v));

// A handle is the local part of acct:HANDLE@host; keep it to characters that
// every fediverse server accepts in a username.
const handleSchema = z.string().regex(/^[a-z0-9_][a-z0-9_.-]{0,63}$/i, "must be 1-64 letters, digits, '_', '.' or '-'");

/** Requests a minute for a rate limit; 0 turns the limit off. */
function perMinute(fallback: number) {
  return z.coerce
    .number({ error: "must be a number of requests a minute (0 for no limit)" })
    .int("must be a whole number")
    .min(0, "must be 0 (no limit) or more")
    .max(1_000_000, "must be at most 1000000")
    .default(fallback);
}

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: "must be a port number" })
    .int("must be a whole number")
    .min(0, "must be between 0 and 65535")
    .max(65535, "must be between 0 and 65535")
    .default(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  WEFT_ORIGIN: z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://coop.example" }).optional(),
  WEFT_HANDLE: handleSchema.default("coop"),
  WEFT_NAME: z.string().min(1).max(200).optional(),
  WEFT_SUMMARY: z.string().max(5000).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL (leave it unset for the embedded database)")
    .optional(),
  WEFT_DATA_DIR: z.string().min(1).default("./data"),
  WEFT_FOLLOW_APPROVAL: z.enum(["auto", "manual"], { error: "must be auto or manual" }).default("auto"),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  LOG_FORMAT: z.enum(["text", "json"], { error: "must be text or json" }).default("text"),
  WEFT_ALLOW_PRIVATE_ADDRESSES: booleanString.optional(),
  WEFT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  WEFT_QUEUE_WORKER: booleanString.default(true),
  WEFT_API_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:8080" })
    .optional(),
  WEFT_RELAY: z.enum(["on", "off"], { error: "must be on or off" }).default("off"),
  WEFT_FEDERATION: z.enum(["open", "allowlist"], { error: "must be open or allowlist" }).default("open"),
  WEFT_RELAY_ADMISSION: z
    .enum(["open", "approval", "allowlist"], { error: "must be open, approval or allowlist" })
    .default("open"),
  WEFT_HTTP_TIMEOUT: z.coerce
    .number({ error: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .min(1, "must be between 1 and 600 seconds")
    .max(600, "must be between 1 and 600 seconds")
    .default(30),
  WEFT_BACKUP_DIR: z.string().min(1).optional(),
  WEFT_BACKUP_EVERY: z
    .string()
    .regex(/^[1-9]\d*[mhd]$/, "must be a number and m, h or d, such as 6h or 1d")
    .default("1d"),
  WEFT_BACKUP_KEEP: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .default(7),
  WEFT_RATE_LIMIT_API: perMinute(1200),
  WEFT_RATE_LIMIT_INBOX: perMinute(3000),
  WEFT_RATE_LIMIT_INBOX_SERVER: perMinute(1200),
  WEFT_ACTIVITY_MAX_BYTES: z.coerce
    .number({ error: "must be a number of bytes" })
    .int("must be a whole number of bytes")
    .min(1024, "must be between 1024 and 1000000 bytes")
    .max(1_000_000, "must be between 1024 and 1000000 bytes (the limit on every request body)")
    .default(256_000),
  WEFT_ACTIVITY_MAX_DEPTH: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(8, "must be between 8 and 1000")
    .max(1000, "must be between 8 and 1000")
    .default(32),
  WEFT_ORDER_MAX_LINES: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 10000")
    .max(10_000, "must be between 1 and 10000")
    .default(500),
  WEFT_DELIVERIES_PER_HOST: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 64")
    .max(64, "must be between 1 and 64")
    .default(4),
  WEFT_KEY_GRACE: z
    .string()
    .regex(/^\d+[smhd]$/, "must be a duration such as 7d, 36h, 90m or 600s")
    .default("7d"),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({
      protocol: /^https?$/,
      error: "must be an http(s) URL of an OTLP/HTTP collector, such as http://127.0.0.1:4318",
    })
    .optional(),
  OTEL_SERVICE_NAME: z.string().min(1).max(200).default("weft"),
  WEFT_FAULT: z
    .string()
    .regex(/^(after-store|before-commit|after-commit|handling):[A-Za-z-]+$/, "must be <point>:<use case>, for tests")
    .optional(),
});

const DURATION_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const SECONDS_PER = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** The relay actor's username, when WEFT_RELAY=on. */
export const RELAY_HANDLE = "relay";

export interface Config {
  port: number;
  host: string;
  /** Public origin, without trailing slash, e.g. `https://knit.example`. */
  origin: string;
  handle: string;
  name?: string;
  summary?: string;
  databaseUrl?: string;
  dataDir: string;
  followApproval: "auto" | "manual";
  logLevel: LogLevel;
  /** `text` for people at a terminal, `json` (one object a line) for log collectors. */
  logFormat: "text" | "json";
  /** Whether outgoing requests may reach loopback and private addresses. */
  allowPrivateAddresses: boolean;
  /** Secret for signing API tokens; when absent it lives in `dataDir`. */
  secret?: string;
  /** Whether this process runs the delivery queue (off for API-only replicas). */
  queueWorker: boolean;
  /** Where the `weft` CLI reaches the admin API; by default the node on this machine (HOST and PORT). */
  apiUrl?: string;
  /** Whether this node also runs a relay (regional hub) as `relay@host`. */
  relay: boolean;
  /**
   * `open`: every server may talk to us but those blocked (`weft block`);
   * `allowlist`: only servers allowed (`weft allow`), for closed trade networks.
   */
  federation: "open" | "allowlist";
  /** Who joins our hub: everyone, those an owner approves, or allowed servers only. */
  relayAdmission: "open" | "approval" | "allowlist";
  /** How long any outgoing HTTP request (lookups, deliveries) may take, in ms. */
  httpTimeoutMs: number;
  /** Scheduled backups: where they go (none when unset), how often, and how many are kept. */
  backup?: { dir: string; every: string; everyMs: number; keep: number };
  /** Requests a minute (0: no limit) per client address on the API, per address and per sending server on the inboxes. */
  rateLimits: { api: number; inboxAddress: number; inboxServer: number };
  /** What an inbound activity may be: its size in bytes, its JSON nesting, an order's lines. */
  activityLimits: { maxBytes: number; maxDepth: number; maxOrderLines: number };
  /** Deliveries (POSTs) in flight to one host at a time. */
  deliveriesPerHost: number;
  /** How long keys replaced by `weft keys rotate` stay published, in seconds. */
  keyGraceSeconds: number;
  /**
   * OpenTelemetry traces and metrics (src/telemetry.ts), sent over OTLP/HTTP
   * to `endpoint` (its /v1/traces and /v1/metrics); off when unset.
   */
  telemetry?: { endpoint: string; serviceName: string };
  /**
   * For crash tests only: the point at which the process kills itself with
   * SIGKILL (src/fault.ts), such as `before-commit:publishListing`.
   */
  fault?: string;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.startsWith("127.") || hostname.endsWith(".localhost");
}

/** Parses the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset": that is what `FOO= npm start` says.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.WEFT_RELAY === "on" && e.WEFT_HANDLE === RELAY_HANDLE) {
    throw new ConfigError([`WEFT_HANDLE: "${RELAY_HANDLE}" is the relay's name when WEFT_RELAY=on; choose another`]);
  }
  const origin = new URL(e.WEFT_ORIGIN ?? `http://localhost:${e.PORT}`).origin;
  const originIsLoopback = isLoopbackHost(new URL(origin).hostname);
  return {
    port: e.PORT,
    host: e.HOST,
    origin,
    handle: e.WEFT_HANDLE,
    name: e.WEFT_NAME,
    summary: e.WEFT_SUMMARY,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.WEFT_DATA_DIR,
    followApproval: e.WEFT_FOLLOW_APPROVAL,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    allowPrivateAddresses: e.WEFT_ALLOW_PRIVATE_ADDRESSES ?? originIsLoopback,
    secret: e.WEFT_SECRET,
    queueWorker: e.WEFT_QUEUE_WORKER,
    apiUrl: e.WEFT_API_URL?.replace(/\/+$/, ""),
    relay: e.WEFT_RELAY === "on",
    httpTimeoutMs: e.WEFT_HTTP_TIMEOUT * 1000,
    backup: e.WEFT_BACKUP_DIR
      ? {
          dir: e.WEFT_BACKUP_DIR,
          every: e.WEFT_BACKUP_EVERY,
          everyMs:
            Number(e.WEFT_BACKUP_EVERY.slice(0, -1)) *
            DURATION_MS[e.WEFT_BACKUP_EVERY.slice(-1) as keyof typeof DURATION_MS],
          keep: e.WEFT_BACKUP_KEEP,
        }
      : undefined,
    federation: e.WEFT_FEDERATION,
    relayAdmission: e.WEFT_RELAY_ADMISSION,
    rateLimits: {
      api: e.WEFT_RATE_LIMIT_API,
      inboxAddress: e.WEFT_RATE_LIMIT_INBOX,
      inboxServer: e.WEFT_RATE_LIMIT_INBOX_SERVER,
    },
    activityLimits: {
      maxBytes: e.WEFT_ACTIVITY_MAX_BYTES,
      maxDepth: e.WEFT_ACTIVITY_MAX_DEPTH,
      maxOrderLines: e.WEFT_ORDER_MAX_LINES,
    },
    deliveriesPerHost: e.WEFT_DELIVERIES_PER_HOST,
    keyGraceSeconds:
      Number(e.WEFT_KEY_GRACE.slice(0, -1)) * SECONDS_PER[e.WEFT_KEY_GRACE.slice(-1) as keyof typeof SECONDS_PER],
    telemetry: e.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, ""), serviceName: e.OTEL_SERVICE_NAME }
      : undefined,
    fault: e.WEFT_FAULT,
  };
}
