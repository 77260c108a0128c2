import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { NODE_FLAGS } from "../../src/node-flags.ts";

describe("the node's V8 flags", () => {
  it("are the same for npm start, weft start and npm run bench", async () => {
    const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
    expect(pkg.scripts.start).toBe(`node ${NODE_FLAGS.join(" ")} src/main.ts`);
    // The benchmarks host nodes in their own process too: measure them as they run.
    expect(pkg.scripts.bench).toBe(`node ${NODE_FLAGS.join(" ")} bench/run.ts`);
  });
});
