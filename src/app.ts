// createApp(): the node's HTTP surface. Fedify answers first (actor,
// WebFinger, NodeInfo, inboxes, collections); what it does not handle falls
// through to the admin API and the pages.
import { Hono, type MiddlewareHandler } from "hono";
import type { ApiDeps } from "./api/env.ts";
import { createApi } from "./api/index.ts";
import { problem } from "./api/problem.ts";
import { federationMiddleware } from "./federation/front-door.ts";
import { type HealthProbes, healthRoutes } from "./http/health.ts";
import { securityHeaders } from "./http/security-headers.ts";
import type { RequestsInFlight } from "./in-flight.ts";
import { createFeeds } from "./web/feeds.ts";
import { createPages } from "./web/pages.ts";
import { createWorkspace } from "./web/workspace.ts";

export function createApp(
  deps: ApiDeps,
  inFlight: RequestsInFlight,
  health: HealthProbes,
  telemetry?: MiddlewareHandler,
): Hono {
  const app = new Hono();
  // First: the span and the duration cover everything below.
  if (telemetry) app.use("*", telemetry);
  app.use("*", inFlight.middleware);
  app.use("*", securityHeaders);
  // Before the front door: load balancers ask often, and Fedify has nothing to say.
  app.route("/", healthRoutes(health));
  app.use("*", federationMiddleware(deps.federation, deps.services));
  app.route("/api/v1", createApi(deps));
  app.route("/", createPages(deps.services));
  app.route("/", createFeeds(deps.services));
  app.route("/", createWorkspace({ services: deps.services, federation: deps.federation, secret: deps.secret }));
  // A mounted sub-app's notFound is not consulted by Hono; answer here.
  app.notFound((c) =>
    c.req.path.startsWith("/api/")
      ? problem(c, 404, `No API route ${c.req.method} ${c.req.path}`)
      : c.text("Not found", 404),
  );
  return app;
}
