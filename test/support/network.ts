// Starts real Weft nodes in this process, each on its own loopback port with
// its own database, and drives them over HTTP. Signatures are verified as in
// production; only private addresses are allowed (they are all 127.0.0.1).

import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAdaptorServer } from "@hono/node-server";
import { afterAll } from "vitest";
import { createToken, type Scope } from "../../src/api/tokens.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import type { DatabaseSource } from "../../src/db/client.ts";
import { createNode, type WeftNode } from "../../src/node.ts";
import { createTestDatabase, testDriver } from "./databases.ts";

export interface NodeOptions {
  handle?: string;
  env?: Record<string, string>;
  /**
   * Keep the database on disk (PGlite folder) so the node can be restarted
   * with the same data; in-memory test databases vanish on stop.
   */
  persistent?: boolean;
}

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
  readonly #cleanup: () => Promise<void>;
  #adminToken?: string;

  constructor(server: Server, config: Config, node: WeftNode, source: DatabaseSource, cleanup: () => Promise<void>) {
    this.server = server;
    this.origin = config.origin;
    this.config = config;
    this.node = node;
    this.#source = source;
    this.#cleanup = cleanup;
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

  /** Stops the node (not its port) and starts it again on the same data. */
  async restart(): Promise<void> {
    if (this.#source.kind === "pglite-instance") {
      throw new Error("restart() needs a persistent node: startNode({ persistent: true })");
    }
    await this.node.close();
    this.node = await createNode(this.config, { database: this.#source, queue: { pollIntervalMs: 50 } });
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
const running = new Set<TestNode>();

afterAll(async () => {
  await Promise.all([...running].map((n) => n.stop().catch(() => {})));
  running.clear();
});

let counter = 0;

export async function startNode(options: NodeOptions = {}): Promise<TestNode> {
  // Listen first, so the node's origin (and its actor IRIs) carry the real port.
  const server = createAdaptorServer({
    fetch: (request: Request) => {
      const node = handlers.get(server);
      return node ? node.app.fetch(request) : new Response("starting", { status: 503 });
    },
  }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  let source: DatabaseSource;
  let cleanup: () => Promise<void>;
  let dataDir = join(tmpdir(), "weft-test-unused");
  if (options.persistent && testDriver() === "pglite") {
    dataDir = await mkdtemp(join(tmpdir(), "weft-node-"));
    source = { kind: "pglite", dataDir };
    cleanup = () => rm(dataDir, { recursive: true, force: true });
  } else {
    const database = await createTestDatabase();
    source = database.source;
    cleanup = database.drop;
    if (options.persistent) dataDir = await mkdtemp(join(tmpdir(), "weft-node-"));
  }
  const config = loadConfig({
    PORT: String(port),
    WEFT_ORIGIN: `http://127.0.0.1:${port}`,
    WEFT_HANDLE: options.handle ?? "coop",
    WEFT_NAME: `Test co-op ${++counter}`,
    WEFT_DATA_DIR: dataDir,
    // Tests never touch the secret file: each node gets its own secret.
    WEFT_SECRET: `test-secret-${port}-${Math.random().toString(36).slice(2)}-padding-to-32`,
    ...options.env,
  });
  const node = await createNode(config, { database: source, queue: { pollIntervalMs: 50 } });
  handlers.set(server, node);
  const testNode = new TestNode(server, config, node, source, cleanup);
  running.add(testNode);
  return testNode;
}

export async function startNetwork(count: number, options: NodeOptions = {}): Promise<TestNode[]> {
  const nodes: TestNode[] = [];
  // Sequentially: PGlite instances are CPU-bound to create, and the machine has two cores.
  for (let i = 0; i < count; i++) nodes.push(await startNode(options));
  return nodes;
}

/** Polls `check` until it returns a truthy value (or stops throwing), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      lastError = new Error("condition still false");
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((r) => setTimeout(r, 25));
  }
}
