import type { Federation } from "@fedify/fedify";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ActionContext } from "../actions/context.ts";
import type { TokenClaims } from "../auth/tokens.ts";
import type { DatabaseHandle } from "../db/client.ts";
import type { DrizzleMessageQueue } from "../db/queue.ts";
import type { NodeServices } from "../services.ts";

/** What the API needs from the running node. */
export interface ApiDeps {
  /** What the use cases (src/actions/) need; every route calls one of them with it. */
  actions: ActionContext;
  services: NodeServices;
  federation: Federation<NodeServices>;
  database: Pick<DatabaseHandle, "driver">;
  queue: DrizzleMessageQueue;
  secret: string;
}

export interface ApiEnv {
  Variables: {
    deps: ApiDeps;
    token: TokenClaims;
  };
}

export type ApiApp = OpenAPIHono<ApiEnv>;
