// Every router of the API is made here, so each one answers a validation
// failure the same way: one 400 problem naming each failing field. (A
// router mounted with .route() keeps its own hook, so the root's would not
// reach it.)
import { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiEnv } from "./env.ts";
import { fieldErrors, invalidRequest } from "./problem.ts";

export function router() {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const prefix = result.target === "json" ? undefined : result.target;
        return invalidRequest(c, fieldErrors(result.error.issues, prefix));
      }
    },
  });
}
