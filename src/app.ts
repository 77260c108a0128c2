// createApp(): the node's HTTP surface. Fedify answers first (actor,
// WebFinger, NodeInfo, inboxes, collections); what it does not handle falls
// through to the admin API and the pages.
import type { Federation } from "@fedify/fedify";
import { Hono } from "hono";
import type { ApiDeps } from "./api/env.ts";
import { createApi } from "./api/index.ts";
import { problem, problemResponse } from "./api/problem.ts";
import { hasPlainIriTerms, receiveOfferWithPlainTerms } from "./federation/inbox/plain-terms.ts";
import type { RequestsInFlight } from "./in-flight.ts";
import { logger } from "./logging.ts";
import type { NodeServices } from "./services.ts";
import { createFeeds } from "./web/feeds.ts";
import { createPages } from "./web/pages.ts";
import { createWorkspace } from "./web/workspace.ts";

function isInboxPost(request: Request): boolean {
  return request.method === "POST" && /\/inbox$/.test(new URL(request.url).pathname);
}

/**
 * What Fedify could not parse, an Offer in FEP-0837's plain-term style may
 * still be (see federation/inbox/plain-terms.ts); anything else is the
 * sender's error: 400, not 500, which would make it retry for hours.
 */
async function unparsedActivity(
  federation: Federation<NodeServices>,
  services: NodeServices,
  request: Request,
  error: unknown,
): Promise<Response> {
  // Fedify reads the body through clones, so it is still ours to read here.
  const json = request.bodyUsed
    ? null
    : await request
        .clone()
        .json()
        .catch(() => null);
  if (hasPlainIriTerms(json)) return receiveOfferWithPlainTerms(federation, services, request, json);
  logger("federation", "inbox").warning("Rejected a malformed activity: {error}", { error });
  return problemResponse(400, "The activity could not be parsed");
}

function federationMiddleware(federation: Federation<NodeServices>, services: NodeServices) {
  return async (c: { req: { raw: Request } }, next: () => Promise<void>): Promise<Response | undefined> => {
    let fallThrough = false;
    let response: Response;
    try {
      response = await federation.fetch(c.req.raw, {
        contextData: services,
        onNotFound: () => {
          fallThrough = true;
          return new Response(null, { status: 404 });
        },
        // A browser asking for the actor URL gets the HTML profile page.
        onNotAcceptable: () => {
          fallThrough = true;
          return new Response("Not acceptable", { status: 406, headers: { vary: "Accept" } });
        },
      });
    } catch (error) {
      // Fedify's vocabulary parser throws on some payloads (a number where a
      // decimal string belongs, a plain-term FEP-0837 Offer…).
      if (isInboxPost(c.req.raw)) return unparsedActivity(federation, services, c.req.raw, error);
      throw error;
    }
    if (fallThrough) {
      await next();
      return undefined;
    }
    return response;
  };
}

export function createApp(deps: ApiDeps, inFlight: RequestsInFlight): Hono {
  const app = new Hono();
  app.use("*", inFlight.middleware);
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
