// The co-op actor's key pairs: RSA for HTTP signatures (what Mastodon and
// most servers verify) and Ed25519 for object integrity proofs (FEP-8b32).
// Generated once, stored, and identical after every restart.
import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import type { Database } from "../db/client.ts";
import { storedKeyAlgorithms, storedKeyPairs, storeKeyPair } from "../domain/keys.ts";
import { logger } from "../logging.ts";

const ALGORITHMS = ["RSASSA-PKCS1-v1_5", "Ed25519"] as const;

/**
 * Loads an actor's key pairs, creating any that are missing; RSA first.
 * `owner` is "" for the co-op and "relay" for the relay actor, whose rows
 * are stored as `relay:<algorithm>`.
 */
export async function loadOrCreateKeyPairs(db: Database, owner = ""): Promise<CryptoKeyPair[]> {
  const keyOf = (algorithm: string) => (owner ? `${owner}:${algorithm}` : algorithm);
  const existing = await storedKeyAlgorithms(db);
  for (const plain of ALGORITHMS) {
    const algorithm = keyOf(plain);
    if (existing.has(algorithm)) continue;
    const pair = await generateCryptoKeyPair(plain);
    // Another process starting at the same moment may win the insert; its
    // keys are then the ones everybody reads below.
    await storeKeyPair(db, {
      algorithm,
      publicKey: await exportJwk(pair.publicKey),
      privateKey: await exportJwk(pair.privateKey),
    });
    logger("keys").info("Generated a {algorithm} key pair for the {owner}", {
      owner: owner || "co-op",
      algorithm: plain,
    });
  }
  const rows = await storedKeyPairs(db);
  const byAlgorithm = new Map(rows.map((r) => [r.algorithm, r]));
  return await Promise.all(
    ALGORITHMS.map(async (algorithm) => {
      const row = byAlgorithm.get(keyOf(algorithm));
      if (!row) throw new Error(`Key pair ${algorithm} missing after creation`);
      return {
        publicKey: await importJwk(row.publicKey, "public"),
        privateKey: await importJwk(row.privateKey, "private"),
      };
    }),
  );
}
