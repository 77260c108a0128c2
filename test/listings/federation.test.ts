// Listings federate to followers over signed ActivityPub (3 loopback nodes).
import { signRequest } from "@fedify/fedify";
import { beforeAll, describe, expect, it } from "vitest";
import { FEP0837_CONTEXT } from "../support/fixtures.ts";
import { eventually, settled, startNetwork, type TestNode } from "../support/network.ts";

const jersey = {
  kind: "offer",
  title: "Organic cotton jersey, 180 gsm",
  description: "Soft **organic** jersey.",
  category: "textile/fabric/knit",
  quantity: { amount: "500", unit: "MTR" },
  minimumOrder: { amount: "50", unit: "MTR" },
  price: { amount: "7.40", currency: "USD", per: "MTR" },
  region: "US-NC",
  location: { lat: 35.745, lon: -81.685 },
  availableFrom: "2027-01-04",
  availableUntil: "2027-03-31",
  visibility: "public",
};

async function follow(follower: TestNode, followed: TestNode) {
  await follower.api("POST", "/following", { handle: followed.account });
  await eventually(async () => {
    const items = (await follower.api("GET", "/following")).body.items;
    return items.some((f: any) => f.actor.iri === followed.actorUrl && f.state === "accepted");
  });
}

async function timelineTitles(node: TestNode): Promise<string[]> {
  return (await node.api("GET", "/timeline")).body.items.map((l: any) => l.title);
}

/** POSTs an activity to `target`'s inbox signed with `signer`'s real key. */
async function deliverSigned(signer: TestNode, target: TestNode, activity: object): Promise<number> {
  const [rsa] = signer.node.deps.services.keyPairs;
  const request = new Request(`${target.origin}/inbox`, {
    method: "POST",
    headers: { "content-type": "application/activity+json" },
    body: JSON.stringify({ "@context": FEP0837_CONTEXT, ...activity }),
  });
  const res = await fetch(await signRequest(request, rsa!.privateKey, new URL(`${signer.actorUrl}#main-key`)));
  return res.status;
}

async function signedGet(signer: TestNode | null, url: string): Promise<Response> {
  const request = new Request(url, { headers: { accept: "application/activity+json" } });
  if (!signer) return await fetch(request);
  const [rsa] = signer.node.deps.services.keyPairs;
  return await fetch(await signRequest(request, rsa!.privateKey, new URL(`${signer.actorUrl}#main-key`)));
}

describe("listings between co-ops", () => {
  let seller: TestNode;
  let follower: TestNode;
  let outsider: TestNode;
  beforeAll(async () => {
    [seller, follower, outsider] = (await startNetwork(3)) as [TestNode, TestNode, TestNode];
  });

  it("backfills listings that existed before the follow, followers-only ones included", async () => {
    const early = await seller.api("POST", "/listings", { ...jersey, title: "Early public" });
    expect(early.status).toBe(201);
    await seller.api("POST", "/listings", { ...jersey, title: "Early for followers", visibility: "followers" });
    await follow(follower, seller);
    await eventually(async () => {
      const titles = await timelineTitles(follower);
      return titles.includes("Early public") && titles.includes("Early for followers");
    });
  });

  it("delivers a new listing to followers, readable with its terms", async () => {
    const created = await seller.api("POST", "/listings", jersey);
    expect(created.status).toBe(201);
    const received = await eventually(async () => {
      const items = (await follower.api("GET", "/timeline")).body.items;
      return items.find((l: any) => l.iri === created.body.iri);
    });
    expect(received).toMatchObject({
      kind: "offer",
      category: "textile/fabric/knit",
      quantity: { amount: "500", unit: "MTR" },
      minimumOrder: { amount: "50", unit: "MTR" },
      price: { amount: "7.40", currency: "USD", per: "MTR" },
      region: "US-NC",
      location: { lat: 35.745, lon: -81.685 },
      visibility: "public",
      author: seller.actorUrl,
      local: false,
    });
    expect(received.descriptionHtml).toContain("<strong>organic</strong>");
  });

  it("never shows a followers-only listing to a co-op that does not follow", async () => {
    const secret = await seller.api("POST", "/listings", {
      ...jersey,
      title: "Followers only",
      visibility: "followers",
    });
    await eventually(async () => (await timelineTitles(follower)).includes("Followers only"));
    expect(await timelineTitles(outsider)).not.toContain("Followers only");
    expect((await signedGet(null, secret.body.iri)).status).not.toBe(200);
    expect((await signedGet(outsider, secret.body.iri)).status).not.toBe(200);
    const allowed = await signedGet(follower, secret.body.iri);
    expect(allowed.status).toBe(200);
    expect((await allowed.json()).name).toBe("Followers only");
    // Nor through the collections an outsider can page through.
    const listingsPage = await (await signedGet(outsider, `${seller.actorUrl}/listings?cursor=`)).json();
    expect(JSON.stringify(listingsPage)).not.toContain("Followers only");
    const outboxPage = await (await signedGet(null, `${seller.actorUrl}/outbox?cursor=`)).json();
    expect(JSON.stringify(outboxPage)).not.toContain("Followers only");
  });

  it("propagates edits and deletions", async () => {
    const created = await seller.api("POST", "/listings", { ...jersey, title: "Will change" });
    await eventually(async () => (await timelineTitles(follower)).includes("Will change"));
    const edited = await seller.api("PATCH", `/listings/${created.body.id}`, {
      title: "Changed",
      price: { amount: "6.90", currency: "USD", per: "MTR" },
    });
    expect(edited.status).toBe(200);
    const updated = await eventually(async () => {
      const items = (await follower.api("GET", "/timeline")).body.items;
      return items.find((l: any) => l.iri === created.body.iri && l.title === "Changed");
    });
    expect(updated.price.amount).toBe("6.90");
    expect((await seller.api("DELETE", `/listings/${created.body.id}`)).status).toBe(204);
    await eventually(async () => !(await timelineTitles(follower)).includes("Changed"));
  });

  it("ignores an Update of a listing forged by a third co-op", async () => {
    const created = await seller.api("POST", "/listings", { ...jersey, title: "Genuine" });
    await eventually(async () => (await timelineTitles(follower)).includes("Genuine"));
    const forged = {
      id: `${outsider.origin}/activities/forged`,
      type: "Update",
      actor: outsider.actorUrl,
      object: {
        id: created.body.iri,
        type: "Proposal",
        attributedTo: outsider.actorUrl,
        name: "Hijacked",
        purpose: "offer",
        updated: "2099-01-01T00:00:00Z",
        to: "https://www.w3.org/ns/activitystreams#Public",
      },
      to: follower.actorUrl,
    };
    expect(await deliverSigned(outsider, follower, forged)).toBe(202);
    await settled(seller, follower, outsider);
    expect(await timelineTitles(follower)).toContain("Genuine");
    expect(await timelineTitles(follower)).not.toContain("Hijacked");
  });

  it("keeps the newest version when deliveries repeat or arrive out of order", async () => {
    const iri = `${seller.origin}/listings/00000000-0000-4000-8000-00000000000a`;
    const version = (title: string, updated: string) => ({
      id: iri,
      type: "Proposal",
      attributedTo: seller.actorUrl,
      name: title,
      content: "<p>Twill</p>",
      purpose: "offer",
      publishes: {
        type: "Intent",
        action: "transfer",
        resourceConformsTo: `${seller.origin}/categories/textile/fabric/woven`,
        availableQuantity: { type: "om2:Measure", hasUnit: "MTR", hasNumericalValue: "100" },
      },
      published: "2026-11-01T00:00:00Z",
      updated,
      to: "https://www.w3.org/ns/activitystreams#Public",
    });
    const activity = (type: string, title: string, updated: string) => ({
      id: `${iri}#${type}-${updated}`,
      type,
      actor: seller.actorUrl,
      object: version(title, updated),
      to: "https://www.w3.org/ns/activitystreams#Public",
    });
    expect(await deliverSigned(seller, follower, activity("Update", "Twill v3", "2026-11-03T00:00:00Z"))).toBe(202);
    expect(await deliverSigned(seller, follower, activity("Create", "Twill v1", "2026-11-01T00:00:00Z"))).toBe(202);
    expect(await deliverSigned(seller, follower, activity("Update", "Twill v2", "2026-11-02T00:00:00Z"))).toBe(202);
    expect(await deliverSigned(seller, follower, activity("Update", "Twill v3", "2026-11-03T00:00:00Z"))).toBe(202);
    // The queue handles the four at once; whichever order they land in, v3 stays.
    const twillsNow = async () => (await timelineTitles(follower)).filter((t) => t.startsWith("Twill"));
    await eventually(async () => (await twillsNow()).includes("Twill v3"));
    await settled(seller, follower, outsider);
    expect(await twillsNow()).toEqual(["Twill v3"]);
    // A Delete is final: an older Update arriving after it does not bring the listing back.
    const del = { id: `${iri}#delete`, type: "Delete", actor: seller.actorUrl, object: iri, to: follower.actorUrl };
    expect(await deliverSigned(seller, follower, del)).toBe(202);
    await eventually(async () => !(await timelineTitles(follower)).includes("Twill v3"));
    expect(await deliverSigned(seller, follower, activity("Update", "Twill v4", "2026-11-04T00:00:00Z"))).toBe(202);
    await settled(seller, follower, outsider);
    expect((await timelineTitles(follower)).filter((t) => t.startsWith("Twill"))).toEqual([]);
  });

  it("strips malicious HTML, whether typed by staff or sent by a node", async () => {
    const created = await seller.api("POST", "/listings", {
      ...jersey,
      title: "Sanitised",
      description: 'Hello <script>alert(1)</script><img src=x onerror="alert(2)"> [link](javascript:alert(3))',
    });
    expect(created.body.descriptionHtml).not.toMatch(/script|onerror|javascript:/);
    const received = await eventually(async () =>
      (await follower.api("GET", "/timeline")).body.items.find((l: any) => l.title === "Sanitised"),
    );
    expect(received.descriptionHtml).not.toMatch(/script|onerror|javascript:/);
    const hostile = {
      id: `${seller.origin}/listings/00000000-0000-4000-8000-00000000000b#create`,
      type: "Create",
      actor: seller.actorUrl,
      object: {
        id: `${seller.origin}/listings/00000000-0000-4000-8000-00000000000b`,
        type: "Proposal",
        attributedTo: seller.actorUrl,
        name: "Hostile <b>name</b>",
        content:
          '<p onclick="steal()">Hi</p><iframe src="https://evil.example"></iframe><a href="javascript:x()">x</a>',
        purpose: "offer",
        to: "https://www.w3.org/ns/activitystreams#Public",
      },
      to: "https://www.w3.org/ns/activitystreams#Public",
    };
    expect(await deliverSigned(seller, follower, hostile)).toBe(202);
    const stored = await eventually(async () =>
      (await follower.api("GET", "/timeline")).body.items.find((l: any) => l.title === "Hostile name"),
    );
    expect(stored.descriptionHtml).toBe('<p>Hi</p><a rel="nofollow noopener noreferrer" target="_blank">x</a>');
  });

  it("rejects an invalid listing from a node and stores nothing", async () => {
    const bad = {
      id: `${seller.origin}/listings/00000000-0000-4000-8000-00000000000c#create`,
      type: "Create",
      actor: seller.actorUrl,
      object: {
        id: `${seller.origin}/listings/00000000-0000-4000-8000-00000000000c`,
        type: "Proposal",
        attributedTo: seller.actorUrl,
        name: "Bad units",
        purpose: "offer",
        publishes: {
          type: "Intent",
          action: "transfer",
          availableQuantity: { type: "om2:Measure", hasUnit: "BANANAS", hasNumericalValue: "5" },
        },
        to: "https://www.w3.org/ns/activitystreams#Public",
      },
      to: "https://www.w3.org/ns/activitystreams#Public",
    };
    expect(await deliverSigned(seller, follower, bad)).toBe(202);
    await settled(seller, follower, outsider);
    expect(await timelineTitles(follower)).not.toContain("Bad units");
  });
});
