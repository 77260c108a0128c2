// The soak test's nodes (bench/soak.ts): three `npm start` subprocesses on
// their own PGlite folders and fixed ports, so a node stopped by the chaos
// loop comes back with the same data and the same origin (every IRI it
// minted stays valid). The bench talks to them only through the admin API on
// 127.0.0.1, with short-lived admin tokens signed with each folder's secret,
// as `weft token create` would make them.
import { readFile } from "node:fs/promises";
import { createToken } from "../src/auth/tokens.ts";
import { secretPath } from "../src/secret.ts";
import { type BenchContext, freePort, memoryOf, type SubprocessNode, sleep, startSubprocessNode } from "./support.ts";

/** Tokens live under an hour (no record needed); a fresh one well before that. */
const TOKEN_SECONDS = 3000;
const TOKEN_RENEW_MS = 30 * 60_000;
const REQUEST_TIMEOUT_MS = 30_000;

export interface ApiAnswer {
  status: number;
  /** The parsed JSON; the bench reads a few fields of each answer. */
  body: any;
}

export class SoakNode {
  readonly name: string;
  readonly dataDir: string;
  readonly port: number;
  readonly origin: string;
  readonly #ctx: BenchContext;
  #process?: SubprocessNode;
  #token?: { value: string; at: number };
  /** Set when the chaos loop has stopped this node; requests are not sent. */
  down = false;
  starts = 0;
  startedAt = 0;

  constructor(ctx: BenchContext, name: string, dataDir: string, port: number) {
    this.#ctx = ctx;
    this.name = name;
    this.dataDir = dataDir;
    this.port = port;
    this.origin = `http://127.0.0.1:${port}`;
  }

  static async create(ctx: BenchContext, name: string): Promise<SoakNode> {
    const node = new SoakNode(ctx, name, await ctx.tempDir(`weft-soak-${name}-`), await freePort());
    await node.start();
    return node;
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  async start(): Promise<void> {
    // A restart after SIGKILL may find PGlite recovering; give it time.
    this.#process = await startSubprocessNode(this.#ctx, {
      dataDir: this.dataDir,
      port: this.port,
      timeoutMs: 120_000,
    });
    this.starts++;
    this.startedAt = performance.now();
    this.down = false;
  }

  /** SIGTERM (a clean shutdown, killed after 10 s) or SIGKILL (a crash). */
  async stop(signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    this.down = true;
    const running = this.#process;
    this.#process = undefined;
    if (!running) return;
    if (signal === "SIGTERM") return running.stop();
    const exited = new Promise<void>((resolve) => {
      if (running.child.exitCode !== null || running.child.signalCode !== null) resolve();
      else running.child.once("exit", () => resolve());
    });
    running.child.kill("SIGKILL");
    await exited;
  }

  stderr(): string {
    return this.#process?.stderr() ?? "";
  }

  async rssMb(): Promise<number> {
    const pid = this.pid;
    if (pid === undefined) return Number.NaN;
    return (await memoryOf(pid)).rssMb;
  }

  async #bearer(): Promise<string> {
    if (!this.#token || performance.now() - this.#token.at > TOKEN_RENEW_MS) {
      const secret = (await readFile(secretPath(this.dataDir), "utf8")).trim();
      const value = await createToken(secret, {
        issuer: this.origin,
        scopes: ["admin"],
        expiresInSeconds: TOKEN_SECONDS,
        subject: "soak",
      });
      this.#token = { value, at: performance.now() };
    }
    return this.#token.value;
  }

  /** One admin API call; status 0 when the node did not answer (stopped, or stopping). */
  async api(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    if (this.down) return { status: 0, body: null };
    try {
      const response = await fetch(`${this.origin}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await this.#bearer()}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: response.status, body: parsed };
    } catch {
      return { status: 0, body: null };
    }
  }

  async queueDepth(): Promise<{ queued: number; ready: number; delayed: number } | null> {
    const answer = await this.api("GET", "/node");
    return answer.status === 200 ? answer.body.queue : null;
  }
}

/** Waits until `check` holds, looking every `intervalMs`; false when `timeoutMs` passed first. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 1000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await sleep(intervalMs);
  }
  return false;
}
