// The Fedify front door: every request meets Fedify first (actor, WebFinger,
// NodeInfo, inboxes, collections); what it does not handle falls through to
// the admin API and the pages (app.ts mounts this before them).
import type { Federation } from "@fedify/fedify";
import type { MiddlewareHandler } from "hono";
import { limitBody } from "../http/body-limit.ts";
import { problemResponse } from "../http/problem.ts";
import { logger } from "../logging.ts";
import type { NodeServices } from "../services.ts";
import { hasPlainIriTerms, receiveOfferWithPlainTerms } from "./inbox/plain-terms.ts";
import { refuseAtFrontDoor } from "./inbox-guard.ts";
import { inboxGuard } from "./inbox-limits.ts";

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

export function federationMiddleware(federation: Federation<NodeServices>, services: NodeServices): MiddlewareHandler {
  const limit = limitBody();
  const serve: MiddlewareHandler = async (c, next) => {
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
  // Inbox deliveries: rate limits first (nothing read); a server we do not
  // talk to is turned away before its body is read; then the body, read
  // whole and no more than the limit, checked before Fedify parses it.
  const guard = inboxGuard(services.config);
  const inbox: MiddlewareHandler = async (c, next) => {
    const limited = guard.admit(c);
    if (limited) return limited;
    const refused = await refuseAtFrontDoor(services, c.req.raw);
    if (refused) return refused;
    let answer: Response | undefined;
    const tooLarge = await limit(c, async () => {
      answer = (await guard.inspect(c)) ?? ((await serve(c, next)) as Response | undefined);
      if (answer?.ok) guard.accepted(c);
    });
    return tooLarge ?? answer ?? c.res;
  };
  return (c, next) => (isInboxPost(c.req.raw) ? inbox(c, next) : serve(c, next));
}
