// The co-op's public profile: what partners see on its actor.
import { eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { nodeProfile } from "../db/schema.ts";

export interface Profile {
  handle: string;
  name: string;
  summary: string | null;
  region: string | null;
  website: string | null;
  discoverable: boolean;
  updatedAt: Date | null;
}

export interface ProfileDefaults {
  handle: string;
  name?: string;
  summary?: string;
}

/** Fields to change; `null` resets a field to its default. */
export interface ProfilePatch {
  name?: string | null;
  summary?: string | null;
  region?: string | null;
  website?: string | null;
  discoverable?: boolean;
}

export async function getProfile(db: Database, defaults: ProfileDefaults): Promise<Profile> {
  const [row] = await db.select().from(nodeProfile).where(eq(nodeProfile.id, 1));
  return {
    handle: defaults.handle,
    name: row?.name ?? defaults.name ?? defaults.handle,
    summary: row?.summary ?? defaults.summary ?? null,
    region: row?.region ?? null,
    website: row?.website ?? null,
    discoverable: row?.discoverable ?? true,
    updatedAt: row?.updatedAt ?? null,
  };
}

export async function updateProfile(db: Database, patch: ProfilePatch): Promise<void> {
  const set = { ...patch, updatedAt: new Date() };
  await db
    .insert(nodeProfile)
    .values({ id: 1, ...set })
    .onConflictDoUpdate({ target: nodeProfile.id, set });
}
