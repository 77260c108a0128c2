// OpenTelemetry (src/telemetry.ts): with OTEL_EXPORTER_OTLP_ENDPOINT set, a
// node sends its spans and metrics over OTLP/HTTP (JSON) to a collector, here
// a node:http server on a loopback port; without it, the node's code loads
// none of the SDK (checked in a child process that records every module it
// resolves).
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, startNetwork } from "../support/network.ts";
import { repoRoot, SLOW } from "./process.ts";

interface KeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string | number; boolValue?: boolean };
}
interface OtlpSpan {
  name: string;
  attributes: KeyValue[];
}
interface OtlpMetric {
  name: string;
  sum?: { dataPoints: { attributes: KeyValue[]; asInt?: string | number; asDouble?: number }[] };
}
interface Received {
  service: string;
  spans: OtlpSpan[];
  metrics: OtlpMetric[];
}

/** A tiny OTLP/HTTP collector: every export it receives, by service name. */
async function startCollector(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      let body = Buffer.concat(chunks);
      if (request.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      if (request.method !== "POST" || !String(request.headers["content-type"]).startsWith("application/json")) {
        response.writeHead(415).end();
        return;
      }
      const document = JSON.parse(body.toString("utf8"));
      const resources = document.resourceSpans ?? document.resourceMetrics ?? [];
      for (const resource of resources) {
        const service = attribute(resource.resource?.attributes ?? [], "service.name") as string;
        if (request.url === "/v1/traces") {
          const spans = resource.scopeSpans.flatMap((s: { spans: OtlpSpan[] }) => s.spans);
          received.push({ service, spans, metrics: [] });
        } else if (request.url === "/v1/metrics") {
          const metrics = resource.scopeMetrics.flatMap((s: { metrics: OtlpMetric[] }) => s.metrics);
          received.push({ service, spans: [], metrics });
        }
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, server };
}

function attribute(attributes: KeyValue[], key: string): string | number | boolean | undefined {
  const value = attributes.find((a) => a.key === key)?.value;
  if (!value) return undefined;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.boolValue;
}

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});

describe("OpenTelemetry", () => {
  it(
    "sends spans and metrics of requests, queue work and a follow between two nodes to the collector",
    async () => {
      const collector = await startCollector();
      servers.push(collector.server);
      const env = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_SERVICE_NAME: "weft-test" };
      const [a, b] = await startNetwork(2, { env });
      expect((await a!.get("/healthz")).status).toBe(200);
      expect((await a!.api("GET", "/listings")).status).toBe(200);
      expect((await a!.api("GET", "/listings/00000000-0000-4000-8000-000000000000")).status).toBe(404);
      expect((await a!.api("POST", "/following", { actor: b!.actorUrl })).status).toBe(202);
      await eventually(async () => (await a!.api("GET", "/following")).body.items[0]?.state === "accepted");

      // Closing flushes what the batch processor and the metric reader still hold.
      await a!.stop();
      await b!.stop();

      const spans = collector.received.flatMap((r) => r.spans.map((span) => ({ ...span, service: r.service })));
      const metrics = collector.received.flatMap((r) => r.metrics);
      expect(collector.received.every((r) => r.service === "weft-test")).toBe(true);

      const names = spans.map((s) => s.name);
      // Our request spans: method and route, with the status.
      const health = spans.find((s) => s.name === "GET /healthz");
      expect(health && attribute(health.attributes, "http.response.status_code")).toBe(200);
      const missing = spans.find((s) => s.name === "GET /api/v1/listings/:id");
      expect(missing && attribute(missing.attributes, "http.response.status_code")).toBe(404);
      expect(names).toContain("POST /api/v1/following");
      // Our queue spans: the Follow going out from a, the Accept coming back.
      const queued = spans.filter((s) => s.name === "weft.queue.handle");
      expect(queued.map((s) => attribute(s.attributes, "weft.queue.message.type"))).toContain("outbox");
      // Fedify's own spans, through the tracer provider we gave it.
      expect(names).toContain("activitypub.send_activity");
      expect(names).toContain("activitypub.inbox");

      const metricNames = new Set(metrics.map((m) => m.name));
      for (const name of ["weft.http.server.request.count", "weft.http.server.request.duration", "weft.queue.depth"]) {
        expect(metricNames).toContain(name);
      }
      // Deliveries, as Fedify counts them: the Follow and the Accept, both delivered.
      const deliveries = metrics
        .filter((m) => m.name === "activitypub.delivery.sent")
        .flatMap((m) => m.sum?.dataPoints ?? []);
      expect(deliveries.some((p) => attribute(p.attributes, "activitypub.delivery.success") === true)).toBe(true);
    },
    SLOW,
  );

  it(
    "loads none of the SDK without OTEL_EXPORTER_OTLP_ENDPOINT, and loads it with the variable",
    async () => {
      const without = await sdkModulesLoaded({});
      expect(without).toEqual([]);
      const withIt = await sdkModulesLoaded({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" });
      expect(withIt).toEqual(
        expect.arrayContaining([
          "sdk-trace-base",
          "sdk-metrics",
          "exporter-trace-otlp-http",
          "exporter-metrics-otlp-http",
        ]),
      );
    },
    SLOW,
  );
});

/**
 * Loads the node's code (node.ts and everything it imports) in a child
 * process, starts telemetry as createNode does, and names the OpenTelemetry
 * packages other than the API and the semantic conventions (which Fedify always loads) that were resolved
 * from our node_modules.
 */
function sdkModulesLoaded(env: Record<string, string>): Promise<string[]> {
  const script = `
    import { registerHooks } from "node:module";
    const seen = new Set();
    registerHooks({
      resolve(specifier, context, next) {
        const result = next(specifier, context);
        // Fedify brings its own copy of sdk-metrics (under @fedify/fedify/node_modules) and loads it
        // whatever we do; ours are the packages at the top of node_modules.
        const match = /\\/node_modules\\/@opentelemetry\\/([^/]+)\\//.exec(result.url);
        if (match && !["api", "semantic-conventions"].includes(match[1]) && !result.url.includes("/@fedify/")) seen.add(match[1]);
        return result;
      },
    });
    await import("./src/temporal.ts");
    await import("./src/node.ts");
    const { loadConfig } = await import("./src/config.ts");
    const { startTelemetry } = await import("./src/telemetry.ts");
    const telemetry = await startTelemetry(loadConfig(process.env));
    await telemetry?.shutdown();
    console.log(JSON.stringify([...seen].sort()));
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--input-type=module", "-e", script],
      { cwd: repoRoot, env: { PATH: process.env.PATH, ...env } },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split("\n").at(-1)!));
      },
    );
  });
}
