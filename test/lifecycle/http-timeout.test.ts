// WEFT_HTTP_TIMEOUT in a real node process: a server that accepts the
// connection and never answers does not hold the node's request.

import type { AddressInfo } from "node:net";
import { createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { createSite, SLOW, startNodeProcess } from "./process.ts";

describe("outgoing requests have a time limit", () => {
  it(
    "following a co-op whose server never answers fails after WEFT_HTTP_TIMEOUT, with a problem",
    async () => {
      const sockets: Socket[] = [];
      const tarpit = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => tarpit.listen(0, "127.0.0.1", resolve));
      const port = (tarpit.address() as AddressInfo).port;
      try {
        const node = await startNodeProcess(await createSite(), { WEFT_HTTP_TIMEOUT: "1" });
        const started = Date.now();
        // By actor URL: Fedify fetches the actor document (WebFinger has a limit of its own).
        const answer = await node.api("POST", "/following", { actor: `http://127.0.0.1:${port}/coops/coop` });
        const elapsed = Date.now() - started;
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.headers.get("content-type")).toContain("application/problem+json");
        expect(elapsed).toBeGreaterThanOrEqual(900);
        // Far below forever (the tarpit never answers), far above what a busy machine adds.
        expect(elapsed).toBeLessThan(60_000);
        expect(sockets.length).toBeGreaterThan(0);
        // Nothing was stored for it.
        expect((await node.api("GET", "/following")).body.items).toEqual([]);
        expect(await node.stop()).toEqual({ code: 0, signal: null });
      } finally {
        for (const socket of sockets) socket.destroy();
        tarpit.close();
      }
    },
    SLOW,
  );
});
