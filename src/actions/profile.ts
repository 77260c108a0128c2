// Use cases for the co-op's own profile: read it with the node's counts, and
// edit it (followers receive an Update).

import { actorIri } from "../domain/actor.ts";
import { type ProfilePatch, getProfile as storedProfile, updateProfile } from "../domain/profile.ts";
import { sendProfileUpdate } from "../federation/outbox.ts";
import { SOFTWARE_NAME, VERSION } from "../version.ts";
import { type ActionContext, federationContext } from "./context.ts";
import { relationshipCounts } from "./follows.ts";

export type { ProfilePatch };

/** The co-op's profile and who it is on the network, with its relationship counts. */
export async function getProfile(weft: ActionContext) {
  const { db, config } = weft.services;
  const profile = await storedProfile(db, config);
  return {
    handle: config.handle,
    account: `${config.handle}@${new URL(config.origin).host}`,
    actor: actorIri(config),
    origin: config.origin,
    name: profile.name,
    summary: profile.summary,
    region: profile.region,
    website: profile.website,
    discoverable: profile.discoverable,
    followApproval: config.followApproval,
    software: { name: SOFTWARE_NAME, version: VERSION },
    counts: await relationshipCounts(weft),
  };
}

export type ProfileJson = Awaited<ReturnType<typeof getProfile>>;

/** Changes the profile (null resets a field to its default); followers receive an Update. */
export async function editProfile(weft: ActionContext, patch: ProfilePatch): Promise<ProfileJson> {
  await updateProfile(weft.services.db, patch);
  await sendProfileUpdate(federationContext(weft));
  return await getProfile(weft);
}
