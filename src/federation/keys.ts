// The co-op actor's key pairs: RSA for HTTP signatures (what Mastodon and
// most servers verify) and Ed25519 for object integrity proofs (FEP-8b32).
// Generated once, stored, and identical after every restart.
import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import { asc } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { actorKeys } from "../db/schema.ts";
import { logger } from "../logging.ts";

const ALGORITHMS = ["RSASSA-PKCS1-v1_5", "Ed25519"] as const;

/** Loads the key pairs, creating any that are missing; RSA first. */
export async function loadOrCreateKeyPairs(db: Database): Promise<CryptoKeyPair[]> {
  const existing = new Set(
    (await db.select({ algorithm: actorKeys.algorithm }).from(actorKeys)).map((r) => r.algorithm),
  );
  for (const algorithm of ALGORITHMS) {
    if (existing.has(algorithm)) continue;
    const pair = await generateCryptoKeyPair(algorithm);
    // Another process starting at the same moment may win the insert; its
    // keys are then the ones everybody reads below.
    await db
      .insert(actorKeys)
      .values({ algorithm, publicKey: await exportJwk(pair.publicKey), privateKey: await exportJwk(pair.privateKey) })
      .onConflictDoNothing();
    logger("keys").info("Generated the co-op's {algorithm} key pair", { algorithm });
  }
  const rows = await db.select().from(actorKeys).orderBy(asc(actorKeys.algorithm));
  const byAlgorithm = new Map(rows.map((r) => [r.algorithm, r]));
  return await Promise.all(
    ALGORITHMS.map(async (algorithm) => {
      const row = byAlgorithm.get(algorithm);
      if (!row) throw new Error(`Key pair ${algorithm} missing after creation`);
      return {
        publicKey: await importJwk(row.publicKey, "public"),
        privateKey: await importJwk(row.privateKey, "private"),
      };
    }),
  );
}
