import { describe, expect, it } from "vitest";
import { eventually, startNetwork, startNode } from "../support/network.ts";

describe("following between co-ops over signed ActivityPub", () => {
  it("follows by handle, and the followed co-op accepts automatically", async () => {
    const [knit, dye] = await startNetwork(2);
    const sent = await knit!.api("POST", "/following", { handle: dye!.account });
    expect(sent.status).toBe(202);
    expect(sent.body.state).toBe("pending");
    expect(sent.body.actor.iri).toBe(dye!.actorUrl);

    const accepted = await eventually(async () => {
      const list = await knit!.api("GET", "/following");
      return list.body.items.find((f: any) => f.state === "accepted");
    });
    expect(accepted.actor.handle).toBe(dye!.account);

    const followers = await dye!.api("GET", "/followers");
    expect(followers.body.items).toHaveLength(1);
    expect(followers.body.items[0]).toMatchObject({ state: "accepted", actor: { iri: knit!.actorUrl } });

    // The followers collection now lists knit.
    const collection = await dye!.get(`/coops/coop/followers?cursor=`, { accept: "application/activity+json" });
    expect((await collection.json()).orderedItems).toEqual([knit!.actorUrl]);
  });

  it("follows by actor URL and unfollows with Undo(Follow)", async () => {
    const [a, b] = await startNetwork(2);
    const sent = await a!.api("POST", "/following", { actor: b!.actorUrl });
    expect(sent.status).toBe(202);
    await eventually(async () => (await b!.api("GET", "/followers")).body.items.length === 1);
    await eventually(async () => (await a!.api("GET", "/following")).body.items[0]?.state === "accepted");

    const removed = await a!.api("DELETE", `/following/${sent.body.id}`);
    expect(removed.status).toBe(204);
    expect((await a!.api("GET", "/following")).body.items).toEqual([]);
    await eventually(async () => (await b!.api("GET", "/followers")).body.items.length === 0);
  });

  it("holds follows for approval when WEFT_FOLLOW_APPROVAL=manual, then approves", async () => {
    const follower = await startNode();
    const careful = await startNode({ env: { WEFT_FOLLOW_APPROVAL: "manual" } });
    await follower.api("POST", "/following", { handle: careful.account });
    const pending = await eventually(async () => {
      const list = await careful.api("GET", "/followers?state=pending");
      return list.body.items[0];
    });
    expect(pending.state).toBe("pending");
    // Still pending on the follower's side: nothing was answered yet.
    expect((await follower.api("GET", "/following")).body.items[0].state).toBe("pending");

    const approved = await careful.api("POST", `/followers/${pending.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe("accepted");
    await eventually(async () => (await follower.api("GET", "/following")).body.items[0]?.state === "accepted");

    // Approving twice is a conflict, not a second Accept.
    expect((await careful.api("POST", `/followers/${pending.id}/approve`)).status).toBe(409);
  });

  it("records a rejection on the follower's side", async () => {
    const follower = await startNode();
    const careful = await startNode({ env: { WEFT_FOLLOW_APPROVAL: "manual" } });
    await follower.api("POST", "/following", { handle: careful.account });
    const pending = await eventually(async () => (await careful.api("GET", "/followers")).body.items[0]);
    expect((await careful.api("POST", `/followers/${pending.id}/reject`)).status).toBe(204);
    expect((await careful.api("GET", "/followers")).body.items).toEqual([]);
    await eventually(async () => (await follower.api("GET", "/following")).body.items[0]?.state === "rejected");
  });

  it("removing a follower stops the relationship on both sides", async () => {
    const [a, b] = await startNetwork(2);
    await a!.api("POST", "/following", { handle: b!.account });
    const follower = await eventually(async () => (await b!.api("GET", "/followers")).body.items[0]);
    await eventually(async () => (await a!.api("GET", "/following")).body.items[0]?.state === "accepted");
    expect((await b!.api("DELETE", `/followers/${follower.id}`)).status).toBe(204);
    expect((await b!.api("GET", "/followers")).body.items).toEqual([]);
    await eventually(async () => (await a!.api("GET", "/following")).body.items[0]?.state === "rejected");
  });

  it("sends profile edits to followers as Update", async () => {
    const [a, b] = await startNetwork(2);
    await a!.api("POST", "/following", { handle: b!.account });
    await eventually(async () => (await a!.api("GET", "/following")).body.items[0]?.state === "accepted");
    const patched = await b!.api("PATCH", "/node", { name: "Blue Ridge Dye House", region: "US-NC" });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "Blue Ridge Dye House", region: "US-NC" });
    await eventually(
      async () => (await a!.api("GET", "/following")).body.items[0]?.actor.name === "Blue Ridge Dye House",
    );
  });
});
