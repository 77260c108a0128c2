// Runs the real node entry point (`node src/main.ts`) as a child process, so
// lifecycle tests see what an operator sees: exit codes, stderr, signals, the
// data folder on disk. Every child is SIGKILLed after each test, and every
// data folder and PostgreSQL database is removed after the file.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach } from "vitest";
import { createToken } from "../../src/auth/tokens.ts";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.ts";
import { createTestDatabase, testDriver } from "../support/databases.ts";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Whether the nodes keep their data in PGlite folders (the pid lock applies then). */
export const pglite = testDriver() === "pglite";

/**
 * Per-test timeout. A start takes 1-3 s on an idle machine (the first in a
 * new PGlite folder runs initdb), but many times that when other test files
 * load both cores.
 */
export const SLOW = 300_000;

/**
 * How long a test waits for a node process to start or to exit: far beyond
 * what any machine needs (an idle one takes 1-3 s), so only a node that
 * hangs hits it, never a busy machine.
 */
export const PROCESS_LIMIT = 150_000;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * One co-op's durable identity across restarts: port (so the origin and
 * actor IRIs stay the same), data folder, and database (a PGlite folder
 * inside the data folder, or a fresh PostgreSQL database).
 */
export interface Site {
  port: number;
  origin: string;
  dataDir: string;
  databaseUrl?: string;
  /** WEFT_SECRET, or undefined to let the node keep its secret in the data folder. */
  secret?: string;
}

const cleanups: (() => Promise<void>)[] = [];
const children = new Set<NodeProcess>();

/**
 * `secret: false`: no WEFT_SECRET, the node keeps its own in the data folder.
 * `database: false`: no PostgreSQL database even under the postgres project
 * (for nodes that must not get as far as opening one).
 */
export async function createSite(options: { secret?: boolean; database?: boolean } = {}): Promise<Site> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "weft-lifecycle-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (!pglite && options.database !== false) {
    const database = await createTestDatabase();
    if (database.source.kind !== "postgres") throw new Error("expected a PostgreSQL test database");
    databaseUrl = database.source.url;
    cleanups.push(database.drop);
  }
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    dataDir,
    databaseUrl,
    secret:
      options.secret === false ? undefined : `lifecycle-secret-${port}-${Math.random().toString(36).slice(2)}-32chars`,
  };
}

/** The secret the node signs tokens with: WEFT_SECRET, or the file it created. */
export async function siteSecret(site: Site): Promise<string> {
  return site.secret ?? (await readFile(join(site.dataDir, "api-secret"), "utf8")).trim();
}

export async function adminToken(site: Site): Promise<string> {
  return await createToken(await siteSecret(site), { issuer: site.origin, scopes: ["admin"], expiresInSeconds: 600 });
}

/** Opens the site's database directly (only while no node runs on a PGlite folder). */
export function openSiteDatabase(site: Site): Promise<DatabaseHandle> {
  return openDatabase(
    site.databaseUrl ? { kind: "postgres", url: site.databaseUrl } : { kind: "pglite", dataDir: site.dataDir },
  );
}

export function lockFile(site: Site): string {
  return join(site.dataDir, "weft.pid");
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class NodeProcess {
  readonly child: ChildProcess;
  readonly site: Site;
  readonly exited: Promise<Exit>;
  #stderr = "";
  #stdout = "";

  constructor(child: ChildProcess, site: Site) {
    this.child = child;
    this.site = site;
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.#stderr += chunk;
    });
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      this.#stdout += chunk;
    });
    this.exited = new Promise((resolve) => {
      // "close", not "exit": stdio is fully read by then.
      child.once("close", (code, signal) => {
        children.delete(this);
        resolve({ code, signal });
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get stderr(): string {
    return this.#stderr;
  }

  get stdout(): string {
    return this.#stdout;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the process ended, or rejects after `timeoutMs`. */
  async exit(timeoutMs = PROCESS_LIMIT): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`node ${this.pid} did not exit within ${timeoutMs} ms; stderr:\n${this.#stderr}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends `signal` and waits for the process to end. */
  async stop(signal: NodeJS.Signals = "SIGTERM", timeoutMs = PROCESS_LIMIT): Promise<Exit> {
    this.child.kill(signal);
    return await this.exit(timeoutMs);
  }

  async api<T = any>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${await adminToken(this.site)}`,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(new URL(`/api/v1${path}`, this.site.origin), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(new URL(path, this.site.origin), { headers });
  }
}

// Variables the node reads; the test runner's own values must not leak in.
const NODE_VARIABLES = /^(PORT|HOST|DATABASE_URL|LOG_LEVEL|LOG_FORMAT|WEFT_.*)$/;

/** The environment `node src/main.ts` gets for `site`, plus `extra` (undefined removes a variable). */
export function siteEnv(site: Site, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!NODE_VARIABLES.test(key)) env[key] = value;
  Object.assign(env, {
    PORT: String(site.port),
    HOST: "127.0.0.1",
    WEFT_ORIGIN: site.origin,
    WEFT_DATA_DIR: site.dataDir,
    WEFT_SECRET: site.secret,
    DATABASE_URL: site.databaseUrl,
    LOG_LEVEL: "warning",
    ...extra,
  });
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Spawns `node src/main.ts` with exactly `env` (see siteEnv); does not wait for readiness. */
export function spawnNode(site: Site, env: Record<string, string> = siteEnv(site)): NodeProcess {
  const child = spawn(process.execPath, ["src/main.ts"], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  const node = new NodeProcess(child, site);
  children.add(node);
  return node;
}

/** Waits until the node answers GET /.well-known/nodeinfo with 200; fails early if it exits. */
export async function waitUntilReady(node: NodeProcess, timeoutMs = PROCESS_LIMIT): Promise<NodeProcess> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!node.running) {
      const { code, signal } = await node.exited;
      throw new Error(`node exited (code ${code}, signal ${signal}) before it was ready; stderr:\n${node.stderr}`);
    }
    try {
      const response = await fetch(new URL("/.well-known/nodeinfo", node.site.origin), {
        signal: AbortSignal.timeout(2_000),
      });
      await response.body?.cancel();
      if (response.status === 200) return node;
    } catch {}
    if (Date.now() > deadline) throw new Error(`node not ready within ${timeoutMs} ms; stderr:\n${node.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Spawns a node for `site` and waits until it is ready. */
export async function startNodeProcess(site: Site, extra: Record<string, string | undefined> = {}) {
  return await waitUntilReady(spawnNode(site, siteEnv(site, extra)));
}

afterEach(async () => {
  // Whatever a test left running (it failed half-way): kill it hard.
  const left = [...children];
  for (const node of left) node.child.kill("SIGKILL");
  await Promise.all(left.map((node) => node.exited));
});

afterAll(async () => {
  for (const node of children) node.child.kill("SIGKILL");
  await Promise.all([...children].map((node) => node.exited));
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
});
