import type { NodeInfo, RequestContext } from "@fedify/fedify";
import { actorIri } from "../domain/actor.ts";
import { countPublicOutbox } from "../domain/outbox.ts";
import { getProfile } from "../domain/profile.ts";
import { SOFTWARE_NAME, VERSION } from "../version.ts";
import type { NodeServices } from "./context.ts";

export async function nodeInfo(ctx: RequestContext<NodeServices>): Promise<NodeInfo> {
  const [profile, posts] = await Promise.all([
    getProfile(ctx.data.db, ctx.data.config),
    countPublicOutbox(ctx.data.db),
  ]);
  return {
    software: {
      name: SOFTWARE_NAME,
      version: VERSION,
      homepage: new URL("/", ctx.origin),
    },
    protocols: ["activitypub"],
    openRegistrations: false,
    usage: {
      users: { total: 1, activeMonth: 1, activeHalfyear: 1 },
      localPosts: posts,
      localComments: 0,
    },
    metadata: { nodeName: profile.name, coop: actorIri(ctx.data.config) },
  };
}
