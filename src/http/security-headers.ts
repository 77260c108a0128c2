// Security headers for every HTML page the node serves (the public pages, the
// workspace, the API docs): a content security policy that allows no inline
// script or style and nothing from elsewhere, no framing, no referrer sent
// off the node, no content sniffing. Set after the handler has answered, and
// only on HTML: JSON for other servers (actors, activities) keeps the
// defaults a federated client expects (Cross-Origin-Resource-Policy would
// stop a browser-based client from reading an actor).
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/** The policy, as one string: the tests compare pages against it. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";

const setHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
  },
  // frame-ancestors says it for browsers that read CSP; DENY for those that do not.
  xFrameOptions: "DENY",
  // Links to a partner's website do not tell it which workspace page they came from.
  referrerPolicy: "same-origin",
});

const noop = async () => {};

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if (/^text\/html\b/i.test(c.res.headers.get("content-type") ?? "")) await setHeaders(c, noop);
};
