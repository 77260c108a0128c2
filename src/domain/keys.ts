// The actors' key pairs as stored: one row per algorithm (JWK), written once
// and read at every start. Generating keys is federation/keys.ts's job.
import { asc } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { actorKeys } from "../db/schema.ts";

export interface StoredKeyPair {
  algorithm: string;
  publicKey: JsonWebKey;
  privateKey: JsonWebKey;
}

export async function storedKeyAlgorithms(db: Database): Promise<Set<string>> {
  return new Set((await db.select({ algorithm: actorKeys.algorithm }).from(actorKeys)).map((r) => r.algorithm));
}

/** Stores a key pair unless one for its algorithm exists already (another process may have won). */
export async function storeKeyPair(db: Database, pair: StoredKeyPair): Promise<void> {
  await db.insert(actorKeys).values(pair).onConflictDoNothing();
}

export async function storedKeyPairs(db: Database): Promise<StoredKeyPair[]> {
  return await db.select().from(actorKeys).orderBy(asc(actorKeys.algorithm));
}
