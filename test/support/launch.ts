// Launches a real Weft node in this process on a loopback port, and drives
// it over HTTP. No test-runner imports here: bench/ uses it too.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { hc } from "hono/client";
import type { WeftApi } from "../../src/api/index.ts";
import { createToken, type Scope } from "../../src/auth/tokens.ts";
import type { Api } from "../../src/cli/client.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import type { DatabaseSource } from "../../src/db/client.ts";
import { createNode, type NodeOptions, type WeftNode } from "../../src/node.ts";

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export class TestNode {
  readonly server: Server;
  readonly origin: string;
  readonly config: Config;
  node: WeftNode;
  readonly #source: DatabaseSource;
  #cleanup: () => Promise<void>;
  readonly #queue: { pollIntervalMs: number };
  delivery: NodeOptions["delivery"];
  #adminToken?: string;

  constructor(
    server: Server,
    config: Config,
    node: WeftNode,
    source: DatabaseSource,
    cleanup: () => Promise<void>,
    queue: { pollIntervalMs: number },
  ) {
    this.server = server;
    this.origin = config.origin;
    this.config = config;
    this.node = node;
    this.#source = source;
    this.#cleanup = cleanup;
    this.#queue = queue;
  }

  get handle(): string {
    return this.config.handle;
  }

  /** `coop@127.0.0.1:PORT` */
  get account(): string {
    return `${this.config.handle}@${new URL(this.origin).host}`;
  }

  get actorUrl(): string {
    return `${this.origin}/coops/${this.config.handle}`;
  }

  get db() {
    return this.node.deps.services.db;
  }

  async token(scopes: Scope[] = ["admin"]): Promise<string> {
    const token = await createToken(this.node.deps.secret, {
      issuer: this.origin,
      scopes,
      expiresInSeconds: 3600,
    });
    if (scopes.length === 1 && scopes[0] === "admin") this.#adminToken = token;
    return token;
  }

  /**
   * The admin API through Hono's typed client, as the CLI calls it: each call
   * is signed with `token`, with an admin token when none is given, with
   * nothing when it is null. Read answers with reply() (test/support/api.ts).
   */
  client(token?: string | null): Api {
    return hc<WeftApi>(`${this.origin}/api/v1`, {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        const bearer = token === undefined ? (this.#adminToken ?? (await this.token())) : token;
        if (bearer) headers.set("authorization", `Bearer ${bearer}`);
        if (!headers.has("accept")) headers.set("accept", "application/json");
        return await fetch(input, { ...init, headers });
      },
    });
  }

  /** Calls the admin API with an admin token unless `token` says otherwise (null: none). */
  async api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options: { token?: string | null; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<ApiResponse<T>> {
    const token = options.token === undefined ? (this.#adminToken ?? (await this.token())) : options.token;
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined = options.rawBody;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(new URL(`/api/v1${path}`, this.origin), { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** Plain GET of any path on this node (federation endpoints, pages). */
  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(new URL(path, this.origin), { headers });
  }

  /**
   * Resolves once this node's queue has nothing ready and nothing in flight
   * (see DrizzleMessageQueue.idle). Use settled() to wait for several nodes.
   */
  idle(): Promise<void> {
    return this.node.queue.idle();
  }

  /** Grows whenever this node's queue starts or ends a piece of work. */
  get queueActivity(): number {
    return this.node.queue.activity;
  }

  /** Answers 503 to every request, as a node that is down, until resume() or restart(). */
  pause(): void {
    handlers.delete(this.server);
  }

  resume(): void {
    handlers.set(this.server, this.node);
  }

  /** Stops the node (not its port) and starts it again on the same data. */
  async restart(): Promise<void> {
    if (this.#source.kind === "pglite-instance") {
      throw new Error("restart() needs a persistent node: startNode({ persistent: true })");
    }
    await this.node.close();
    this.node = await createNode(this.config, { database: this.#source, queue: this.#queue, delivery: this.delivery });
    handlers.set(this.server, this.node);
  }

  /**
   * Stops the node (not its port) and removes its data, as a node that is
   * lost; requests are answered 503 until startOn().
   */
  async destroy(): Promise<void> {
    handlers.delete(this.server);
    await this.node.close();
    await this.#cleanup();
    this.#cleanup = async () => {};
  }

  /** Starts the node again, same port and config, on another database (a restored one); `cleanup` removes it. */
  async startOn(source: DatabaseSource, cleanup: () => Promise<void>): Promise<void> {
    this.node = await createNode(this.config, { database: source, queue: this.#queue, delivery: this.delivery });
    this.#cleanup = cleanup;
    handlers.set(this.server, this.node);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.node.close();
    await this.#cleanup();
  }
}

const handlers = new WeakMap<Server, WeftNode>();

let counter = 0;

export interface LaunchOptions {
  database: DatabaseSource;
  /** Called after the node stopped: drop its database, remove its folder. */
  cleanup?: () => Promise<void>;
  handle?: string;
  dataDir?: string;
  env?: Record<string, string>;
  pollIntervalMs?: number;
  delivery?: NodeOptions["delivery"];
}

export async function launchNode(options: LaunchOptions): Promise<TestNode> {
  // Listen first, so the node's origin (and its actor IRIs) carry the real port.
  const server = createAdaptorServer({
    // The bindings (env) carry the socket, so pages see the client's address.
    fetch: (request: Request, env: unknown) => {
      const node = handlers.get(server);
      return node ? node.app.fetch(request, env) : new Response("starting", { status: 503 });
    },
  }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const config = loadConfig({
    PORT: String(port),
    WEFT_ORIGIN: `http://127.0.0.1:${port}`,
    WEFT_HANDLE: options.handle ?? "coop",
    WEFT_NAME: `Test co-op ${++counter}`,
    WEFT_DATA_DIR: options.dataDir ?? "/nonexistent/weft-test",
    // Each node gets its own secret and never touches a secret file.
    WEFT_SECRET: `test-secret-${port}-${Math.random().toString(36).slice(2)}-padding-to-32`,
    ...options.env,
  });
  const queue = { pollIntervalMs: options.pollIntervalMs ?? 50 };
  const node = await createNode(config, { database: options.database, queue, delivery: options.delivery });
  handlers.set(server, node);
  const testNode = new TestNode(server, config, node, options.database, options.cleanup ?? (async () => {}), queue);
  testNode.delivery = options.delivery;
  return testNode;
}
