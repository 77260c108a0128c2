import { beforeAll, describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { startNode, type TestNode } from "../support/network.ts";

describe("discovery: WebFinger, NodeInfo, actor", () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ handle: "burkeknit" });
  });

  it("answers WebFinger for acct:HANDLE@host:port with the actor link", async () => {
    const res = await node.get(`/.well-known/webfinger?resource=acct:${node.account}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/jrd\+json/);
    const jrd = await res.json();
    expect(jrd.subject).toBe(`acct:${node.account}`);
    expect(jrd.links).toContainEqual({ rel: "self", type: "application/activity+json", href: node.actorUrl });
  });

  it("answers WebFinger for the actor URL too, and 404 for unknown accounts", async () => {
    const byUrl = await node.get(`/.well-known/webfinger?resource=${encodeURIComponent(node.actorUrl)}`);
    expect(byUrl.status).toBe(200);
    const host = new URL(node.origin).host;
    expect((await node.get(`/.well-known/webfinger?resource=acct:someone@${host}`)).status).toBe(404);
    expect((await node.get("/.well-known/webfinger")).status).toBe(400);
  });

  it("serves NodeInfo 2.1 with software weft and the package version", async () => {
    const links = await (await node.get("/.well-known/nodeinfo")).json();
    const href = links.links.find((l: { rel: string }) => l.rel.endsWith("/schema/2.1")).href;
    const info = await (await fetch(href)).json();
    expect(info.version).toBe("2.1");
    expect(info.software).toMatchObject({ name: "weft", version: pkg.version });
    expect(info.protocols).toEqual(["activitypub"]);
  });

  it("serves the co-op as an Organization with RSA and Ed25519 keys and its collections", async () => {
    const res = await node.get(`/coops/burkeknit`, { accept: "application/activity+json" });
    expect(res.status).toBe(200);
    const actor = await res.json();
    expect(actor).toMatchObject({
      id: node.actorUrl,
      type: "Organization",
      preferredUsername: "burkeknit",
      inbox: `${node.actorUrl}/inbox`,
      outbox: `${node.actorUrl}/outbox`,
      followers: `${node.actorUrl}/followers`,
      following: `${node.actorUrl}/following`,
      endpoints: { sharedInbox: `${node.origin}/inbox` },
    });
    expect(actor.publicKey.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(actor.assertionMethod).toHaveLength(2);
    // Unknown identifiers are 404, and browsers get the HTML profile page.
    expect((await node.get("/coops/other", { accept: "application/activity+json" })).status).toBe(404);
    const page = await node.get("/coops/burkeknit", { accept: "text/html" });
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain(node.account);
  });

  it("shows region and website from the profile on the actor", async () => {
    await node.api("PATCH", "/node", { region: "US-NC", website: "https://burkeknit.example" });
    const actor = await (await node.get(`/coops/burkeknit`, { accept: "application/activity+json" })).json();
    const attachments = Object.fromEntries(
      actor.attachment.map((a: { name: string; value: string }) => [a.name, a.value]),
    );
    expect(attachments.Region).toBe("US-NC");
    expect(attachments.Website).toContain("https://burkeknit.example");
    // null resets a field.
    await node.api("PATCH", "/node", { website: null });
    expect((await node.api("GET", "/node")).body.website).toBeNull();
  });
});
