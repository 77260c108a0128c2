import { beforeAll, describe, expect, it } from "vitest";
import { startNode, type TestNode } from "../support/network.ts";

describe("feeds and pages", () => {
  let node: TestNode;
  let publicId: string;
  beforeAll(async () => {
    node = await startNode();
    const base = { kind: "offer", category: "textile/yarn", quantity: { amount: "40", unit: "KGM" } };
    publicId = (await node.api("POST", "/listings", { ...base, title: "Merino yarn & more" })).body.id;
    await node.api("POST", "/listings", { ...base, title: "Members-only yarn", visibility: "followers" });
  });

  it("serves an Atom feed of the public listings only", async () => {
    const res = await node.get("/coops/coop/listings.atom");
    expect(res.headers.get("content-type")).toMatch(/application\/atom\+xml/);
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    expect(xml).toContain("<title>Merino yarn &amp; more</title>");
    expect(xml).toContain("40 kilogram (KGM) available");
    expect(xml).not.toContain("Members-only");
    expect(xml.match(/<entry>/g)).toHaveLength(1);
  });

  it("lists public listing activities in the outbox, not followers-only ones", async () => {
    const res = await node.get("/coops/coop/outbox?cursor=", { accept: "application/activity+json" });
    const page = await res.json();
    const created = page.orderedItems.filter((a: any) => a.type === "Create");
    expect(created.map((a: any) => a.object.name)).toEqual(["Merino yarn & more"]);
    // Fedify compacts collection pages with the ActivityStreams context only,
    // so FEP-0837 terms may appear as full IRIs there (still the same JSON-LD).
    expect(["Proposal", "https://w3id.org/valueflows/ont/vf#Proposal"]).toContain(created[0].object.type);
    expect(JSON.stringify(page)).not.toContain("Members-only");
  });

  it("serves a public listing as a Note for Mastodon, with title, terms and hashtag", async () => {
    const res = await node.get(`/listings/${publicId}/note`, { accept: "application/activity+json" });
    expect(res.status).toBe(200);
    const note = await res.json();
    expect(note.type).toBe("Note");
    expect(note.content).toContain("<strong>Merino yarn &amp; more</strong>");
    expect(note.content).toContain("40 kilogram (KGM) available");
    expect(note.tag).toMatchObject({ type: "Hashtag", name: "#textile_yarn" });
    expect(note.to).toBe("as:Public");
    const mine = (await node.api("GET", "/listings")).body.items.find((l: any) => l.title === "Members-only yarn");
    expect((await node.get(`/listings/${mine.id}/note`, { accept: "application/activity+json" })).status).toBe(404);
  });

  it("shows a public listing to browsers and hides the others", async () => {
    const page = await node.get(`/listings/${publicId}`, { accept: "text/html" });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Merino yarn &amp; more");
    const mine = (await node.api("GET", "/listings")).body.items.find((l: any) => l.title === "Members-only yarn");
    expect((await node.get(`/listings/${mine.id}`, { accept: "text/html" })).status).toBe(404);
  });

  it("serves categories as SKOS concepts with their parent", async () => {
    const res = await node.get("/categories/textile/yarn", { accept: "application/ld+json" });
    const concept = await res.json();
    expect(concept).toMatchObject({
      id: `${node.origin}/categories/textile/yarn`,
      type: "skos:Concept",
      "skos:broader": { id: `${node.origin}/categories/textile` },
    });
    expect((await node.get("/categories/Not%20A%20Category")).status).toBe(404);
  });
});
