// The admin API under /api/v1: one router per resource, chained into one
// OpenAPIHono app whose type (WeftApi) the CLI and the tests call it
// through with hono/client. The OpenAPI document is generated from the same
// zod schemas that validate requests and type the answers.
import { HTTPException } from "hono/http-exception";
import { ActionError } from "../actions/errors.ts";
import { limitBody } from "../http/body-limit.ts";
import { limitByAddress } from "../http/rate-limit.ts";
import { logger } from "../logging.ts";
import { VERSION } from "../version.ts";
import { authenticate } from "./auth.ts";
import { backupRoutes } from "./backup.ts";
import { crawlRoutes } from "./crawls.ts";
import { API_DOCS_CSS, type OpenApiDoc, renderApiDocs } from "./docs.ts";
import { domainRoutes } from "./domains.ts";
import type { ApiDeps } from "./env.ts";
import { followerRoutes } from "./followers.ts";
import { followingRoutes } from "./following.ts";
import { keyRoutes } from "./keys.ts";
import { listingRoutes } from "./listings.ts";
import { matchRoutes } from "./matches.ts";
import { nodeRoutes } from "./node.ts";
import { orderRoutes } from "./orders.ts";
import { peopleRoutes } from "./people.ts";
import { httpExceptionProblem, problem, refusal } from "./problem.ts";
import { relayRoutes } from "./relays.ts";
import { router } from "./router.ts";
import { searchRoutes } from "./search.ts";
import { timelineRoutes } from "./timeline.ts";
import { tokenRoutes } from "./tokens.ts";

const log = logger("api");
const PUBLIC_PATHS = new Set(["/api/v1/openapi.json", "/api/v1/docs", "/api/v1/docs.css"]);
const API_INFO = {
  title: "Weft admin API",
  version: VERSION,
  description: "Manage a Weft co-op node: its profile, its listings, who it follows and who follows it.",
};

/** The API's type: every route with its input and its answers, for `hc<WeftApi>(…/api/v1)`. */
export type WeftApi = ReturnType<typeof createApi>;

export function createApi(deps: ApiDeps) {
  const api = router();

  api.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });

  // Counted before anything else, a failed token included (so guessing tokens is slow too).
  api.use(
    "*",
    limitByAddress(deps.services.config.rateLimits.api, "Too many API requests from this address; try again later"),
  );
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

  // Middleware above runs before every route mounted here.
  const routes = api
    .route("/", nodeRoutes())
    .route("/", followingRoutes())
    .route("/", followerRoutes())
    .route("/", listingRoutes())
    .route("/", timelineRoutes())
    .route("/", orderRoutes())
    .route("/", searchRoutes())
    .route("/", relayRoutes())
    .route("/", crawlRoutes())
    .route("/", matchRoutes())
    .route("/", peopleRoutes())
    .route("/", backupRoutes())
    .route("/", domainRoutes())
    .route("/", tokenRoutes())
    .route("/", keyRoutes());

  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: API_INFO,
    servers: [{ url: "/api/v1" }],
  });
  api.get("/docs", (c) =>
    c.html(renderApiDocs(api.getOpenAPI31Document({ openapi: "3.1.0", info: API_INFO }) as unknown as OpenApiDoc)),
  );

  api.get("/docs.css", (c) => c.body(API_DOCS_CSS, 200, { "content-type": "text/css; charset=utf-8" }));

  api.onError((error, c) => {
    if (error instanceof ActionError) return refusal(c, error);
    if (error instanceof HTTPException) return httpExceptionProblem(c, error);
    log.error("Unhandled API error on {method} {path}: {error}", { method: c.req.method, path: c.req.path, error });
    return problem(c, 500, "Something went wrong on this node; the error is in its log.");
  });
  return routes;
}
