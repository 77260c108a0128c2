import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { createSite, lockFile, pglite, SLOW, startNodeProcess } from "./process.ts";

describe("kill -9", () => {
  it(
    "loses no acknowledged write, and the next start takes over the stale lock",
    async () => {
      const site = await createSite();
      const node = await startNodeProcess(site);

      // Each write changes a different field, so every one of them must have survived.
      const writes = [
        { name: "Acknowledged 1" },
        { summary: "Written second" },
        { region: "FR-BRE" },
        { website: "https://coop.example/fourth" },
        { name: "Acknowledged 5" },
      ];
      for (const patch of writes) {
        const answer = await node.api("PATCH", "/node", patch);
        expect(answer.status).toBe(200);
      }
      // Killed right after the last 200: no chance to flush or close anything.
      expect(await node.stop("SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
      if (pglite) expect((await readFile(lockFile(site), "utf8")).trim()).toBe(String(node.pid));

      const again = await startNodeProcess(site);
      if (pglite) expect((await readFile(lockFile(site), "utf8")).trim()).toBe(String(again.pid));
      const state = await again.api("GET", "/node");
      expect(state.status).toBe(200);
      expect(state.body).toMatchObject({
        name: "Acknowledged 5",
        summary: "Written second",
        region: "FR-BRE",
        website: "https://coop.example/fourth",
      });

      // And the recovered database takes writes and stops cleanly.
      expect((await again.api("PATCH", "/node", { name: "After the crash" })).status).toBe(200);
      expect(await again.stop()).toEqual({ code: 0, signal: null });
      expect(existsSync(lockFile(site))).toBe(false);
    },
    SLOW,
  );
});
