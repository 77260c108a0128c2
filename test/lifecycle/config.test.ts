import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSite, siteEnv, spawnNode } from "./process.ts";

describe("starting with a bad configuration", () => {
  it("exits 1 naming every bad variable, and creates nothing", async () => {
    const site = await createSite({ database: false });
    const dataDir = join(site.dataDir, "never-created");
    const node = spawnNode(
      site,
      siteEnv(site, {
        PORT: "abc",
        WEFT_FOLLOW_APPROVAL: "sometimes",
        WEFT_ORIGIN: "ftp://x",
        LOG_LEVEL: "loud",
        LOG_FORMAT: "xml",
        DATABASE_URL: "mysql://db.example/weft",
        WEFT_SECRET: "too-short",
        WEFT_QUEUE_WORKER: "maybe",
        WEFT_DATA_DIR: dataDir,
      }),
    );
    const { code } = await node.exit();
    expect(code).toBe(1);
    const named = [
      "PORT",
      "WEFT_FOLLOW_APPROVAL",
      "WEFT_ORIGIN",
      "LOG_LEVEL",
      "LOG_FORMAT",
      "DATABASE_URL",
      "WEFT_SECRET",
      "WEFT_QUEUE_WORKER",
    ];
    const lines = node.stderr.trim().split("\n");
    // One heading line, then one line for each bad variable; no stack trace.
    expect(lines[0]).toMatch(/invalid configuration/i);
    for (const variable of named) {
      expect(
        lines.filter((line) => line.trim().startsWith(`${variable}:`)),
        variable,
      ).toHaveLength(1);
    }
    expect(lines).toHaveLength(named.length + 1);
    expect(node.stderr).not.toMatch(/^\s+at /m);
    expect(node.stdout).toBe("");
    expect(existsSync(dataDir)).toBe(false);
  });

  it("says what is wrong with each value", async () => {
    const site = await createSite({ database: false });
    const node = spawnNode(site, siteEnv(site, { PORT: "70000", WEFT_HANDLE: "bad handle!", HOST: "" }));
    expect((await node.exit()).code).toBe(1);
    expect(node.stderr).toMatch(/PORT: must be between 0 and 65535/);
    expect(node.stderr).toMatch(/WEFT_HANDLE: must be 1-64 letters/);
    // An empty variable means "unset" (HOST falls back to its default): not an error.
    expect(node.stderr).not.toMatch(/HOST/);
  });
});
