// OpenTelemetry for operators who run a collector: when
// OTEL_EXPORTER_OTLP_ENDPOINT is set, traces and metrics leave over OTLP/HTTP
// (JSON). The SDK is imported only then (dynamic import()), so a node without
// the variable loads none of it and keeps its memory. The providers are given
// to Fedify (its own spans and metrics: inboxes, deliveries, signatures) and to
// our HTTP middleware and queue, never registered globally: two nodes in one
// test process keep their telemetry apart.
import { type Attributes, type MeterProvider, SpanKind, SpanStatusCode, type TracerProvider } from "@opentelemetry/api";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Config } from "./config.ts";
import { logger } from "./logging.ts";
import { VERSION } from "./version.ts";

const log = logger("telemetry");

/** How long close() waits for the last spans and metrics to reach the collector. */
const FLUSH_LIMIT_MS = 5_000;

export interface QueueDepth {
  ready?: number;
  delayed?: number;
}

export interface Telemetry {
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
  /** A span and the request metrics for every HTTP request: method, route, status. */
  middleware: MiddlewareHandler;
  /** Runs the handling of one queued message inside a span (DrizzleMessageQueue's `around`). */
  aroundHandle(message: unknown, handle: () => Promise<void>): Promise<void>;
  /** Reports the queue's depth at each metric export. */
  observeQueueDepth(depth: () => Promise<QueueDepth>): void;
  /** Sends what is still buffered and stops the exporters (bounded: a collector that is down cannot hold a stop). */
  shutdown(): Promise<void>;
}

/** Starts the SDK when the config names a collector; undefined (and nothing loaded) otherwise. */
export async function startTelemetry(config: Config): Promise<Telemetry | undefined> {
  if (!config.telemetry) return undefined;
  const { endpoint, serviceName } = config.telemetry;
  const [traceSdk, metricsSdk, traceExporter, metricsExporter, resources] = await Promise.all([
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/sdk-metrics"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/exporter-metrics-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const resource = resources.resourceFromAttributes({
    "service.name": serviceName,
    "service.version": VERSION,
    "service.instance.id": config.origin,
  });
  const tracerProvider = new traceSdk.BasicTracerProvider({
    resource,
    spanProcessors: [
      new traceSdk.BatchSpanProcessor(new traceExporter.OTLPTraceExporter({ url: `${endpoint}/v1/traces` })),
    ],
  });
  const meterProvider = new metricsSdk.MeterProvider({
    resource,
    readers: [
      new metricsSdk.PeriodicExportingMetricReader({
        exporter: new metricsExporter.OTLPMetricExporter({ url: `${endpoint}/v1/metrics` }),
        exportIntervalMillis: 60_000,
      }),
    ],
  });
  log.info("Sending traces and metrics to {endpoint} as {serviceName}", { endpoint, serviceName });

  const tracer = tracerProvider.getTracer("weft", VERSION);
  const meter = meterProvider.getMeter("weft", VERSION);
  const requests = meter.createCounter("weft.http.server.request.count", {
    description: "HTTP requests answered, by method, route and status.",
    unit: "{request}",
  });
  const durations = meter.createHistogram("weft.http.server.request.duration", {
    description: "Time to answer an HTTP request.",
    unit: "s",
  });
  const handled = meter.createCounter("weft.queue.message.count", {
    description: "Queued messages handled, by type (outbox: a delivery, inbox, fanout) and outcome.",
    unit: "{message}",
  });
  const depthGauge = meter.createObservableGauge("weft.queue.depth", {
    description: "Messages in the queue, ready or delayed (waiting for a retry or a set time).",
    unit: "{message}",
  });

  const middleware: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    const method = c.req.method;
    await tracer.startActiveSpan(
      method,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "url.path": c.req.path } },
      async (span) => {
        try {
          await next();
        } finally {
          // The pattern of the last handler that ran (`/api/v1/listings/:id`), or
          // `/*` when the Fedify front door answered (Fedify's own spans name its route).
          const route = routePath(c) || "/*";
          const status = c.res.status;
          const attributes: Attributes = {
            "http.request.method": method,
            "http.route": route,
            "http.response.status_code": status,
          };
          span.updateName(`${method} ${route}`);
          span.setAttributes(attributes);
          if (c.error) span.recordException(c.error);
          if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          requests.add(1, attributes);
          durations.record((performance.now() - started) / 1000, attributes);
        }
      },
    );
  };

  const aroundHandle = (message: unknown, handle: () => Promise<void>) => {
    const type = messageType(message);
    return tracer.startActiveSpan(
      "weft.queue.handle",
      { kind: SpanKind.CONSUMER, attributes: { "weft.queue.message.type": type } },
      async (span) => {
        try {
          await handle();
          handled.add(1, { "weft.queue.message.type": type, "weft.queue.outcome": "handled" });
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: String((error as Error)?.message ?? error) });
          handled.add(1, { "weft.queue.message.type": type, "weft.queue.outcome": "failed" });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  };

  return {
    tracerProvider,
    meterProvider,
    middleware,
    aroundHandle,
    observeQueueDepth(depth) {
      depthGauge.addCallback(async (result) => {
        try {
          const { ready = 0, delayed = 0 } = await depth();
          result.observe(ready, { "weft.queue.state": "ready" });
          result.observe(delayed, { "weft.queue.state": "delayed" });
        } catch (error) {
          log.warning("Could not read the queue's depth for the metrics: {error}", { error });
        }
      });
    },
    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), FLUSH_LIMIT_MS);
      });
      const done = Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      const outcome = await Promise.race([done, limit]);
      clearTimeout(timer);
      if (outcome === "late") {
        log.warning("The collector at {endpoint} did not take the last traces and metrics in time", { endpoint });
      }
    },
  };
}

/** Fedify's queued messages say what they are (`outbox`, `inbox`, `fanout`); ours may not. */
function messageType(message: unknown): string {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === "string" ? type : "other";
}
