import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { adminToken, createSite, lockFile, pglite, SLOW, startNodeProcess } from "./process.ts";

/** Whether a new TCP connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

interface Answer {
  status: number;
  connection?: string;
  body: string;
}

/** A request whose body is sent in two parts: the node is inside it until `finish()`. */
function slowRequest(agent: Agent, url: string, headers: Record<string, string>, body: string) {
  let finish = () => {};
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = request(url, {
      agent,
      method: "PATCH",
      headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: text }));
    });
    const half = Math.floor(body.length / 2);
    req.flushHeaders();
    req.write(body.slice(0, half));
    finish = () => req.end(body.slice(half));
  });
  return { answer, finish };
}

/** A GET on a keep-alive agent; errors (refused, reset) are expected while the node stops. */
function ping(agent: Agent, url: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve());
    });
    req.on("error", () => resolve());
    req.end();
  });
}

describe("stopping with SIGTERM", () => {
  it(
    "finishes the request in flight, exits 0, releases the data folder and starts again",
    async () => {
      const site = await createSite();
      const node = await startNodeProcess(site, { LOG_LEVEL: "info" });
      if (pglite) expect((await readFile(lockFile(site), "utf8")).trim()).toBe(String(node.pid));

      // A keep-alive client, like a reverse proxy or the CLI in a loop.
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const slow = slowRequest(
        agent,
        `${site.origin}/api/v1/node`,
        { authorization: `Bearer ${await adminToken(site)}` },
        JSON.stringify({ name: "Finished in flight" }),
      );
      // Let the node receive the headers and start on the request. A scenario
      // sleep, not a check: the node shows no sign of a request that has
      // started, and a node that got the request late fails the test (the
      // answer below is refused), it cannot make it pass.
      await new Promise((r) => setTimeout(r, 500));

      node.child.kill("SIGTERM");
      // The node stops listening at once, but waits for the request it is in.
      await expect.poll(() => refused(site.port), { timeout: 120_000 }).toBe(true);
      // Still running: it waits for the request (whose answer below proves it).
      expect(node.running).toBe(true);

      slow.finish();
      const answer = await slow.answer;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).name).toBe("Finished in flight");
      expect(answer.connection).toBe("close");

      // The client keeps asking on its keep-alive agent; that must not hold the node open.
      let exited = false;
      const pinging = (async () => {
        while (!exited) {
          await ping(agent, `${site.origin}/.well-known/nodeinfo`);
          // Pacing, part of the scenario: a client asking now and then.
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      try {
        expect(await node.exit()).toEqual({ code: 0, signal: null });
      } finally {
        exited = true;
        await pinging;
        agent.destroy();
      }
      // The last words are logged, not lost at exit.
      expect(node.stderr.trim().split("\n").at(-1)).toMatch(/Stopped$/);
      expect(existsSync(lockFile(site))).toBe(false);

      const again = await startNodeProcess(site);
      expect((await again.api("GET", "/node")).body.name).toBe("Finished in flight");
      expect(await again.stop()).toEqual({ code: 0, signal: null });
    },
    SLOW,
  );
});
