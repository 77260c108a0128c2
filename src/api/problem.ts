// RFC 9457 problem details for the API: the schema in its OpenAPI document,
// Hono responses, zod issues and use-case refusals as problems. The
// documents themselves are made in src/http/problem.ts.

import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ActionError, type FieldError, fieldErrorsOf, type RefusalKind } from "../actions/errors.ts";
import { problemBody } from "../http/problem.ts";

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "urn:weft:problem:invalid-request" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "For invalid requests: each failing field and why" }),
  })
  .passthrough()
  .openapi("Problem");

export type { FieldError };

export function problem(c: Context, status: ContentfulStatusCode, detail?: string, extra?: Record<string, unknown>) {
  return c.body(JSON.stringify(problemBody(status, detail, extra)), status, {
    "content-type": "application/problem+json",
  });
}

/** Zod issues → the `errors` list of a 400 problem, one entry per failing field. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return fieldErrorsOf(issues, prefix);
}

export function invalidRequest(c: Context, errors: FieldError[]) {
  const fields = [...new Set(errors.map((e) => e.field))];
  return problem(c, 400, `Invalid ${fields.join(", ")}`, { errors });
}

const REFUSAL_STATUS: Record<RefusalKind, ContentfulStatusCode> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  unreachable: 502,
};

/** A use case's refusal as a problem: its kind gives the status, its field errors the `errors` list. */
export function refusal(c: Context, error: ActionError) {
  const errors = error.errors.length > 0 ? { errors: error.errors } : {};
  return problem(c, REFUSAL_STATUS[error.kind], error.message, { ...errors, ...error.extra });
}

/**
 * An HTTPException (Hono's validators throw them, e.g. 400 for malformed
 * JSON) as a problem with its own status; a 400 names the body as the field.
 */
export function httpExceptionProblem(c: Context, error: HTTPException) {
  const status = error.status as ContentfulStatusCode;
  const errors = status === 400 ? { errors: [{ field: "body", message: error.message }] } : {};
  return problem(c, status, error.message, errors);
}
