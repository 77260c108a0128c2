// What every part of a running node can reach: the database, the config and
// the co-op's keys. Fedify passes it to its callbacks as "context data"; the
// use cases (src/actions/) get it inside their ActionContext.
import type { BackgroundTasks } from "./background.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";

export interface NodeServices {
  db: Database;
  config: Config;
  /** The co-op actor's key pairs, RSA first; loaded at start, replaced by a key rotation. */
  keyPairs: CryptoKeyPair[];
  /**
   * Pairs a rotation replaced, still published until `retiresAt` so what
   * they signed keeps verifying (spec/actor.md#key-rotation).
   */
  retiringKeyPairs?: RetiringKeyPair[];
  /** The relay actor's key pairs, when WEFT_RELAY=on. */
  relayKeyPairs?: CryptoKeyPair[];
  /** Work outside requests (crawls), stopped and awaited when the node closes. */
  background: BackgroundTasks;
}

export interface RetiringKeyPair {
  pair: CryptoKeyPair;
  retiresAt: Date;
}
