// The admin API as the CLI sees it: Hono's typed client (hono/client) over
// the API's own type, so each command reads the answers the routes declare.
// The CLI mints its own short-lived admin token from the node's secret, so
// co-op staff never handle tokens for it; every failure becomes a CliError
// with one readable line. Such a token lives five minutes, under the hour up
// to which the node accepts a token it holds no record of
// (src/auth/tokens.ts), so it needs none.
import { type ClientResponse, hc } from "hono/client";
import type { SuccessStatusCode } from "hono/utils/http-status";
import type { WeftApi } from "../api/index.ts";
import { createToken } from "../auth/tokens.ts";
import { type Config, loadConfig } from "../config.ts";
import { loadOrCreateSecret } from "../secret.ts";
import { CliError } from "./errors.ts";

const TOKEN_SECONDS = 5 * 60;
// A command that runs for long (waiting for a crawl) signs a new token before
// the old one expires.
const TOKEN_RENEW_MS = (TOKEN_SECONDS - 60) * 1000;
// Following a co-op waits for its server to answer WebFinger and the actor
// fetch; leave room for that, but do not hang forever on a stuck node.
const TIMEOUT_MS = 60_000;

/** WEFT_API_URL, else the node on this machine: a wildcard HOST listens on loopback too. */
export function apiBaseUrl(config: Pick<Config, "apiUrl" | "host" | "port">): string {
  if (config.apiUrl) return config.apiUrl;
  const host = ["0.0.0.0", "::", "[::]"].includes(config.host) ? "127.0.0.1" : config.host;
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `http://${bracketed}:${config.port}`;
}

/** A client for the node that the environment describes (a ConfigError when it is wrong). */
export function connect(env: NodeJS.ProcessEnv): ApiClient {
  return new ApiClient(loadConfig(env));
}

interface Problem {
  detail?: unknown;
  errors?: { field?: unknown; message?: unknown }[];
  [member: string]: unknown;
}

/** The node answered with an error: its one-line reason, and the status and problem for commands that say more. */
export class ApiRefusal extends CliError {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(message: string, status: number, problem: Problem | null) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

/** The API's routes as typed calls: `api.orders[":id"].$get({ param: { id } })`. */
export type Api = ReturnType<typeof hc<WeftApi>>;

/** What a call answers when it succeeds: the JSON its route declares for its 2xx status. */
export type Answer<R> =
  R extends ClientResponse<infer Body, infer Status, infer _Format>
    ? Status extends SuccessStatusCode
      ? Body
      : never
    : never;

export class ApiClient {
  readonly baseUrl: string;
  readonly #config: Config;
  #secret?: Promise<string>;
  #token?: { value: Promise<string>; signedAt: number };

  /** The node's routes, each call signed with the CLI's token; send them through call(). */
  readonly api: Api;

  constructor(config: Config) {
    this.#config = config;
    this.baseUrl = apiBaseUrl(config);
    this.api = hc<WeftApi>(`${this.baseUrl}/api/v1`, {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => this.#send(input, init),
    });
  }

  /** Sends one request and answers its JSON; a refusal becomes an ApiRefusal with the node's one-line reason. */
  async call<R extends ClientResponse<unknown, number, string>>(request: (api: Api) => Promise<R>): Promise<Answer<R>> {
    const response = await request(this.api);
    const text = await this.#text(response);
    const json = this.#json(response.status, text);
    if (response.ok) return json as Answer<R>;
    throw new ApiRefusal(
      this.#refused(response.status, json as Problem | null),
      response.status,
      json as Problem | null,
    );
  }

  /** A document that is not JSON (such as XML), as text; errors still come as problem JSON. */
  async text(request: (api: Api) => Promise<ClientResponse<unknown, number, string>>): Promise<string> {
    const response = await request(this.api);
    const text = await this.#text(response);
    if (response.ok) return text;
    const problem = this.#json(response.status, text) as Problem | null;
    throw new ApiRefusal(this.#refused(response.status, problem), response.status, problem);
  }

  /** A binary document (a backup), as bytes; errors still come as problem JSON. */
  async bytes(request: (api: Api) => Promise<ClientResponse<unknown, number, string>>): Promise<Uint8Array> {
    const response = await request(this.api);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw new CliError(this.#unreachable(error as Error));
    }
    if (response.ok) return bytes;
    const problem = this.#json(response.status, new TextDecoder().decode(bytes)) as Problem | null;
    throw new ApiRefusal(this.#refused(response.status, problem), response.status, problem);
  }

  /** hono/client's fetch: the token, JSON unless asked otherwise, a time limit, and one line when unreachable. */
  async #send(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${await this.#adminToken()}`);
    if (!headers.has("accept")) headers.set("accept", "application/json");
    try {
      return await fetch(input, { ...init, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new CliError(this.#unreachable(error as Error));
    }
  }

  async #text(response: { text(): Promise<string> }): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw new CliError(this.#unreachable(error as Error));
    }
  }

  #json(status: number, text: string): unknown {
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      throw new CliError(`the server at ${this.baseUrl} is not a Weft node (it answered HTTP ${status}, not JSON)`);
    }
  }

  #adminToken(): Promise<string> {
    if (this.#token === undefined || Date.now() - this.#token.signedAt > TOKEN_RENEW_MS) {
      this.#secret ??= loadOrCreateSecret(this.#config);
      const value = this.#secret.then((secret) =>
        createToken(secret, {
          issuer: this.#config.origin,
          scopes: ["admin"],
          expiresInSeconds: TOKEN_SECONDS,
          subject: "cli",
        }),
      );
      this.#token = { value, signedAt: Date.now() };
    }
    return this.#token.value;
  }

  #unreachable(error: Error): string {
    if (error.name === "TimeoutError") {
      return `the node at ${this.baseUrl} did not answer within ${TIMEOUT_MS / 1000} seconds`;
    }
    const cause = error.cause as (Error & { code?: string }) | undefined;
    if (cause?.code === "ECONNREFUSED") return `no node answers at ${this.baseUrl} — start it with "npm start"`;
    return `cannot reach ${this.baseUrl}: ${cause?.code ?? cause?.message ?? error.message}`;
  }

  #refused(status: number, problem: Problem | null): string {
    // The node checked our token against its own secret and origin: they differ.
    if (status === 401) {
      return `the node at ${this.baseUrl} does not accept the CLI's token; run weft with the node's WEFT_ORIGIN and WEFT_SECRET (or WEFT_DATA_DIR)`;
    }
    if (typeof problem?.detail !== "string") return `the node at ${this.baseUrl} answered HTTP ${status}`;
    const detail = problem.detail;
    // Lookup failures repeat the detail as the field's message, some details
    // name each field already; say each once.
    const fields = (problem.errors ?? [])
      .filter((e) => e.message !== detail && !detail.includes(`${String(e.field)} ${String(e.message)}`))
      .map((e) => `${String(e.field)}: ${String(e.message)}`);
    const line = fields.length > 0 ? `${detail} (${fields.join("; ")})` : detail;
    return line.replace(/\s*\n\s*/g, " ");
  }
}

/**
 * A 400 about the request's fields, in the CLI's words: each field named by
 * the option it came from (`radiusKm` → `--radius`), such as
 * "the node refused the search: --region must be an ISO 3166 code". Other
 * errors are returned unchanged.
 */
export function refusedOptions(error: unknown, what: string, options: Record<string, string>): unknown {
  if (!(error instanceof ApiRefusal) || error.status !== 400) return error;
  const errors = error.problem?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return error;
  const said = errors.map(({ field, message }) => {
    const name = String(field);
    return `${Object.hasOwn(options, name) ? options[name] : name} ${String(message)}`;
  });
  return new CliError(`the node refused the ${what}: ${[...new Set(said)].join("; ")}`.replace(/\s*\n\s*/g, " "));
}
