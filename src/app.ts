// createApp(): the node's HTTP surface. Fedify answers first (actor,
// WebFinger, NodeInfo, inboxes, collections); what it does not handle falls
// through to the admin API and the pages.
import type { Federation } from "@fedify/fedify";
import { Hono } from "hono";
import type { ApiDeps } from "./api/env.ts";
import { createApi } from "./api/index.ts";
import { problem, problemResponse } from "./api/problem.ts";
import type { NodeServices } from "./federation/context.ts";
import { logger } from "./logging.ts";
import { createFeeds } from "./web/feeds.ts";
import { createPages } from "./web/pages.ts";

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
      // Fedify's vocabulary parser throws on some malformed payloads (a
      // number where a decimal string belongs…); that is the sender's error,
      // and a 500 would make it retry the same payload for hours.
      if (c.req.raw.method === "POST" && /\/inbox$/.test(new URL(c.req.raw.url).pathname)) {
        logger("federation", "inbox").warning("Rejected a malformed activity: {error}", { error });
        return problemResponse(400, "The activity could not be parsed");
      }
      throw error;
    }
    if (fallThrough) {
      await next();
      return undefined;
    }
    return response;
  };
}

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  app.use("*", federationMiddleware(deps.federation, deps.services));
  app.route("/api/v1", createApi(deps));
  app.route("/", createPages(deps.services));
  app.route("/", createFeeds(deps.services));
  // A mounted sub-app's notFound is not consulted by Hono; answer here.
  app.notFound((c) =>
    c.req.path.startsWith("/api/")
      ? problem(c, 404, `No API route ${c.req.method} ${c.req.path}`)
      : c.text("Not found", 404),
  );
  return app;
}
