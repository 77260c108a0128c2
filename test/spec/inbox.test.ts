// What a node accepts at its inboxes (spec/README.md "Authentication",
// spec/follows.md "What a node accepts and ignores"), driven by recording
// peers that sign like any other server would, and fed the spec's own
// examples. Unsigned, forged and wrongly attributed requests are refused in
// test/federation/inbox-security.test.ts.
import { Follow } from "@fedify/vocab";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, startNode, type TestNode } from "../support/network.ts";
import { RecordingPeer } from "./peer.ts";
import { example, withOrigins } from "./shape.ts";

const DYE = "https://dye.example";
const KNIT = "https://knit.example";

const peers: RecordingPeer[] = [];
async function startPeer(): Promise<RecordingPeer> {
  const peer = await RecordingPeer.start();
  peers.push(peer);
  return peer;
}
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
});

/** Waits until the node has processed everything it received and sent. */
async function drained(node: TestNode): Promise<void> {
  await eventually(async () => (await node.api("GET", "/node")).body.queue.queued === 0);
}

async function followerIris(node: TestNode): Promise<string[]> {
  return (await node.api("GET", "/followers")).body.items.map((f: { actor: { iri: string } }) => f.actor.iri).sort();
}

async function followingOf(node: TestNode, peer: RecordingPeer) {
  return (await node.api("GET", "/following")).body.items.find(
    (f: { actor: { iri: string } }) => f.actor.iri === peer.actorUrl,
  );
}

/** The node follows `peer`, which never answers; returns the IRI of the node's Follow. */
async function followPeer(node: TestNode, peer: RecordingPeer): Promise<string> {
  expect((await node.api("POST", "/following", { actor: peer.actorUrl })).status).toBe(202);
  const follow = await eventually(() => peer.accepted("Follow").find((d) => d.body.actor === node.actorUrl));
  return follow.body.id as string;
}

/** follow.json as `peer` (in knit's place) following `node` (in dye's place). */
const followFrom = (peer: RecordingPeer, node: TestNode) =>
  withOrigins(example("follow.json"), { [KNIT]: peer.origin, [DYE]: node.origin }) as Record<string, unknown>;

describe("authentication of inbound activities", () => {
  it("accepts draft-cavage and RFC 9421 signatures by the actor's key, at the actor inbox and the shared inbox", async () => {
    const dye = await startNode();
    const knit = await startPeer();
    const follow = followFrom(knit, dye);
    expect((await knit.send(`${dye.actorUrl}/inbox`, follow, { spec: "draft-cavage-http-signatures-12" })).status).toBe(
      202,
    );
    await eventually(async () => (await followerIris(dye)).includes(knit.actorUrl));
    const undo = withOrigins(example("undo-follow.json"), { [KNIT]: knit.origin, [DYE]: dye.origin });
    expect((await knit.send(`${dye.origin}/inbox`, undo, { spec: "rfc9421" })).status).toBe(202);
    await eventually(async () => (await followerIris(dye)).length === 0);
  });

  it("also accepts, without HTTP signature, an FEP-8b32 proof or a Linked Data signature by the actor's key", async () => {
    const dye = await startNode();
    const withProof = await startPeer();
    const withLdSignature = await startPeer();
    const follow = (peer: RecordingPeer) =>
      new Follow({
        id: new URL(`${peer.origin}/activities/1`),
        actor: new URL(peer.actorUrl),
        object: new URL(dye.actorUrl),
      });
    const inbox = `${dye.actorUrl}/inbox`;
    const proved = await withProof.withProof(follow(withProof));
    expect((await withProof.send(inbox, proved, { unsigned: true })).status).toBe(202);
    const ldSigned = await withLdSignature.withLdSignature(await follow(withLdSignature).toJsonLd());
    expect((await withLdSignature.send(inbox, ldSigned, { unsigned: true })).status).toBe(202);
    await eventually(async () => (await followerIris(dye)).length === 2);
    expect(await followerIris(dye)).toEqual([withProof.actorUrl, withLdSignature.actorUrl].sort());
  });

  it("refuses with 401 an unsigned activity whose proof is by someone other than the actor", async () => {
    const dye = await startNode();
    const knit = await startPeer();
    const other = await startPeer();
    const follow = new Follow({
      id: new URL(`${other.origin}/activities/1`),
      actor: new URL(knit.actorUrl),
      object: new URL(dye.actorUrl),
    });
    const response = await other.send(`${dye.actorUrl}/inbox`, await other.withProof(follow), { unsigned: true });
    expect(response.status).toBe(401);
  });
});

describe("the spec's example activities, sent by a peer, do what spec/follows.md says", () => {
  it("follow.json makes the peer a follower (by that Follow id); undo-follow.json removes it", async () => {
    const dye = await startNode();
    const knit = await startPeer();
    const follow = followFrom(knit, dye);
    expect((await knit.send(`${dye.actorUrl}/inbox`, follow)).status).toBe(202);
    await eventually(async () => (await followerIris(dye)).includes(knit.actorUrl));
    const undo = withOrigins(example("undo-follow.json"), { [KNIT]: knit.origin, [DYE]: dye.origin });
    expect((await knit.send(`${dye.actorUrl}/inbox`, undo)).status).toBe(202);
    await eventually(async () => (await followerIris(dye)).length === 0);
  });

  it("accept-follow.json naming our Follow accepts it; reject-follow.json then rejects it", async () => {
    const knit = await startNode();
    const dye = await startPeer();
    const followIri = await followPeer(knit, dye);
    const origins = { [DYE]: dye.origin, [KNIT]: knit.origin };
    const answer = (file: string) => {
      const activity = withOrigins(example(file), origins) as Record<string, Record<string, unknown>>;
      (activity.object as Record<string, unknown>).id = followIri;
      return activity;
    };
    expect((await dye.send(`${knit.actorUrl}/inbox`, answer("accept-follow.json"))).status).toBe(202);
    await eventually(async () => (await followingOf(knit, dye))?.state === "accepted");
    expect((await dye.send(`${knit.actorUrl}/inbox`, answer("reject-follow.json"))).status).toBe(202);
    await eventually(async () => (await followingOf(knit, dye))?.state === "rejected");
  });

  it("update-actor.json refreshes the profile a follower keeps of the co-op", async () => {
    const knit = await startNode();
    const dye = await startPeer();
    await followPeer(knit, dye);
    const update = withOrigins(example("update-actor.json"), { [DYE]: dye.origin, [KNIT]: knit.origin });
    expect((await dye.send(`${knit.origin}/inbox`, update)).status).toBe(202);
    const refreshed = await eventually(async () => {
      const row = await followingOf(knit, dye);
      return row?.actor.name === "Blue Ridge Dye House" ? row : null;
    });
    expect(refreshed.actor).toMatchObject({
      url: "https://dyehouse.example.org/",
      summary: "Natural and low-impact dyeing of knit and woven fabric, 50 to 5,000 metres.",
    });
  });
});

describe("what a node ignores (spec/follows.md)", () => {
  it("ignores a Follow whose object is not its co-op", async () => {
    const dye = await startNode();
    const knit = await startPeer();
    const other = await startPeer();
    const follow = { ...followFrom(knit, dye), id: `${knit.origin}/activities/follow-other`, object: other.actorUrl };
    expect((await knit.send(`${dye.actorUrl}/inbox`, follow)).status).toBe(202);
    await drained(dye);
    expect(await followerIris(dye)).toEqual([]);
    // Control: a Follow of the co-op is honoured. (It needs another id: an
    // id already processed at this inbox is acknowledged and skipped.)
    expect((await knit.send(`${dye.actorUrl}/inbox`, followFrom(knit, dye))).status).toBe(202);
    await eventually(async () => (await followerIris(dye)).length === 1);
  });

  it("ignores an Undo(Follow) by someone other than the follower", async () => {
    const dye = await startNode();
    const a = await startPeer();
    const b = await startPeer();
    for (const peer of [a, b]) {
      expect((await peer.send(`${dye.actorUrl}/inbox`, followFrom(peer, dye))).status).toBe(202);
    }
    await eventually(async () => (await followerIris(dye)).length === 2);
    // b undoes a Follow whose actor is a (embedded, on b's origin so that it is read as sent).
    const undo = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${b.origin}/activities/undo-1`,
      type: "Undo",
      actor: b.actorUrl,
      object: { id: `${b.origin}/activities/follow-a`, type: "Follow", actor: a.actorUrl, object: dye.actorUrl },
    };
    expect((await b.send(`${dye.actorUrl}/inbox`, undo)).status).toBe(202);
    await drained(dye);
    expect(await followerIris(dye)).toEqual([a.actorUrl, b.actorUrl].sort());
  });

  it("ignores an Update of an actor sent by another actor; honours an actor's Update of itself", async () => {
    const knit = await startNode();
    const a = await startPeer();
    const b = await startPeer();
    await followPeer(knit, a);
    await followPeer(knit, b);
    a.name = "A renamed";
    const updateOfA = (sender: RecordingPeer, id: string) => ({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${sender.origin}/activities/${id}`,
      type: "Update",
      actor: sender.actorUrl,
      object: { id: a.actorUrl, type: "Organization", name: "A renamed", inbox: `${a.actorUrl}/inbox` },
    });
    expect((await b.send(`${knit.origin}/inbox`, updateOfA(b, "update-1"))).status).toBe(202);
    await drained(knit);
    expect((await followingOf(knit, a)).actor.name).toBe("Recording peer");
    expect((await a.send(`${knit.origin}/inbox`, updateOfA(a, "update-2"))).status).toBe(202);
    await eventually(async () => (await followingOf(knit, a)).actor.name === "A renamed");
  });

  it("matches Accept to its Follow by id and by the followed actor; other Accepts change nothing", async () => {
    const knit = await startNode();
    const dye = await startPeer();
    const other = await startPeer();
    const followIri = await followPeer(knit, dye);
    const accept = (sender: RecordingPeer, object: string, n: number) => ({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${sender.origin}/activities/accept-${n}`,
      type: "Accept",
      actor: sender.actorUrl,
      object,
    });
    const inbox = `${knit.actorUrl}/inbox`;
    // A Follow that is not ours (another origin), an id of ours that is no Follow we sent, and our Follow accepted by a stranger.
    expect((await dye.send(inbox, accept(dye, `${dye.origin}/activities/someone-elses-follow`, 1))).status).toBe(202);
    expect((await dye.send(inbox, accept(dye, `${knit.origin}/activities/not-a-follow-we-sent`, 2))).status).toBe(202);
    expect((await other.send(inbox, accept(other, followIri, 3))).status).toBe(202);
    await drained(knit);
    expect((await followingOf(knit, dye)).state).toBe("pending");
    // Control: the followed co-op accepting our Follow, named by id only.
    expect((await dye.send(inbox, accept(dye, followIri, 4))).status).toBe(202);
    await eventually(async () => (await followingOf(knit, dye)).state === "accepted");
  });
});
