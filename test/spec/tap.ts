// A wire tap for protocol tests between two real nodes: a loopback HTTP
// proxy that stands in front of a node as its public origin, passes every
// request through untouched, and records each POST to an inbox (headers and
// body) on the way. Unlike the recording peer (peer.ts), which can only
// stand in for one side, a tapped node talks to another Weft node, so a
// whole order between two co-ops can be watched as it goes over the wire.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll } from "vitest";
import { createTestDatabase } from "../support/databases.ts";
import { forwardToLoopback } from "../support/forward.ts";
import { launchNode, type TestNode } from "../support/launch.ts";
import type { Delivery } from "./peer.ts";

export class WireTap {
  /** Every POST to an inbox of the node behind the tap, in arrival order. */
  readonly deliveries: Delivery[] = [];
  readonly #server: Server;
  #targetPort = 0;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<WireTap> {
    let tap: WireTap | undefined;
    const server = createServer((req, res) => {
      void tap?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    tap = new WireTap(server);
    return tap;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  set target(port: number) {
    this.#targetPort = port;
  }

  /** Deliveries the node accepted (202) whose activity has this type. */
  accepted(type: string): Delivery[] {
    return this.deliveries.filter((d) => d.status === 202 && d.body.type === type);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    try {
      const answer = await forwardToLoopback(this.#targetPort, req, body);
      if (req.method === "POST" && /\/inbox$/.test(req.url ?? "")) {
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
        );
        this.deliveries.push({
          path: new URL(req.url ?? "/", this.origin).pathname,
          headers,
          body: JSON.parse(body.toString("utf8")) as Record<string, unknown>,
          status: answer.status,
        });
      }
      res.writeHead(answer.status, answer.headers).end(answer.body);
    } catch {
      if (!res.headersSent) res.writeHead(502).end();
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}

const running: { node: TestNode; tap: WireTap }[] = [];

afterAll(async () => {
  await Promise.all(running.map(({ node, tap }) => Promise.all([node.stop().catch(() => {}), tap.stop()])));
  running.length = 0;
});

/** A node whose public origin is a wire tap: what other nodes deliver to it is recorded there. */
export async function startTappedNode(): Promise<{ node: TestNode; tap: WireTap }> {
  const tap = await WireTap.start();
  const database = await createTestDatabase();
  const node = await launchNode({
    database: database.source,
    cleanup: database.drop,
    env: { WEFT_ORIGIN: tap.origin },
  });
  tap.target = (node.server.address() as AddressInfo).port;
  running.push({ node, tap });
  return { node, tap };
}
