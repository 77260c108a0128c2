// Keeps spec/examples honest: each example must parse with Fedify, match in
// shape what a live node serves, and match in shape what a node puts on the
// wire (captured by a recording peer, test/spec/peer.ts).
import {
  Accept,
  Object as ASObject,
  CryptographicKey,
  Follow,
  type Multikey,
  OrderedCollection,
  OrderedCollectionPage,
  Organization,
  PropertyValue,
  PUBLIC_COLLECTION,
  Reject,
  Undo,
  Update,
} from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.ts";
import { eventually, startNetwork, startNode, type TestNode } from "../support/network.ts";
import { DISCOVERY_EXAMPLES, LISTING_EXAMPLES, ORDER_EXAMPLES } from "./catalogue.ts";
import { type Delivery, RecordingPeer } from "./peer.ts";
import { example, exampleFiles, type Json, shapeDifferences, withOrigins } from "./shape.ts";

const DYE = "https://dye.example";
const KNIT = "https://knit.example";
const AP = { accept: "application/activity+json" };

// The profile the examples show; live nodes get the same one.
const DYE_PROFILE = {
  name: "Blue Ridge Dye House",
  summary: "Natural and low-impact dyeing of knit and woven fabric, 50 to 5,000 metres.",
  region: "US-NC",
  website: "https://dyehouse.example.org/",
};

// Parsing must never dereference anything: every example is self-contained.
const offline = {
  documentLoader: async (url: string): Promise<never> => {
    throw new Error(`The example made Fedify fetch ${url}`);
  },
};

const parse = (json: unknown) => ASObject.fromJsonLd(json, offline);

function expectSameShape(expected: Json, actual: unknown): void {
  expect(shapeDifferences(expected, actual)).toEqual([]);
}

/** An activity as sent, without the integrity blocks that every sent activity carries (see integrity.json). */
function withoutIntegrity(body: Record<string, unknown>): Record<string, unknown> {
  const { proof: _proof, signature: _signature, ...rest } = body;
  return rest;
}

describe("the shape comparison used below", () => {
  const doc = { "@context": ["https://www.w3.org/ns/activitystreams"], type: "Follow", id: `${DYE}/a`, n: 1 };

  it("accepts the same structure with other plain values", () => {
    expect(shapeDifferences(doc, { ...doc, n: 2 })).toEqual([]);
  });

  it("reports missing and unexpected keys, other JSON types, other `type` values, other IRIs and contexts", () => {
    const { n: _n, ...withoutN } = doc;
    expect(shapeDifferences(doc, withoutN)).toEqual(['$: missing "n"']);
    expect(shapeDifferences(doc, { ...doc, extra: true })).toEqual(['$: unexpected "extra"']);
    expect(shapeDifferences(doc, { ...doc, n: "1" })).toEqual(["$.n: expected number, got string"]);
    expect(shapeDifferences(doc, { ...doc, type: "Like" })).toEqual(['$.type: expected "Follow", got "Like"']);
    expect(shapeDifferences(doc, { ...doc, id: `${DYE}/b` })).toHaveLength(1);
    expect(shapeDifferences(doc, { ...doc, id: `${KNIT}/a` })).toHaveLength(1);
    expect(shapeDifferences(doc, { ...doc, "@context": ["https://w3id.org/security/v1"] })).toHaveLength(1);
    expect(shapeDifferences({ a: [1, 2] }, { a: [1] })).toEqual(["$.a: expected 2 items, got 1"]);
  });

  it("treats UUIDs in IRIs as placeholders, and maps placeholder origins and hosts", () => {
    const id = `${DYE}/activities/7c3e5a90-2f41-4b8e-9d3a-5b1f0c6e2a17`;
    expect(shapeDifferences(id, `${DYE}/activities/00000000-1111-4222-8333-444444444444`)).toEqual([]);
    expect(withOrigins({ id, subject: "acct:coop@dye.example" }, { [DYE]: "http://127.0.0.1:8080" })).toEqual({
      id: "http://127.0.0.1:8080/activities/7c3e5a90-2f41-4b8e-9d3a-5b1f0c6e2a17",
      subject: "acct:coop@127.0.0.1:8080",
    });
  });
});

describe("(a) the ActivityStreams examples parse with Fedify to the expected classes", () => {
  const followId = `${KNIT}/activities/7c3e5a90-2f41-4b8e-9d3a-5b1f0c6e2a17`;
  const PARSED_EXAMPLES = [
    "actor.json",
    "follow.json",
    "accept-follow.json",
    "reject-follow.json",
    "undo-follow.json",
    "update-actor.json",
    "followers.json",
    "followers-page.json",
    "following.json",
    "outbox.json",
  ];
  // Not ActivityStreams: checked against live nodes and the wire below.
  const OTHER_EXAMPLES = ["integrity.json", "nodeinfo-discovery.json", "nodeinfo.json", "webfinger.json"];

  it("covers every file in spec/examples (with listings.test.ts and orders.test.ts)", () => {
    expect(exampleFiles()).toEqual(
      [...PARSED_EXAMPLES, ...OTHER_EXAMPLES, ...LISTING_EXAMPLES, ...ORDER_EXAMPLES, ...DISCOVERY_EXAMPLES].sort(),
    );
  });

  it("actor.json is an Organization with its endpoints, keys and attachments", async () => {
    const actor = await parse(example("actor.json"));
    expect(actor).toBeInstanceOf(Organization);
    const org = actor as Organization;
    expect(org.id?.href).toBe(`${DYE}/coops/coop`);
    expect(org.preferredUsername?.toString()).toBe("coop");
    expect(org.inboxId?.href).toBe(`${DYE}/coops/coop/inbox`);
    expect(org.endpoints?.sharedInbox?.href).toBe(`${DYE}/inbox`);
    expect(org.outboxId?.href).toBe(`${DYE}/coops/coop/outbox`);
    expect(org.followersId?.href).toBe(`${DYE}/coops/coop/followers`);
    expect(org.followingId?.href).toBe(`${DYE}/coops/coop/following`);
    expect(org.streamIds.map((i) => i.href)).toEqual([`${DYE}/coops/coop/listings`]);
    expect(org.url).toEqual(new URL(DYE_PROFILE.website));
    expect(org.manuallyApprovesFollowers).toBe(false);
    expect(org.discoverable).toBe(true);
    expect(org.indexable).toBe(true);

    const key = await org.getPublicKey(offline);
    expect(key).toBeInstanceOf(CryptographicKey);
    expect(key?.id?.href).toBe(`${DYE}/coops/coop#main-key`);
    expect(key?.ownerId?.href).toBe(org.id?.href);
    expect(key?.publicKey?.algorithm.name).toBe("RSASSA-PKCS1-v1_5");

    const multikeys: Multikey[] = [];
    for await (const m of org.getAssertionMethods(offline)) multikeys.push(m);
    expect(multikeys.map((m) => [m.id?.href, m.controllerId?.href, m.publicKey?.algorithm.name])).toEqual([
      [`${DYE}/coops/coop#multikey-1`, org.id?.href, "RSASSA-PKCS1-v1_5"],
      [`${DYE}/coops/coop#multikey-2`, org.id?.href, "Ed25519"],
    ]);

    const attachments: unknown[] = [];
    for await (const a of org.getAttachments(offline)) attachments.push(a);
    expect(attachments.every((a) => a instanceof PropertyValue)).toBe(true);
    expect((attachments as PropertyValue[]).map((a) => [a.name?.toString(), a.value?.toString()])).toEqual([
      ["Region", "US-NC"],
      ["Website", expect.stringContaining(`href="${DYE_PROFILE.website}"`)],
    ]);
  });

  it("follow.json is a Follow of dye by knit", async () => {
    const follow = await parse(example("follow.json"));
    expect(follow).toBeInstanceOf(Follow);
    expect(follow.id?.href).toBe(followId);
    expect((follow as Follow).actorId?.href).toBe(`${KNIT}/coops/coop`);
    expect((follow as Follow).objectId?.href).toBe(`${DYE}/coops/coop`);
  });

  for (const [file, type] of [
    ["accept-follow.json", Accept],
    ["reject-follow.json", Reject],
  ] as const) {
    it(`${file} parses as ${type.name}, by dye, embedding knit's Follow (the one in follow.json)`, async () => {
      const answer = await parse(example(file));
      expect(answer).toBeInstanceOf(type);
      const activity = answer as Accept | Reject;
      expect(activity.id?.href).toMatch(new RegExp(`^${DYE}/activities/`));
      expect(activity.actorId?.href).toBe(`${DYE}/coops/coop`);
      expect(activity.objectId?.href).toBe(followId);
      // The embedded Follow comes from another origin; read it as written.
      const follow = await activity.getObject({ ...offline, crossOrigin: "trust" });
      expect(follow).toBeInstanceOf(Follow);
      expect((follow as Follow).actorId?.href).toBe(`${KNIT}/coops/coop`);
      expect((follow as Follow).objectId?.href).toBe(activity.actorId?.href);
    });
  }

  it("undo-follow.json is an Undo by knit of its own Follow", async () => {
    const undo = await parse(example("undo-follow.json"));
    expect(undo).toBeInstanceOf(Undo);
    const follow = await (undo as Undo).getObject(offline);
    expect(follow).toBeInstanceOf(Follow);
    expect(follow?.id?.href).toBe(followId);
    expect((follow as Follow).actorId?.href).toBe((undo as Undo).actorId?.href);
  });

  it("update-actor.json is a public Update by dye of its own Organization, copied to its followers", async () => {
    const update = await parse(example("update-actor.json"));
    expect(update).toBeInstanceOf(Update);
    const u = update as Update;
    const object = await u.getObject(offline);
    expect(object).toBeInstanceOf(Organization);
    expect(object?.id?.href).toBe(u.actorId?.href);
    expect(u.toIds.map((i) => i.href)).toEqual([PUBLIC_COLLECTION.href]);
    expect(u.ccIds.map((i) => i.href)).toEqual([`${DYE}/coops/coop/followers`]);
    expect(u.published).not.toBeNull();
  });

  it("the Organization in update-actor.json has exactly the keys of actor.json", () => {
    const update = example("update-actor.json") as Record<string, Json>;
    const { "@context": _context, ...actor } = example("actor.json") as Record<string, Json>;
    expect(shapeDifferences(actor, update.object)).toEqual([]);
  });

  it("followers.json, followers-page.json, following.json and outbox.json are ordered collections (pages)", async () => {
    const followers = await parse(example("followers.json"));
    expect(followers).toBeInstanceOf(OrderedCollection);
    expect((followers as OrderedCollection).totalItems).toBe(1);
    expect((followers as OrderedCollection).firstId?.href).toBe(`${DYE}/coops/coop/followers?cursor=`);

    const page = await parse(example("followers-page.json"));
    expect(page).toBeInstanceOf(OrderedCollectionPage);
    expect((page as OrderedCollectionPage).partOfId?.href).toBe(`${DYE}/coops/coop/followers`);
    expect((page as OrderedCollectionPage).itemIds.map((i) => i.href)).toEqual([`${KNIT}/coops/coop`]);

    const following = await parse(example("following.json"));
    expect(following).toBeInstanceOf(OrderedCollection);
    expect((following as OrderedCollection).itemIds.map((i) => i.href)).toEqual([`${KNIT}/coops/coop`]);

    const outbox = await parse(example("outbox.json"));
    expect(outbox).toBeInstanceOf(OrderedCollection);
    expect((outbox as OrderedCollection).firstId?.href).toBe(`${DYE}/coops/coop/outbox?cursor=`);
  });
});

describe("(b) what live nodes serve has the shape of the examples", () => {
  let dye: TestNode;
  let knit: TestNode;
  let origins: Record<string, string>;

  beforeAll(async () => {
    [dye, knit] = (await startNetwork(2)) as [TestNode, TestNode];
    origins = { [DYE]: dye.origin, [KNIT]: knit.origin };
    expect((await dye.api("PATCH", "/node", DYE_PROFILE)).status).toBe(200);
    // knit follows dye and dye follows knit: one follower, one followed co-op.
    await knit.api("POST", "/following", { handle: dye.account });
    await dye.api("POST", "/following", { handle: knit.account });
    await eventually(async () => (await knit.api("GET", "/following")).body.items[0]?.state === "accepted");
    await eventually(async () => (await dye.api("GET", "/following")).body.items[0]?.state === "accepted");
  });

  async function served(path: string, headers: Record<string, string>, contentType: string | RegExp) {
    const response = await dye.get(path, headers);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(contentType);
    return (await response.json()) as Record<string, unknown>;
  }

  it("the actor document (GET /coops/coop, Accept: application/activity+json) matches actor.json", async () => {
    const actor = await served("/coops/coop", AP, /^application\/activity\+json/);
    expectSameShape(withOrigins(example("actor.json"), origins), actor);
  });

  it("the WebFinger answer for acct:coop@host:port matches webfinger.json", async () => {
    const body = await served(
      `/.well-known/webfinger?resource=${encodeURIComponent(`acct:${dye.account}`)}`,
      {},
      /^application\/jrd\+json/,
    );
    expectSameShape(withOrigins(example("webfinger.json"), origins), body);
    expect(body.subject).toBe(`acct:coop@${new URL(dye.origin).host}`);
  });

  it("NodeInfo discovery and the NodeInfo 2.1 document match the examples; software is weft at this version", async () => {
    const discovery = await served("/.well-known/nodeinfo", {}, /^application\/jrd\+json/);
    expectSameShape(withOrigins(example("nodeinfo-discovery.json"), origins), discovery);
    const nodeinfo = await served("/nodeinfo/2.1", {}, /^application\/json; profile=/);
    expectSameShape(withOrigins(example("nodeinfo.json"), origins), nodeinfo);
    expect(nodeinfo.software).toEqual({ name: "weft", version: VERSION, homepage: `${dye.origin}/` });
    expect(nodeinfo.protocols).toEqual(["activitypub"]);
  });

  it("the followers collection, its first page, following and outbox match the examples", async () => {
    for (const [path, file] of [
      ["/coops/coop/followers", "followers.json"],
      ["/coops/coop/followers?cursor=", "followers-page.json"],
      ["/coops/coop/following", "following.json"],
      ["/coops/coop/outbox", "outbox.json"],
    ] as const) {
      const body = await served(path, AP, /^application\/activity\+json/);
      expect({ file, differences: shapeDifferences(withOrigins(example(file), origins), body) }).toEqual({
        file,
        differences: [],
      });
    }
  });

  it("actor.json, origins replaced, says the same as the live actor: same JSON-LD properties and values", async () => {
    const exampleActor = (await parse(withOrigins(example("actor.json"), origins))) as Organization;
    const liveActor = (await parse(await served("/coops/coop", AP, /activity/))) as Organization;
    // The set of properties after JSON-LD expansion, independent of how keys are compacted.
    const properties = async (o: Organization) =>
      Object.keys(((await o.clone({}).toJsonLd({ format: "expand" })) as Record<string, unknown>[])[0] ?? {}).sort();
    expect(await properties(exampleActor)).toEqual(await properties(liveActor));
    // Everything but the key material must be equal.
    const facts = async (o: Organization) => {
      const multikeys: string[] = [];
      for await (const m of o.getAssertionMethods(offline))
        multikeys.push(`${m.id?.href} ${m.publicKey?.algorithm.name}`);
      const attachments: string[] = [];
      for await (const a of o.getAttachments(offline))
        attachments.push(`${(a as PropertyValue).name}: ${(a as PropertyValue).value}`);
      return {
        id: o.id?.href,
        preferredUsername: o.preferredUsername?.toString(),
        name: o.name?.toString(),
        summary: o.summary?.toString(),
        url: o.url instanceof URL ? o.url.href : null,
        inbox: o.inboxId?.href,
        sharedInbox: o.endpoints?.sharedInbox?.href,
        outbox: o.outboxId?.href,
        followers: o.followersId?.href,
        following: o.followingId?.href,
        streams: o.streamIds.map((i) => i.href),
        publicKey: o.publicKeyId?.href,
        multikeys,
        attachments,
        manuallyApprovesFollowers: o.manuallyApprovesFollowers,
        discoverable: o.discoverable,
        indexable: o.indexable,
      };
    };
    expect(await facts(exampleActor)).toEqual(await facts(liveActor));
  });

  it("the Update in the outbox (GET /coops/coop/outbox?cursor=) is, once Fedify normalises both, shaped like update-actor.json", async () => {
    const page = await served("/coops/coop/outbox?cursor=", AP, /activity/);
    const items = page.orderedItems as unknown[];
    expect(items).toHaveLength(1);
    // Compared through Fedify, because the outbox keeps the activity in
    // compacted JSON-LD (`"to": "as:Public"`, its own `@context`), which is
    // equivalent to, but not spelled like, what is sent.
    const normalise = async (json: unknown) => (await (await parse(json)).clone({}).toJsonLd()) as Json;
    const stored = await normalise(items[0]);
    const expected = await normalise(withOrigins(example("update-actor.json"), origins));
    expect(shapeDifferences(expected, stored)).toEqual([]);
    expect((await parse(items[0])) instanceof Update).toBe(true);
  });
});

describe("(c) what a node sends (recorded by a peer) has the shape of the examples", () => {
  let peer: RecordingPeer;
  beforeAll(async () => {
    peer = await RecordingPeer.start();
  });
  afterAll(async () => {
    await peer.stop();
  });

  /** Waits for the first delivery of `type` from `node` that the peer accepted. */
  async function delivered(node: TestNode, type: string): Promise<Delivery> {
    return await eventually(() => peer.accepted(type).find((d) => d.body.actor === node.actorUrl));
  }

  /** integrity.json shows the blocks of knit's Follow; `node` is the sender here. */
  function expectSigned(delivery: Delivery, node: TestNode) {
    // RFC 9421 first, with the actor's RSA key, covering the body's digest.
    expect(delivery.headers["content-type"]).toBe("application/activity+json");
    expect(delivery.headers["signature-input"]).toMatch(
      new RegExp(
        `^sig1=\\("@method" "@target-uri" "@authority" "host" "date" "content-digest"\\);alg="rsa-v1_5-sha256";keyid="${node.actorUrl}#main-key";created=\\d+$`,
      ),
    );
    expect(delivery.headers["content-digest"]).toMatch(/^sha-256=:[A-Za-z0-9+/]+=*:$/);
    // Plus an FEP-8b32 proof and a Linked Data signature in the body.
    const integrity = withOrigins(example("integrity.json"), { [KNIT]: node.origin }) as Record<string, Json>;
    const { "@context": proofContext, ...proof } = delivery.body.proof as Record<string, unknown>;
    const { "@context": _exampleContext, ...exampleProof } = integrity.proof as Record<string, Json>;
    expect(shapeDifferences(exampleProof, proof)).toEqual([]);
    expect(proofContext).toEqual(delivery.body["@context"]);
    expect(shapeDifferences(integrity.signature as Json, delivery.body.signature)).toEqual([]);
  }

  it("Follow (POST /api/v1/following) matches follow.json and is signed", async () => {
    const knit = await startNode();
    const origins = { [KNIT]: knit.origin, [DYE]: peer.origin };
    expect((await knit.api("POST", "/following", { actor: peer.actorUrl })).status).toBe(202);
    const follow = await delivered(knit, "Follow");
    expect(follow.path).toBe("/coops/coop/inbox");
    expectSameShape(withOrigins(example("follow.json"), origins), withoutIntegrity(follow.body));
    expectSigned(follow, knit);
  });

  it("Undo(Follow) (DELETE /api/v1/following/{id}) matches undo-follow.json and undoes the Follow sent before", async () => {
    const knit = await startNode();
    const origins = { [KNIT]: knit.origin, [DYE]: peer.origin };
    const sent = await knit.api("POST", "/following", { actor: peer.actorUrl });
    const follow = await delivered(knit, "Follow");
    expect((await knit.api("DELETE", `/following/${sent.body.id}`)).status).toBe(204);
    const undo = await delivered(knit, "Undo");
    expectSameShape(withOrigins(example("undo-follow.json"), origins), withoutIntegrity(undo.body));
    expect((undo.body.object as Record<string, unknown>).id).toBe(follow.body.id);
    expectSigned(undo, knit);
  });

  it("Accept(Follow), answering follow.json sent by the peer, matches accept-follow.json", async () => {
    const dye = await startNode();
    const origins = { [DYE]: dye.origin, [KNIT]: peer.origin };
    const follow = withOrigins(example("follow.json"), origins) as Record<string, unknown>;
    expect((await peer.send(`${dye.actorUrl}/inbox`, follow)).status).toBe(202);
    const accept = await delivered(dye, "Accept");
    expectSameShape(withOrigins(example("accept-follow.json"), origins), withoutIntegrity(accept.body));
    expect(accept.body.object).toEqual(withoutContext(follow));
    expectSigned(accept, dye);
  });

  it("Reject(Follow) for a rejected pending follower (manual approval) matches reject-follow.json", async () => {
    const dye = await startNode({ env: { WEFT_FOLLOW_APPROVAL: "manual" } });
    const origins = { [DYE]: dye.origin, [KNIT]: peer.origin };
    const follow = withOrigins(example("follow.json"), origins) as Record<string, unknown>;
    expect((await peer.send(`${dye.actorUrl}/inbox`, follow)).status).toBe(202);
    const pending = await eventually(async () => (await dye.api("GET", "/followers?state=pending")).body.items[0]);
    expect(peer.accepted("Accept").filter((d) => d.body.actor === dye.actorUrl)).toEqual([]);
    expect((await dye.api("POST", `/followers/${pending.id}/reject`)).status).toBe(204);
    const reject = await delivered(dye, "Reject");
    expectSameShape(withOrigins(example("reject-follow.json"), origins), withoutIntegrity(reject.body));
    expect(reject.body.object).toEqual(withoutContext(follow));
    expectSigned(reject, dye);
  });

  it("removing an accepted follower (DELETE /api/v1/followers/{id}) also sends a Reject shaped like reject-follow.json", async () => {
    const dye = await startNode();
    const origins = { [DYE]: dye.origin, [KNIT]: peer.origin };
    const follow = withOrigins(example("follow.json"), origins) as Record<string, unknown>;
    expect((await peer.send(`${dye.actorUrl}/inbox`, follow)).status).toBe(202);
    await delivered(dye, "Accept");
    const follower = (await dye.api("GET", "/followers")).body.items[0];
    expect((await dye.api("DELETE", `/followers/${follower.id}`)).status).toBe(204);
    const reject = await delivered(dye, "Reject");
    expectSameShape(withOrigins(example("reject-follow.json"), origins), withoutIntegrity(reject.body));
  });

  it("Update(Organization) after PATCH /api/v1/node goes to followers' shared inboxes and matches update-actor.json", async () => {
    const dye = await startNode();
    const origins = { [DYE]: dye.origin, [KNIT]: peer.origin };
    expect((await peer.send(`${dye.actorUrl}/inbox`, withOrigins(example("follow.json"), origins))).status).toBe(202);
    await delivered(dye, "Accept");
    expect((await dye.api("PATCH", "/node", DYE_PROFILE)).status).toBe(200);
    const update = await delivered(dye, "Update");
    expect(update.path).toBe("/inbox");
    expectSameShape(withOrigins(example("update-actor.json"), origins), withoutIntegrity(update.body));
    expect((update.body.object as Record<string, unknown>).name).toBe(DYE_PROFILE.name);
    expectSigned(update, dye);
  });

  it("falls back to a draft-cavage signature (rsa-sha256, with Digest) when the recipient refuses RFC 9421", async () => {
    const mastodonLike = await RecordingPeer.start({ refuseRfc9421: true });
    try {
      const knit = await startNode();
      await knit.api("POST", "/following", { actor: mastodonLike.actorUrl });
      const follow = await eventually(() => mastodonLike.accepted("Follow")[0]);
      const refused = mastodonLike.deliveries.filter((d) => d.status === 401);
      expect(refused.map((d) => d.body.id)).toEqual([follow.body.id]);
      expect(follow.headers["signature-input"]).toBeUndefined();
      expect(follow.headers.digest).toMatch(/^SHA-256=[A-Za-z0-9+/]+=*$/);
      expect(follow.headers.signature).toMatch(
        new RegExp(
          `^keyId="${knit.actorUrl}#main-key",algorithm="rsa-sha256",headers="\\(request-target\\) content-type date digest host",signature="[A-Za-z0-9+/]+=*"$`,
        ),
      );
    } finally {
      await mastodonLike.stop();
    }
  });
});

function withoutContext(json: Record<string, unknown>): Record<string, unknown> {
  const { "@context": _context, ...rest } = json;
  return rest;
}
