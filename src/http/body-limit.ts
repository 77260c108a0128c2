// The one limit on request bodies, for the admin API and the inboxes: it
// counts the bytes actually read, so a chunked body without Content-Length
// is held to it too (Hono's bodyLimit), and answers 413 problem+json.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { problemResponse } from "./problem.ts";

const MAX_BODY_BYTES = 1_000_000;

export function limitBody(maxSize = MAX_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({ maxSize, onError: () => problemResponse(413, `Bodies are limited to ${maxSize} bytes`) });
}
