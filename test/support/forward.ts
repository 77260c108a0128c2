// Passes one buffered HTTP request on to a node on loopback, unchanged
// (headers, signature and body), and buffers its answer: the shared step of
// the test proxies that sit between two nodes.
import { request as httpRequest, type IncomingMessage } from "node:http";

export interface ForwardedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function forwardToLoopback(port: number, req: IncomingMessage, body: Buffer): Promise<ForwardedAnswer> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      { host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers },
      (response) => {
        const parts: Buffer[] = [];
        response.on("data", (c: Buffer) => parts.push(c));
        response.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(response.headers)) {
            if (typeof v === "string" && k !== "transfer-encoding" && k !== "connection") headers[k] = v;
          }
          resolve({ status: response.statusCode ?? 502, headers, body: Buffer.concat(parts) });
        });
        response.on("error", reject);
      },
    );
    upstream.on("error", reject);
    upstream.end(body);
  });
}
