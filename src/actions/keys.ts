// Use case: rotate the co-op's keys (`weft keys rotate`, POST
// /api/v1/node/keys/rotate). New key pairs sign from now on; the old ones
// stay published as "retiring" for WEFT_KEY_GRACE, and an Update of the
// actor tells followers and the co-ops we follow or trade with. A peer that
// cached the old key refetches the actor when a signature fails to verify
// with it, and finds the new key (spec/actor.md#key-rotation).
import { countFollowers } from "../domain/follows.ts";
import { keyAudienceBeyondFollowers } from "../domain/keys.ts";
import { inTransaction } from "../domain/unit-of-work.ts";
import { rotateKeyPairs } from "../federation/keys.ts";
import { sendProfileUpdate } from "../federation/outbox.ts";
import { logger } from "../logging.ts";
import { type ActionContext, federationContext } from "./context.ts";
import { type Actor, requireRole } from "./people.ts";

export interface KeyRotation {
  rotatedAt: Date;
  /** When the replaced keys stop being published (and stop verifying). */
  retiringUntil: Date;
  /** Followers told of the new keys (through their inboxes), and other co-ops we follow or trade with. */
  announcedTo: { followers: number; others: number };
}

export async function rotateKeys(weft: ActionContext, actor: Actor): Promise<KeyRotation> {
  requireRole(actor, "manage");
  const { services } = weft;
  const before = { keyPairs: services.keyPairs, retiring: services.retiringKeyPairs };
  const ctx = federationContext(weft);
  let rotation: { rotatedAt: Date; retiresAt: Date; followers: number; others: unknown[] };
  try {
    // The new keys and the Update announcing them commit together.
    rotation = await inTransaction(services, "rotateKeys", async () => {
      const { current, retiring, rotatedAt, retiresAt } = await rotateKeyPairs(
        services.db,
        services.config.keyGraceSeconds,
      );
      // This process signs with the new keys at once; the dispatcher reads these.
      services.keyPairs = current;
      services.retiringKeyPairs = retiring;
      const others = await keyAudienceBeyondFollowers(services.db, ctx.getActorUri(services.config.handle).href);
      const followers = await countFollowers(services.db);
      await sendProfileUpdate(ctx, others);
      return { rotatedAt, retiresAt, followers, others };
    });
  } catch (error) {
    // Nothing was stored: keep signing with the keys the database still holds.
    services.keyPairs = before.keyPairs;
    services.retiringKeyPairs = before.retiring;
    throw error;
  }
  const { rotatedAt, retiresAt, followers, others } = rotation;
  logger("keys").info("Announced the new keys to {followers} followers and {others} other co-ops", {
    followers,
    others: others.length,
  });
  return {
    rotatedAt,
    retiringUntil: retiresAt,
    announcedTo: { followers, others: others.length },
  };
}
