// Key rotation between two nodes with signatures on: B follows A and has A's
// keys cached; A rotates. A's next order activity and listing verify on B (B
// refetches A's actor when its cached key fails), and an activity signed with
// A's old keys during the grace period still verifies.
import { exportJwk, generateCryptoKeyPair, signObject, signRequest } from "@fedify/fedify";
import { Organization, Update } from "@fedify/vocab";
import { describe, expect, it } from "vitest";
import { DrizzleKvStore } from "../../src/db/kv.ts";
import { loadRetiringKeyPairs } from "../../src/federation/keys.ts";
import { eventually } from "../support/network.ts";
import { inStateOnBoth, jersey, openMarket, orderBody, orderOn } from "../support/orders.ts";

async function actorDocument(origin: string, actorUrl: string): Promise<any> {
  const res = await fetch(actorUrl, { headers: { accept: "application/activity+json" } });
  expect(res.status).toBe(200);
  expect(new URL(actorUrl).origin).toBe(origin);
  return await res.json();
}

const asArray = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

describe("weft keys rotate", () => {
  it("signs with new keys that a peer with the old ones cached verifies, and the old keys still verify during the grace period", async () => {
    const m = await openMarket();
    const { seller: a, buyer: b } = m;
    // B verified A's Accept and listings: it holds A's current keys in its cache.
    const placed = await b.api("POST", "/orders", orderBody(m));
    expect(placed.status).toBe(201);
    await inStateOnBoth(m, placed.body.iri, "sent");

    // What B's Fedify cached for A's #main-key (Fedify's key cache in B's KV store).
    const cachedOnB = async () =>
      JSON.stringify(await new DrizzleKvStore(b.db).get(["_fedify", "publicKey", `${a.actorUrl}#main-key`]));
    const cachedBefore = await cachedOnB();
    expect(cachedBefore).toContain("PUBLIC KEY");

    const [oldRsa, oldEd] = a.node.deps.services.keyPairs;
    const oldRsaJwk = await exportJwk(oldRsa!.publicKey);
    const before = await actorDocument(a.origin, a.actorUrl);

    const rotated = await a.api("POST", "/node/keys/rotate");
    expect(rotated.status).toBe(200);
    expect(rotated.body.announcedTo).toEqual({ followers: 1, others: 0 });
    const grace = Date.parse(rotated.body.retiringUntil) - Date.parse(rotated.body.rotatedAt);
    expect(grace).toBe(7 * 86400_000);

    // The new keys come first, under the ids the old ones had; the old ones follow.
    const after = await actorDocument(a.origin, a.actorUrl);
    const keys = asArray(after.publicKey);
    expect(keys.map((k: any) => k.id)).toEqual([`${a.actorUrl}#main-key`, `${a.actorUrl}#key-3`]);
    expect(keys[0].publicKeyPem).not.toBe(asArray(before.publicKey)[0].publicKeyPem);
    expect(keys[1].publicKeyPem).toBe(asArray(before.publicKey)[0].publicKeyPem);
    const multikeys = asArray(after.assertionMethod);
    expect(multikeys.map((k: any) => k.id)).toEqual([1, 2, 3, 4].map((i) => `${a.actorUrl}#multikey-${i}`));
    const oldMultibase = asArray(before.assertionMethod)[1].publicKeyMultibase;
    expect(multikeys[1].publicKeyMultibase).not.toBe(oldMultibase);
    expect(multikeys[3].publicKeyMultibase).toBe(oldMultibase);
    expect(await exportJwk(a.node.deps.services.keyPairs[0]!.publicKey)).not.toEqual(oldRsaJwk);

    // A's next order activity verifies on B (B refetches A's key).
    const atSeller = await orderOn(a, placed.body.iri);
    expect((await a.api("POST", `/orders/${atSeller.id}/accept`, {})).status).toBe(200);
    await inStateOnBoth(m, placed.body.iri, "accepted");
    const cachedAfter = await cachedOnB();
    expect(cachedAfter).toContain("PUBLIC KEY");
    expect(cachedAfter).not.toBe(cachedBefore);

    // A's next listing reaches B's timeline.
    const listing = await a.api("POST", "/listings", { ...jersey, title: "Combed cotton jersey" });
    expect(listing.status).toBe(201);
    await eventually(async () =>
      (await b.api("GET", "/timeline")).body.items.some((i: any) => i.iri === listing.body.iri),
    );

    // During the grace period, the old keys still verify under the ids A now
    // publishes them at: an Update of A's actor HTTP-signed with the old RSA
    // key (#key-3), and one carrying only a proof by the old Ed25519 key (#multikey-4).
    const update = (name: string) =>
      new Update({
        id: new URL(`/activities/${crypto.randomUUID()}`, a.origin),
        actor: new URL(a.actorUrl),
        object: new Organization({
          id: new URL(a.actorUrl),
          preferredUsername: a.handle,
          name,
          inbox: new URL(`${a.actorUrl}/inbox`),
        }),
      });
    const post = (body: unknown) =>
      new Request(`${b.origin}/inbox`, {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify(body),
      });
    const partnerName = async () =>
      (await b.api("GET", "/following")).body.items.find((f: any) => f.actor.iri === a.actorUrl)?.actor.name;

    const byOldRsa = await (await update("Signed by the old RSA key")).toJsonLd();
    const signed = await signRequest(post(byOldRsa), oldRsa!.privateKey, new URL(`${a.actorUrl}#key-3`));
    expect((await fetch(signed)).status).toBe(202);
    await eventually(async () => (await partnerName()) === "Signed by the old RSA key");

    const byOldEd = await signObject(
      update("Signed by the old Ed25519 key"),
      oldEd!.privateKey,
      new URL(`${a.actorUrl}#multikey-4`),
    );
    expect((await fetch(post(await byOldEd.toJsonLd()))).status).toBe(202);
    await eventually(async () => (await partnerName()) === "Signed by the old Ed25519 key");

    // A key made up for #key-3 does not verify: the check is real.
    const { privateKey: stranger } = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const forged = await signRequest(
      post(await (await update("Forged")).toJsonLd()),
      stranger,
      new URL(`${a.actorUrl}#key-3`),
    );
    expect((await fetch(forged)).status).toBe(401);

    // B rotates too: A follows nobody, so B tells A as a co-op it follows and trades with;
    // B's next order verifies on A.
    const byB = await b.api("POST", "/node/keys/rotate");
    expect(byB.body.announcedTo).toEqual({ followers: 0, others: 1 });
    const second = await b.api("POST", "/orders", orderBody(m, { note: "After B's rotation" }));
    expect(second.status).toBe(201);
    await inStateOnBoth(m, second.body.iri, "sent");

    // Once the grace period is over the old keys are no longer published, and their rows go.
    const later = new Date(Date.parse(rotated.body.retiringUntil) + 1000);
    expect(await loadRetiringKeyPairs(a.db, later)).toEqual([]);
    expect(await loadRetiringKeyPairs(a.db)).toEqual([]);
    a.node.deps.services.retiringKeyPairs = [];
    const expired = await actorDocument(a.origin, a.actorUrl);
    expect(asArray(expired.publicKey).map((k: any) => k.id)).toEqual([`${a.actorUrl}#main-key`]);
    expect(asArray(expired.assertionMethod)).toHaveLength(2);
  }, 240_000);
});
