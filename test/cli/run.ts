// Runs the real `weft` command in a subprocess, against nodes started in this
// process, with the environment those nodes were started with.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import type { TestNode } from "../support/network.ts";

const BIN = fileURLToPath(new URL("../../bin/weft.js", import.meta.url));

export interface WeftRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface WeftOptions {
  /** Written to the command's stdin (otherwise stdin is empty). */
  input?: string;
  timeoutMs?: number;
}

/** `weft ...args` with exactly `env` (nothing inherited, so the test's own environment cannot leak in). */
export function weft(args: string[], env: Record<string, string>, options: WeftOptions = {}): Promise<WeftRun> {
  // Far beyond what a command needs, even on a busy machine: only a hung command hits it.
  const { input, timeoutMs = 120_000 } = options;
  return new Promise((resolve, reject) => {
    // process.execPath is the Node that runs Vitest (24), whatever `node` on PATH is.
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: "pipe" });
    // A command that exits without reading its input closes the pipe: not a test failure.
    child.stdin.on("error", () => {});
    child.stdin.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const tempDirs: string[] = [];

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "weft-cli-"));
  tempDirs.push(dir);
  return dir;
}

/** The environment `node` was started with, so the CLI finds it and signs tokens it accepts. */
export async function envFor(node: TestNode, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    PORT: new URL(node.origin).port,
    WEFT_ORIGIN: node.origin,
    WEFT_SECRET: node.config.secret!,
    WEFT_HANDLE: node.config.handle,
    WEFT_DATA_DIR: await tempDir(),
    ...extra,
  };
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}
