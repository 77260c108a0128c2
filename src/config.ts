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
  WEFT_HTTP_TIMEOUT: z.coerce
    .number({ error: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .min(1, "must be between 1 and 600 seconds")
    .max(600, "must be between 1 and 600 seconds")
    .default(30),
  WEFT_FAULT: z
    .string()
    .regex(/^(after-store|before-commit|after-commit|handling):[A-Za-z-]+$/, "must be <point>:<use case>, for tests")
    .optional(),
});

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
  /** How long any outgoing HTTP request (lookups, deliveries) may take, in ms. */
  httpTimeoutMs: number;
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
    fault: e.WEFT_FAULT,
  };
}
