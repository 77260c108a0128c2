// The co-op actor (an ActivityStreams Organization), its keys and its
// collections: followers, following, outbox.
import type { Federation } from "@fedify/fedify";
import { Activity, Endpoints, Organization, PropertyValue } from "@fedify/vocab";
import { RELAY_HANDLE } from "../config.ts";
import { ACTOR_PATH } from "../domain/actor.ts";
import { acceptedFollowersPage, acceptedFollowing, countFollowers, isAcceptedFollower } from "../domain/follows.ts";
import { escapeHtml } from "../domain/html.ts";
import { countPublicOutbox, visibleOutboxPage } from "../domain/outbox.ts";
import { getProfile, type Profile } from "../domain/profile.ts";
import type { NodeServices, WeftContext } from "./context.ts";
import { LISTINGS_COLLECTION } from "./listings.ts";
import { buildRelayActor } from "./relay.ts";
import { recipientOf } from "./remote-actor.ts";

const PAGE_SIZE = 50;

export async function buildActor(ctx: WeftContext, profile: Profile): Promise<Organization> {
  const identifier = ctx.data.config.handle;
  const keys = await ctx.getActorKeyPairs(identifier);
  const attachments: PropertyValue[] = [];
  if (profile.region) attachments.push(new PropertyValue({ name: "Region", value: profile.region }));
  if (profile.website) {
    const href = escapeHtml(profile.website);
    attachments.push(
      new PropertyValue({ name: "Website", value: `<a href="${href}" rel="me nofollow noopener">${href}</a>` }),
    );
  }
  return new Organization({
    id: ctx.getActorUri(identifier),
    preferredUsername: identifier,
    name: profile.name,
    summary: profile.summary ? `<p>${escapeHtml(profile.summary)}</p>` : null,
    url: profile.website ? new URL(profile.website) : new URL("/", ctx.origin),
    inbox: ctx.getInboxUri(identifier),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    outbox: ctx.getOutboxUri(identifier),
    followers: ctx.getFollowersUri(identifier),
    following: ctx.getFollowingUri(identifier),
    // The listings collection, from which followers backfill (spec/listings.md).
    streams: [ctx.getCollectionUri(LISTINGS_COLLECTION, { identifier })],
    // The current RSA key first (`#main-key`: Mastodon reads the first one),
    // then any a rotation replaced, during their grace period.
    publicKeys: keys.filter((k) => k.privateKey.algorithm.name === "RSASSA-PKCS1-v1_5").map((k) => k.cryptographicKey),
    assertionMethods: keys.map((k) => k.multikey),
    manuallyApprovesFollowers: ctx.data.config.followApproval === "manual",
    discoverable: profile.discoverable,
    indexable: profile.discoverable,
    attachments,
  });
}

export function registerActor(federation: Federation<NodeServices>): void {
  federation
    .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
      if (identifier === RELAY_HANDLE && ctx.data.config.relay) return await buildRelayActor(ctx);
      if (identifier !== ctx.data.config.handle) return null;
      return await buildActor(ctx, await getProfile(ctx.data.db, ctx.data.config));
    })
    // Handles are matched case-insensitively, as Mastodon does.
    .mapHandle((ctx, username) => {
      if (username.toLowerCase() === ctx.data.config.handle.toLowerCase()) return ctx.data.config.handle;
      return ctx.data.config.relay && username.toLowerCase() === RELAY_HANDLE ? RELAY_HANDLE : null;
    })
    // The current pairs first: Fedify signs HTTP requests with the first RSA
    // key (`#main-key`) and adds a proof by every Ed25519 key; then the pairs
    // a rotation replaced, still published until their grace period ends.
    .setKeyPairsDispatcher((ctx, identifier) => {
      if (identifier === ctx.data.config.handle) {
        const now = Date.now();
        const retiring = (ctx.data.retiringKeyPairs ?? []).filter((r) => r.retiresAt.getTime() > now);
        return [...ctx.data.keyPairs, ...retiring.map((r) => r.pair)];
      }
      return identifier === RELAY_HANDLE ? (ctx.data.relayKeyPairs ?? []) : [];
    });

  // Cursor "" is the first page; null (Fedify sending to "followers") asks for all.
  federation
    .setFollowersDispatcher(`${ACTOR_PATH}/followers`, async (ctx, identifier, cursor) => {
      if (identifier !== ctx.data.config.handle) return null;
      if (cursor === null) {
        const all = [];
        for (let after: string | null = null; ; ) {
          const page = await acceptedFollowersPage(ctx.data.db, after, 500);
          all.push(...page.items.map(recipientOf));
          if (!page.next) break;
          after = page.next;
        }
        return { items: all };
      }
      const page = await acceptedFollowersPage(ctx.data.db, cursor || null, PAGE_SIZE);
      return { items: page.items.map(recipientOf), nextCursor: page.next };
    })
    .setFirstCursor(() => "")
    .setCounter((ctx) => countFollowers(ctx.data.db));

  federation
    .setFollowingDispatcher(`${ACTOR_PATH}/following`, async (ctx, identifier) => {
      if (identifier !== ctx.data.config.handle) return null;
      const actors = await acceptedFollowing(ctx.data.db);
      return { items: actors.map((a) => new URL(a.iri)) };
    })
    .setCounter(async (ctx) => (await acceptedFollowing(ctx.data.db)).length);

  federation
    .setOutboxDispatcher(`${ACTOR_PATH}/outbox`, async (ctx, identifier, cursor) => {
      if (identifier !== ctx.data.config.handle || cursor === null) return null;
      // A signed request from a follower or partner also sees what was addressed to it.
      const owner = (await ctx.getSignedKeyOwner())?.id?.href ?? null;
      const viewer = owner ? { iri: owner, follower: await isAcceptedFollower(ctx.data.db, owner) } : null;
      const page = await visibleOutboxPage(ctx.data.db, viewer, cursor || null, PAGE_SIZE);
      const items = await Promise.all(
        page.items.map((row) =>
          Activity.fromJsonLd(row.activity, { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader }),
        ),
      );
      return { items, nextCursor: page.next };
    })
    .setFirstCursor(() => "")
    .setCounter((ctx) => countPublicOutbox(ctx.data.db));
}
