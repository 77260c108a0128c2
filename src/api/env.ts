import type { Federation } from "@fedify/fedify";
import type { ActionContext } from "../actions/context.ts";
import type { TokenClaims } from "../auth/tokens.ts";
import type { NodeServices } from "../services.ts";

/** What the API needs from the running node. */
export interface ApiDeps {
  /** What the use cases (src/actions/) need; every route calls one of them with it. */
  actions: ActionContext;
  services: NodeServices;
  federation: Federation<NodeServices>;
  database: { driver: "pglite" | "postgres" };
  /** The node's message queue, for its depth in GET /node. */
  queue: { getDepth(): Promise<{ queued: number; ready?: number; delayed?: number }> };
  secret: string;
}

export interface ApiEnv {
  Variables: {
    deps: ApiDeps;
    token: TokenClaims;
  };
}
