// The admin API as the CLI sees it. The CLI mints its own short-lived admin
// token from the node's secret, so co-op staff never handle tokens for it;
// every failure becomes a CliError with one readable line. Such a token lives
// five minutes, under the hour up to which the node accepts a token it holds
// no record of (src/auth/tokens.ts), so it needs none.
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

export class ApiClient {
  readonly baseUrl: string;
  readonly #config: Config;
  #secret?: Promise<string>;
  #token?: { value: Promise<string>; signedAt: number };

  constructor(config: Config) {
    this.#config = config;
    this.baseUrl = apiBaseUrl(config);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("POST", path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PATCH", path, body);
  }

  async delete(path: string): Promise<void> {
    await this.request("DELETE", path);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, text } = await this.#send(method, path, body, "application/json");
    const json = this.#json(status, text);
    if (status >= 200 && status < 300) return json as T;
    throw new ApiRefusal(this.#refused(status, json as Problem | null), status, json as Problem | null);
  }

  /** A document that is not JSON (such as XML), as text; errors still come as problem JSON. */
  async getText(path: string, accept: string): Promise<string> {
    const { status, text } = await this.#send("GET", path, undefined, `${accept}, application/problem+json`);
    if (status >= 200 && status < 300) return text;
    const problem = this.#json(status, text) as Problem | null;
    throw new ApiRefusal(this.#refused(status, problem), status, problem);
  }

  async #send(method: string, path: string, body: unknown, accept: string): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = {
      accept,
      authorization: `Bearer ${await this.#adminToken()}`,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    try {
      const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return { status: response.status, text: await response.text() };
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
