// installFetchTimeout: a server that accepts a connection and never answers
// cannot hold one of the node's requests longer than the limit.
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installFetchTimeout } from "../../src/http-timeout.ts";

function listen(server: Server | ReturnType<typeof createHttpServer>): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
  });
}

describe("installFetchTimeout", () => {
  const sockets: Socket[] = [];
  // Accepts connections and never says a word.
  const tarpit = createServer((socket) => void sockets.push(socket));
  const answering = createHttpServer((_req, res) => setTimeout(() => res.end("fine"), 200));
  let tarpitUrl: string;
  let answeringUrl: string;
  beforeAll(async () => {
    tarpitUrl = await listen(tarpit);
    answeringUrl = await listen(answering);
    installFetchTimeout(500);
  });
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    tarpit.close();
    answering.close();
  });

  it("gives up on a server that never answers, after the limit", async () => {
    const started = Date.now();
    await expect(fetch(tarpitUrl)).rejects.toThrow(/timeout|aborted/i);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(5_000);
    // A Request object (as Fedify sends deliveries) is bounded too.
    await expect(fetch(new Request(tarpitUrl, { method: "POST", body: "{}" }))).rejects.toThrow(/timeout|aborted/i);
  });

  it("lets an answer within the limit through, and keeps the caller's own signal", async () => {
    expect(await (await fetch(answeringUrl)).text()).toBe("fine");
    const mine = new AbortController();
    const pending = fetch(tarpitUrl, { signal: mine.signal });
    mine.abort(new Error("changed my mind"));
    await expect(pending).rejects.toThrow("changed my mind");
  });

  it("takes a new limit from a later call", async () => {
    installFetchTimeout(100);
    const started = Date.now();
    await expect(fetch(tarpitUrl)).rejects.toThrow(/timeout|aborted/i);
    expect(Date.now() - started).toBeLessThan(450);
  });
});
