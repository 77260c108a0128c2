// Bearer-token authentication and per-route scopes.
import type { MiddlewareHandler } from "hono";
import { checkApiToken } from "../actions/tokens.ts";
import { hasScope, type Scope, verifyToken } from "../auth/tokens.ts";
import type { ApiEnv } from "./env.ts";
import { problem } from "./problem.ts";

export const authenticate: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    c.header("www-authenticate", 'Bearer realm="weft"');
    return problem(
      c,
      401,
      "Send an API token as 'Authorization: Bearer <token>' (create one with 'weft token create').",
    );
  }
  const { secret, services, actions } = c.get("deps");
  const claims = await verifyToken(secret, services.config.origin, match[1] as string);
  // A long-lived token must also be one the node handed out and nobody revoked.
  if (!claims || !(await checkApiToken(actions, claims))) {
    c.header("www-authenticate", 'Bearer realm="weft", error="invalid_token"');
    return problem(c, 401, "The API token is invalid, expired or revoked.");
  }
  c.set("token", claims);
  await next();
};

export function requireScope(scope: Scope): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (!hasScope(c.get("token").scopes, scope)) {
      return problem(c, 403, `This action needs a token with the '${scope}' scope.`, { requiredScope: scope });
    }
    await next();
  };
}

/** Route options for an authenticated route needing `scope` (OpenAPI security + check). */
export function scoped(scope: Scope) {
  return { security: [{ bearer: [] as string[] }], middleware: requireScope(scope) };
}
