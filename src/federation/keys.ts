// The co-op actor's key pairs: RSA for HTTP signatures (what Mastodon and
// most servers verify) and Ed25519 for object integrity proofs (FEP-8b32).
// Generated once, stored, and identical after every restart, until
// `weft keys rotate` replaces them; the replaced ones stay published as
// "retiring" for a grace period (spec/actor.md#key-rotation).
import { exportJwk, generateCryptoKeyPair, importJwk } from "@fedify/fedify";
import type { Database } from "../db/client.ts";
import {
  replaceKeyPairs,
  retiringKeyPairs,
  type StoredKeyPair,
  storedKeyAlgorithms,
  storedKeyPairs,
  storeKeyPair,
} from "../domain/keys.ts";
import { logger } from "../logging.ts";
import type { RetiringKeyPair } from "../services.ts";

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

async function imported(row: StoredKeyPair): Promise<CryptoKeyPair> {
  return {
    publicKey: await importJwk(row.publicKey, "public"),
    privateKey: await importJwk(row.privateKey, "private"),
  };
}

/** The co-op's replaced pairs still in their grace period, oldest rotation first, RSA before Ed25519. */
export async function loadRetiringKeyPairs(db: Database, now = new Date()): Promise<RetiringKeyPair[]> {
  const rows = await retiringKeyPairs(db, [...ALGORITHMS], now);
  const order = (algorithm: string) => ALGORITHMS.indexOf(algorithm as (typeof ALGORITHMS)[number]);
  rows.sort((a, b) => a.retiresAt.getTime() - b.retiresAt.getTime() || order(a.algorithm) - order(b.algorithm));
  return await Promise.all(rows.map(async (row) => ({ pair: await imported(row), retiresAt: row.retiresAt })));
}

/**
 * Makes new key pairs for the co-op and stores them in place of the current
 * ones, which stay as retiring for `graceSeconds`. Returns the new pairs
 * (RSA first), every pair still retiring, and when the replaced ones retire.
 */
export async function rotateKeyPairs(
  db: Database,
  graceSeconds: number,
): Promise<{ current: CryptoKeyPair[]; retiring: RetiringKeyPair[]; rotatedAt: Date; retiresAt: Date }> {
  const pairs: StoredKeyPair[] = [];
  const current: CryptoKeyPair[] = [];
  for (const algorithm of ALGORITHMS) {
    const pair = await generateCryptoKeyPair(algorithm);
    current.push(pair);
    pairs.push({ algorithm, publicKey: await exportJwk(pair.publicKey), privateKey: await exportJwk(pair.privateKey) });
  }
  // Counted from when the new keys are stored: making an RSA key takes a while.
  const rotatedAt = new Date();
  const retiresAt = new Date(rotatedAt.getTime() + graceSeconds * 1000);
  await replaceKeyPairs(db, pairs, retiresAt);
  logger("keys").info("Rotated the co-op's key pairs; the old ones are retiring for {graceSeconds} s", {
    graceSeconds,
  });
  return { current, retiring: await loadRetiringKeyPairs(db), rotatedAt, retiresAt };
}
