import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { createSite, freePort, lockFile, pglite, SLOW, siteEnv, spawnNode, startNodeProcess } from "./process.ts";

describe("one data folder, one node", () => {
  it.skipIf(!pglite)(
    "a second node on the same PGlite folder exits 1 with one clear line",
    async () => {
      const site = await createSite();
      const first = await startNodeProcess(site);
      expect((await first.api("PATCH", "/node", { name: "First" })).status).toBe(200);

      const secondPort = await freePort();
      const second = spawnNode(
        site,
        siteEnv(site, { PORT: String(secondPort), WEFT_ORIGIN: `http://127.0.0.1:${secondPort}` }),
      );
      expect((await second.exit()).code).toBe(1);
      const lines = second.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(site.dataDir);
      expect(lines[0]).toMatch(/in use by another Weft process \(pid \d+\)/);
      expect(lines[0]).toContain(`pid ${first.pid}`);

      // The first node is untouched: it keeps its lock and its data.
      expect((await readFile(lockFile(site), "utf8")).trim()).toBe(String(first.pid));
      const state = await first.api("GET", "/node");
      expect(state.status).toBe(200);
      expect(state.body.name).toBe("First");
      expect((await first.api("PATCH", "/node", { name: "Still first" })).status).toBe(200);
      expect(await first.stop()).toEqual({ code: 0, signal: null });
    },
    SLOW,
  );

  it(
    "a busy port exits 1 with one clear line, and leaves the data usable",
    async () => {
      const site = await createSite();
      const squatter = createServer();
      await new Promise<void>((resolve) => squatter.listen(site.port, "127.0.0.1", resolve));
      try {
        const node = spawnNode(site);
        expect((await node.exit()).code).toBe(1);
        expect(node.stderr.trim()).toBe(`Port ${site.port} is already in use; set PORT to another port.`);
        // It closed the database it had opened: no stale lock left behind.
        expect(existsSync(lockFile(site))).toBe(false);
      } finally {
        await new Promise<void>((resolve) => squatter.close(() => resolve()));
      }
      const node = await startNodeProcess(site);
      expect((await node.api("GET", "/node")).status).toBe(200);
      expect(await node.stop()).toEqual({ code: 0, signal: null });
    },
    SLOW,
  );
});
