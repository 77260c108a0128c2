import type { Federation } from "@fedify/fedify";
import type { BackupStatus } from "../actions/backups.ts";
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
  /** The scheduled backups, when WEFT_BACKUP_DIR is set. */
  backups?: { status(): BackupStatus };
}

export interface ApiEnv {
  Variables: {
    deps: ApiDeps;
    token: TokenClaims;
  };
}
