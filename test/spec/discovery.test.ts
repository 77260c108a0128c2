// spec/discovery.md: the relay actor, joining a relay and the relay's Accept,
// compared with what live nodes serve and send.
import { Accept, Application, Follow } from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startNode, type TestNode } from "../support/network.ts";
import { RecordingPeer } from "./peer.ts";
import { example, shapeDifferences, withOrigins } from "./shape.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

describe("spec/discovery.md", () => {
  let hub: TestNode;
  let member: TestNode;
  let peer: RecordingPeer;
  beforeAll(async () => {
    hub = await startNode({ env: { WEFT_RELAY: "on" } });
    member = await startNode();
    peer = await RecordingPeer.start();
  });
  afterAll(async () => {
    await peer.stop();
  });

  it("the examples parse with Fedify as what the spec says they are", async () => {
    const actor = await Application.fromJsonLd(example("relay-actor.json"));
    expect(actor.preferredUsername?.toString()).toBe("relay");
    const follow = await Follow.fromJsonLd(example("relay-follow.json"));
    expect(follow.objectId?.href).toBe(PUBLIC);
    const accept = await Accept.fromJsonLd(example("relay-accept.json"));
    expect(accept.actorId?.href).toBe("https://hub.example/coops/relay");
  });

  it("a hub serves the relay actor of relay-actor.json", async () => {
    const actor = await (await hub.get("/coops/relay", { accept: "application/activity+json" })).json();
    const expected = withOrigins(example("relay-actor.json"), { "https://hub.example": hub.origin });
    expect(shapeDifferences(expected, actor)).toEqual([]);
  });

  it("joining a relay sends the Follow of relay-follow.json (object: the Public collection)", async () => {
    await member.api("POST", "/relays", { actor: peer.actorUrl });
    const follow = await eventually(() => peer.deliveries.find((d) => d.body.type === "Follow"));
    const expected = withOrigins(example("relay-follow.json"), {
      "https://knit.example": member.origin,
      "https://hub.example": peer.origin,
    });
    expect(shapeDifferences(expected, follow.body)).toEqual([]);
    expect(follow.body.object).toBe(PUBLIC);
  });

  it("a hub answers a member's Follow with the Accept of relay-accept.json", async () => {
    const follow = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${peer.origin}/activities/1`,
      type: "Follow",
      actor: peer.actorUrl,
      object: PUBLIC,
    };
    expect((await peer.send(`${hub.origin}/inbox`, follow)).status).toBe(202);
    const accept = await eventually(() => peer.deliveries.find((d) => d.body.type === "Accept"));
    const expected = withOrigins(example("relay-accept.json"), {
      "https://hub.example": hub.origin,
      "https://knit.example": peer.origin,
    });
    expect(shapeDifferences(expected, accept.body)).toEqual([]);
  });
});
