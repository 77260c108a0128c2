// The actors' key pairs as stored: one current row per algorithm (JWK),
// written once and read at every start, and the pairs a rotation replaced,
// kept (and still published) until their grace period ends. Generating keys
// is federation/keys.ts's job.
import { and, asc, eq, gt, inArray, lte, ne, notInArray, or } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import {
  actorKeys,
  followers,
  following,
  orders,
  type RemoteActorRow,
  remoteActors,
  retiringActorKeys,
} from "../db/schema.ts";

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

/**
 * Replaces the current pairs of these algorithms with `pairs`, in one
 * transaction, keeping each replaced pair as retiring until `retiresAt`.
 */
export async function replaceKeyPairs(db: Database, pairs: StoredKeyPair[], retiresAt: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const algorithms = pairs.map((p) => p.algorithm);
    const old = await tx.select().from(actorKeys).where(inArray(actorKeys.algorithm, algorithms)).for("update");
    if (old.length > 0) {
      await tx.insert(retiringActorKeys).values(
        old.map((row) => ({
          algorithm: row.algorithm,
          publicKey: row.publicKey,
          privateKey: row.privateKey,
          retiresAt,
        })),
      );
    }
    for (const pair of pairs) {
      await tx
        .insert(actorKeys)
        .values(pair)
        .onConflictDoUpdate({
          target: actorKeys.algorithm,
          set: { publicKey: pair.publicKey, privateKey: pair.privateKey, createdAt: new Date() },
        });
    }
  });
}

/** The replaced pairs still in their grace period at `now`, newest first; older ones are deleted. */
export async function retiringKeyPairs(
  db: Database,
  algorithms: string[],
  now: Date,
): Promise<(StoredKeyPair & { retiresAt: Date })[]> {
  await db.delete(retiringActorKeys).where(lte(retiringActorKeys.retiresAt, now));
  return await db
    .select({
      algorithm: retiringActorKeys.algorithm,
      publicKey: retiringActorKeys.publicKey,
      privateKey: retiringActorKeys.privateKey,
      retiresAt: retiringActorKeys.retiresAt,
    })
    .from(retiringActorKeys)
    .where(and(inArray(retiringActorKeys.algorithm, algorithms), gt(retiringActorKeys.retiresAt, now)))
    .orderBy(asc(retiringActorKeys.retiredAt), asc(retiringActorKeys.algorithm));
}

/**
 * Whom to tell of new keys besides the followers: the co-ops we follow and
 * those we have an order with, that do not follow us (they hear it as
 * followers already).
 */
export async function keyAudienceBeyondFollowers(db: Database, ownIri: string): Promise<RemoteActorRow[]> {
  const followerIds = db.select({ id: followers.actorId }).from(followers).where(eq(followers.state, "accepted"));
  const followed = db.select({ id: following.actorId }).from(following).where(eq(following.state, "accepted"));
  const partners = db
    .select({ iri: remoteActors.iri })
    .from(orders)
    .innerJoin(
      remoteActors,
      or(
        and(eq(orders.buyerIri, remoteActors.iri), ne(orders.buyerIri, ownIri)),
        and(eq(orders.sellerIri, remoteActors.iri), ne(orders.sellerIri, ownIri)),
      ),
    );
  return await db
    .select()
    .from(remoteActors)
    .where(
      and(
        or(inArray(remoteActors.id, followed), inArray(remoteActors.iri, partners)),
        notInArray(remoteActors.id, followerIds),
      ),
    )
    .orderBy(asc(remoteActors.iri));
}
