// Use cases for the co-op's own profile: read it with the node's counts, and
// edit it (followers receive an Update).

import { actorIri } from "../domain/actor.ts";
import { type ProfilePatch, getProfile as storedProfile, updateProfile } from "../domain/profile.ts";
import { isRegionCode } from "../domain/regions.ts";
import { inTransaction } from "../domain/unit-of-work.ts";
import { sendProfileUpdate } from "../federation/outbox.ts";
import { SOFTWARE_NAME, VERSION } from "../version.ts";
import { type ActionContext, federationContext } from "./context.ts";
import { type FieldError, invalidInput } from "./errors.ts";
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

function isWebAddress(text: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** The rules the API's schema also states (src/api/node.ts), with the same words. */
function checkPatch(patch: ProfilePatch): void {
  const errors: FieldError[] = [];
  const { name, summary, region, website } = patch;
  if (typeof name === "string" && name.trim().length === 0)
    errors.push({ field: "name", message: "must not be empty" });
  if (typeof name === "string" && name.length > 200) {
    errors.push({ field: "name", message: "must be at most 200 characters" });
  }
  if (typeof summary === "string" && summary.length > 5000) {
    errors.push({ field: "summary", message: "must be at most 5000 characters" });
  }
  if (typeof region === "string" && !isRegionCode(region)) {
    errors.push({
      field: "region",
      message: "must be an ISO 3166-1 country (US) or ISO 3166-2 subdivision (US-NC) code",
    });
  }
  if (typeof website === "string" && !isWebAddress(website)) {
    errors.push({ field: "website", message: "must be an http(s) URL" });
  }
  if (errors.length > 0) throw invalidInput(errors);
}

/** Changes the profile (null resets a field to its default); followers receive an Update. */
export async function editProfile(weft: ActionContext, patch: ProfilePatch): Promise<ProfileJson> {
  checkPatch(patch);
  await inTransaction(weft.services, "editProfile", async () => {
    await updateProfile(weft.services.db, patch);
    await sendProfileUpdate(federationContext(weft));
  });
  return await getProfile(weft);
}
