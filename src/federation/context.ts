import type { Context, RequestContext } from "@fedify/fedify";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";

/** What every Fedify callback of this node can reach (Fedify's "context data"). */
export interface NodeServices {
  db: Database;
  config: Config;
  /** The co-op actor's key pairs, RSA first; loaded once at start. */
  keyPairs: CryptoKeyPair[];
  /** The relay actor's key pairs, when WEFT_RELAY=on. */
  relayKeyPairs?: CryptoKeyPair[];
}

export type WeftContext = Context<NodeServices>;
export type WeftRequestContext = RequestContext<NodeServices>;
