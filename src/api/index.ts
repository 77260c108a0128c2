// The admin API under /api/v1: one OpenAPIHono app, one register function
// per resource. The OpenAPI document is generated from the same zod schemas
// that validate requests.
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { ActionError } from "../actions/errors.ts";
import { limitBody } from "../http/body-limit.ts";
import { logger } from "../logging.ts";
import { VERSION } from "../version.ts";
import { authenticate } from "./auth.ts";
import { registerCrawlRoutes } from "./crawls.ts";
import { type OpenApiDoc, renderApiDocs } from "./docs.ts";
import type { ApiDeps, ApiEnv } from "./env.ts";
import { registerFollowerRoutes } from "./followers.ts";
import { registerFollowingRoutes } from "./following.ts";
import { registerKeyRoutes } from "./keys.ts";
import { registerListingRoutes } from "./listings.ts";
import { registerMatchRoutes } from "./matches.ts";
import { registerNodeRoutes } from "./node.ts";
import { registerOrderRoutes } from "./orders.ts";
import { registerPeopleRoutes } from "./people.ts";
import { ApiError, fieldErrors, httpExceptionProblem, invalidRequest, problem, refusal } from "./problem.ts";
import { registerRelayRoutes } from "./relays.ts";
import { registerSearchRoutes } from "./search.ts";
import { registerTimelineRoutes } from "./timeline.ts";
import { registerTokenRoutes } from "./tokens.ts";

const log = logger("api");
const PUBLIC_PATHS = new Set(["/api/v1/openapi.json", "/api/v1/docs"]);
const API_INFO = {
  title: "Weft admin API",
  version: VERSION,
  description: "Manage a Weft co-op node: its profile, its listings, who it follows and who follows it.",
};

export function createApi(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const api = new OpenAPIHono<ApiEnv>({
    // Every validation failure becomes one 400 problem naming each field.
    defaultHook: (result, c) => {
      if (!result.success) {
        const prefix = result.target === "json" ? undefined : result.target;
        return invalidRequest(c, fieldErrors(result.error.issues, prefix));
      }
    },
  });

  api.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });

  // Bodies must be JSON (and not huge) before any route looks at them.
  api.use("*", limitBody());
  api.use("*", async (c, next) => {
    if (["POST", "PATCH", "PUT"].includes(c.req.method)) {
      const length = Number(c.req.header("content-length") ?? 0);
      const type = c.req.header("content-type") ?? "";
      const hasBody = length > 0 || c.req.header("transfer-encoding") !== undefined;
      if (hasBody && !/^application\/(.+\+)?json\b/i.test(type)) {
        return problem(c, 415, "Send the request body as JSON (Content-Type: application/json)");
      }
    }
    await next();
  });

  api.use("*", async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path)) return await next();
    return await authenticate(c, next);
  });

  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A token from `weft token create --scope admin` (or the workspace's Settings › API tokens)",
  });

  registerNodeRoutes(api);
  registerFollowingRoutes(api);
  registerFollowerRoutes(api);
  registerListingRoutes(api);
  registerTimelineRoutes(api);
  registerOrderRoutes(api);
  registerSearchRoutes(api);
  registerRelayRoutes(api);
  registerCrawlRoutes(api);
  registerMatchRoutes(api);
  registerPeopleRoutes(api);
  registerTokenRoutes(api);
  registerKeyRoutes(api);

  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: API_INFO,
    servers: [{ url: "/api/v1" }],
  });
  api.get("/docs", (c) =>
    c.html(renderApiDocs(api.getOpenAPI31Document({ openapi: "3.1.0", info: API_INFO }) as unknown as OpenApiDoc)),
  );

  api.onError((error, c) => {
    if (error instanceof ActionError) return refusal(c, error);
    if (error instanceof ApiError) return problem(c, error.status, error.message, error.extra);
    if (error instanceof HTTPException) return httpExceptionProblem(c, error);
    log.error("Unhandled API error on {method} {path}: {error}", { method: c.req.method, path: c.req.path, error });
    return problem(c, 500, "Something went wrong on this node; the error is in its log.");
  });
  return api;
}
