// A loopback HTTP proxy that stands in front of a node as its public
// origin and mistreats deliveries to inboxes: it drops some (answering 503,
// so the sender retries, as with a lost connection), delivers some twice,
// and holds others back for a while so they overtake each other. Everything
// else passes through untouched. Randomness comes from a seed, so a failing
// run can be replayed.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type ForwardedAnswer, forwardToLoopback } from "./forward.ts";

export interface Mischief {
  drop: number;
  duplicate: number;
  delay: number;
  maxDelayMs: number;
}

/** mulberry32: a small, well-mixed seeded generator (nearby seeds give unrelated streams). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export class DisruptiveProxy {
  readonly server: Server;
  targetPort = 0;
  mischief: Mischief = { drop: 0, duplicate: 0, delay: 0, maxDelayMs: 0 };
  random: () => number = Math.random;
  inFlight = 0;
  readonly stats = { forwarded: 0, dropped: 0, duplicated: 0, delayed: 0 };

  constructor() {
    this.server = createServer((req, res) => void this.#handle(req, res));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: import("node:http").ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const isDelivery = req.method === "POST" && /\/inbox$/.test(req.url ?? "");
    this.inFlight++;
    try {
      if (isDelivery && this.random() < this.mischief.drop) {
        this.stats.dropped++;
        res.writeHead(503).end();
        return;
      }
      if (isDelivery && this.random() < this.mischief.delay) {
        this.stats.delayed++;
        await new Promise((r) => setTimeout(r, this.random() * this.mischief.maxDelayMs));
      }
      const first = await this.#forward(req, body);
      res.writeHead(first.status, first.headers).end(first.body);
      if (isDelivery && this.random() < this.mischief.duplicate) {
        this.stats.duplicated++;
        await new Promise((r) => setTimeout(r, this.random() * this.mischief.maxDelayMs));
        await this.#forward(req, body).catch(() => {});
      }
    } catch {
      if (!res.headersSent) res.writeHead(502).end();
    } finally {
      this.inFlight--;
    }
  }

  #forward(req: IncomingMessage, body: Buffer): Promise<ForwardedAnswer> {
    this.stats.forwarded++;
    return forwardToLoopback(this.targetPort, req, body);
  }
}
