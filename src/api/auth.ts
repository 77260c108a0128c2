// Bearer-token authentication and per-route scopes.
import type { MiddlewareHandler } from "hono";
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
  const { secret, services } = c.get("deps");
  const claims = await verifyToken(secret, services.config.origin, match[1] as string);
  if (!claims) {
    c.header("www-authenticate", 'Bearer realm="weft", error="invalid_token"');
    return problem(c, 401, "The API token is invalid or expired.");
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
