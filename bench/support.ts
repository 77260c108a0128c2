// Shared pieces of the benchmarks: figures, statistics, cleanup, and Weft
// nodes started as real `node src/main.ts` subprocesses.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import type { LogLevel } from "../src/config.ts";
import { setupLogging } from "../src/logging.ts";
import { NODE_FLAGS } from "../src/node-flags.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** One measured number. `target` is an upper bound; `met` says whether `value` is within it. */
export interface Figure {
  name: string;
  value: number;
  unit: "ms" | "MB" | "KB" | "count";
  target?: number;
  note?: string;
  /** A part of the figure above it (indented in the table). */
  part?: boolean;
}

export interface Benchmark {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<Figure[]>;
}

let logging: Promise<void> | undefined;

/**
 * Configures LogTape for nodes running inside the bench process, once: the
 * nodes log nothing unless BENCH_LOG sets a level (LogTape drops messages
 * while unconfigured). Configuring twice would dispose the first stderr
 * sink, which closes process.stderr for the rest of the run.
 */
export function benchLogging(): Promise<void> {
  const level = process.env.BENCH_LOG as LogLevel | undefined;
  if (!level) return Promise.resolve();
  logging ??= setupLogging({ logLevel: level, logFormat: "text" });
  return logging;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: p99 of 50 samples is the largest one.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const median = (values: readonly number[]) => percentile(values, 50);

/**
 * Cleanup that runs even when a benchmark fails or the bench is interrupted.
 * The runner gives each benchmark its own scope (`scope()`), closed as soon
 * as that benchmark ends; what benchmarks share (the prepared data folder,
 * the PostgreSQL check) lives in the root context until the very end.
 */
export class BenchContext {
  readonly #root: BenchContext;
  readonly #cleanups: (() => Promise<void> | void)[] = [];
  readonly #children = new Set<ChildProcess>();
  #preparedDataDir?: Promise<PreparedDataDir>;
  #postgres?: Promise<string | null>;

  constructor(parent?: BenchContext) {
    this.#root = parent ? parent.#root : this;
    if (!parent) {
      // Last resort: never leave a node subprocess running after we exit.
      process.once("exit", () => {
        for (const child of this.#children) child.kill("SIGKILL");
      });
    }
  }

  /** A child context whose cleanups run when it is closed; shared resources stay in the root. */
  scope(): BenchContext {
    return new BenchContext(this);
  }

  /** Registers `fn` to run at the end, newest first. */
  defer(fn: () => Promise<void> | void): void {
    this.#cleanups.push(fn);
  }

  trackChild(child: ChildProcess): void {
    for (const context of new Set([this, this.#root])) {
      context.#children.add(child);
      child.once("exit", () => context.#children.delete(child));
    }
  }

  async tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.defer(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  /**
   * A PGlite data folder that one node has already initialised (migrations,
   * keys, secret), shared by the benchmarks that need one. Its first start
   * is measured while preparing it.
   */
  preparedDataDir(): Promise<PreparedDataDir> {
    if (this.#root !== this) return this.#root.preparedDataDir();
    this.#preparedDataDir ??= (async () => {
      const dataDir = await this.tempDir("weft-bench-data-");
      const node = await startSubprocessNode(this, { dataDir });
      await node.stop();
      return { dataDir, firstStartMs: node.readyMs, firstStartReadyLogMs: node.readyLogMs };
    })();
    return this.#preparedDataDir;
  }

  /** The PostgreSQL admin URL when a server answers, else null (PostgreSQL figures are skipped). */
  postgresUrl(): Promise<string | null> {
    if (this.#root !== this) return this.#root.postgresUrl();
    this.#postgres ??= (async () => {
      const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
      const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
      try {
        await sql`select 1`;
        return url;
      } catch {
        return null;
      } finally {
        await sql.end({ timeout: 1 }).catch(() => {});
      }
    })();
    return this.#postgres;
  }

  /** Creates a database (optionally from a template) that is dropped at the end. */
  async createPostgresDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
    this.defer(() => dropPostgresDatabase(adminUrl, name));
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
    } finally {
      await sql.end({ timeout: 5 });
    }
    return databaseUrl(adminUrl, name);
  }

  async close(): Promise<void> {
    for (const child of this.#children) child.kill("SIGKILL");
    while (this.#cleanups.length > 0) {
      const fn = this.#cleanups.pop()!;
      try {
        await fn();
      } catch (error) {
        try {
          process.stderr.write(`cleanup failed: ${(error as Error).message}\n`);
        } catch {}
      }
    }
  }
}

export interface PreparedDataDir {
  dataDir: string;
  firstStartMs: number;
  firstStartReadyLogMs: number | null;
}

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.href;
}

async function dropPostgresDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A unique, valid PostgreSQL identifier for this bench run. */
export function benchDatabaseName(suffix: string): string {
  return `weft_bench_${process.pid}_${Date.now().toString(36)}_${suffix}`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Extra Node.js flags for the node subprocesses, to compare settings: BENCH_NODE_ARGS="--liftoff-only". */
export function nodeArgs(): string[] {
  return (process.env.BENCH_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
}

export interface SubprocessNode {
  child: ChildProcess;
  pid: number;
  origin: string;
  dataDir: string;
  /** From spawn to the first 200 of GET /.well-known/nodeinfo. */
  readyMs: number;
  /** What the node itself logs as "ready in N ms" (createNode + listen), when it logged it. */
  readyLogMs: number | null;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `node src/main.ts` and waits until GET /.well-known/nodeinfo is
 * 200, polling every 10 ms. The clock starts right before spawn().
 */
export async function startSubprocessNode(
  ctx: BenchContext,
  options: { dataDir: string; databaseUrl?: string; timeoutMs?: number; port?: number },
): Promise<SubprocessNode> {
  // A fixed port keeps the origin (and so every IRI the node mints) the same across restarts.
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The bench decides the node's configuration, not the caller's shell.
    if (value !== undefined && !key.startsWith("WEFT_") && key !== "DATABASE_URL" && key !== "NODE_OPTIONS") {
      env[key] = value;
    }
  }
  Object.assign(env, {
    PORT: String(port),
    HOST: "127.0.0.1",
    WEFT_ORIGIN: origin,
    WEFT_DATA_DIR: options.dataDir,
    LOG_LEVEL: "info",
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  let stderr = "";
  const started = performance.now();
  // What `npm start` runs: the node's own V8 flags, then any the bench adds.
  const args = [...NODE_FLAGS, ...nodeArgs(), join(ROOT, "src/main.ts")];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: "pipe" });
  ctx.trackChild(child);
  child.stdout.setEncoding("utf8").on("data", () => {});
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  let exited: number | string | null | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = code ?? signal;
      resolve();
    });
  });
  const stop = async () => {
    if (exited !== undefined) return;
    child.kill("SIGTERM");
    const killed = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exit;
    clearTimeout(killed);
  };

  const deadline = started + (options.timeoutMs ?? 30_000);
  const url = `${origin}/.well-known/nodeinfo`;
  let readyMs: number | undefined;
  while (readyMs === undefined) {
    if (exited !== undefined) throw new Error(`The node exited (${exited}) before it was ready:\n${stderr}`);
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`The node was not ready after ${options.timeoutMs ?? 30_000} ms:\n${stderr}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) readyMs = performance.now() - started;
    } catch {
      // Not listening yet.
    }
    if (readyMs === undefined) await sleep(10);
  }
  // The log line is written right after listening; give stderr a moment.
  let readyLogMs: number | null = null;
  for (let i = 0; i < 50 && readyLogMs === null; i++) {
    const match = /ready in (\d+) ms/.exec(stderr);
    if (match) readyLogMs = Number(match[1]);
    else await sleep(10);
  }
  return {
    child,
    pid: child.pid!,
    origin,
    dataDir: options.dataDir,
    readyMs,
    readyLogMs,
    stderr: () => stderr,
    stop,
  };
}

/** VmRSS and VmHWM (peak) of a process, in MB. */
export async function memoryOf(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    if (!match) throw new Error(`No ${field} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}
