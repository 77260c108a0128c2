// Entry points on a Node older than 24.2 stop with one line instead of
// silently doing nothing.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { nodeVersionProblem } from "../../src/node-version.ts";

const ROOT = resolve(import.meta.dirname, "../..");

function systemNode(): { path: string; version: string } | null {
  for (const path of ["/usr/bin/node", "/usr/local/bin/node"]) {
    const run = spawnSync(path, ["--version"], { encoding: "utf8" });
    if (run.status === 0) return { path, version: run.stdout.trim().replace(/^v/, "") };
  }
  return null;
}

describe("the Node version check", () => {
  it("accepts 24.2 and later, refuses earlier", () => {
    for (const ok of ["24.2.0", "24.9.0", "25.0.0", "30.1.2"]) expect(nodeVersionProblem(ok)).toBeNull();
    for (const old of ["24.1.9", "22.18.0", "20.20.2"]) {
      expect(nodeVersionProblem(old)).toBe(`Weft needs Node 24.2 or newer; this is Node ${old}.`);
    }
  });

  const old = systemNode();
  it.skipIf(!old || nodeVersionProblem(old.version) === null)(
    "bin/weft.js says so in one line on an older Node",
    () => {
      const run = spawnSync(old!.path, [resolve(ROOT, "bin/weft.js"), "status"], { encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`Weft needs Node 24.2 or newer; this is Node ${old!.version}.\n`);
      expect(run.stdout).toBe("");
    },
  );
});
