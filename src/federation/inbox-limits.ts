// What the inboxes refuse before Fedify parses an activity or checks its
// signature: too many requests from one address or from one server (429
// with Retry-After), and activities bigger, deeper or with more order lines
// than this node takes (413 or 400, with the reason logged; nothing is
// stored). A server's allowance is counted only for deliveries Fedify
// accepted, so a forger naming a partner's key cannot use it up; it is
// checked (not counted) before, from the key the signature names.
import type { Context } from "hono";
import type { Config } from "../config.ts";
import { problemResponse } from "../http/problem.ts";
import { clientAddress, RateLimiter, tooManyRequests } from "../http/rate-limit.ts";
import { logger } from "../logging.ts";
import { ORDER_EVENT_MEDIA_TYPE } from "./order-vocab.ts";

const log = logger("federation", "inbox");

/** The host of the key a request's signature names (draft-cavage keyId or RFC 9421 keyid), unverified. */
export function signerHost(request: Request): string | null {
  const header = `${request.headers.get("signature") ?? ""} ${request.headers.get("signature-input") ?? ""}`;
  const keyId = /keyid="([^"]+)"/i.exec(header)?.[1];
  if (!keyId) return null;
  try {
    return new URL(keyId).host.toLowerCase();
  } catch {
    return null;
  }
}

/** How deeply `value` nests arrays and objects (a scalar is 0), without recursion. */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The longest list of order lines (or line changes) in the Weft order events attached to `activity`. */
function mostOrderLines(activity: unknown): number {
  let most = 0;
  const attachments = (activity as { object?: { attachment?: unknown } } | null)?.object?.attachment;
  for (const attachment of Array.isArray(attachments) ? attachments : [attachments]) {
    const document = attachment as { mediaType?: unknown; content?: unknown } | null;
    if (document?.mediaType !== ORDER_EVENT_MEDIA_TYPE || typeof document.content !== "string") continue;
    let envelope: unknown;
    try {
      envelope = JSON.parse(document.content);
    } catch {
      continue; // the order listener refuses it
    }
    const stack: unknown[] = [envelope];
    while (stack.length > 0) {
      const item = stack.pop();
      if (item === null || typeof item !== "object") continue;
      for (const [key, child] of Object.entries(item)) {
        if ((key === "lines" || key === "changes") && Array.isArray(child)) most = Math.max(most, child.length);
        stack.push(child);
      }
    }
  }
  return most;
}

type Limits = Config["activityLimits"];

/** Why this activity is refused (status and sentence), or null when it may go on to Fedify. */
function activityRefusal(body: Uint8Array, limits: Limits): { status: 400 | 413; reason: string } | null {
  if (body.byteLength > limits.maxBytes) {
    return { status: 413, reason: `Activities are limited to ${limits.maxBytes} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return null; // Fedify answers for what it cannot parse (front-door.ts)
  }
  if (nestingDepth(json) > limits.maxDepth) {
    return { status: 400, reason: `Activities may nest at most ${limits.maxDepth} levels deep` };
  }
  const lines = mostOrderLines(json);
  if (lines > limits.maxOrderLines) {
    return { status: 400, reason: `Orders are limited to ${limits.maxOrderLines} lines; this one has ${lines}` };
  }
  return null;
}

export interface InboxGuard {
  /** A refusal for this request before its body is read (too many requests), or null. */
  admit(c: Context): Response | null;
  /** A refusal for this activity's body (size, depth, lines), or null. */
  inspect(c: Context): Promise<Response | null>;
  /** Counts a delivery Fedify accepted against its signer's server. */
  accepted(c: Context): void;
}

export function inboxGuard(config: Config): InboxGuard {
  const { inboxAddress, inboxServer } = config.rateLimits;
  const byAddress = inboxAddress > 0 ? new RateLimiter(inboxAddress) : null;
  const byServer = inboxServer > 0 ? new RateLimiter(inboxServer) : null;
  return {
    admit(c) {
      const address = clientAddress(c);
      const addressWait = byAddress?.take(address) ?? 0;
      if (addressWait > 0) {
        log.warning("Refused a delivery from {address}: too many requests", { address });
        return tooManyRequests(addressWait, "Too many deliveries from this address; try again later");
      }
      const host = signerHost(c.req.raw);
      const serverWait = host && byServer ? byServer.wait(host) : 0;
      if (serverWait > 0) {
        log.warning("Refused a delivery signed by {host}: too many requests", { host });
        return tooManyRequests(serverWait, "Too many deliveries from this server; try again later");
      }
      return null;
    },
    async inspect(c) {
      const body = new Uint8Array(await c.req.raw.clone().arrayBuffer());
      const refusal = activityRefusal(body, config.activityLimits);
      if (!refusal) return null;
      log.warning("Refused an activity signed by {host} from {address}: {reason}", {
        host: signerHost(c.req.raw) ?? "nobody",
        address: clientAddress(c),
        reason: refusal.reason,
      });
      return problemResponse(refusal.status, refusal.reason);
    },
    accepted(c) {
      const host = signerHost(c.req.raw);
      if (host) byServer?.charge(host);
    },
  };
}
