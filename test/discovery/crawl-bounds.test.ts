// Crawls stay within their bounds, and bad crawl requests are refused.
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, startNode, type TestNode } from "../support/network.ts";
import { follows } from "../support/orders.ts";

async function finished(node: TestNode, id: string): Promise<any> {
  return await eventually(async () => {
    const res = await node.api("GET", `/crawls/${id}`);
    expect(res.status).toBe(200);
    return res.body.state === "done" ? res.body : null;
  });
}

describe("crawl bounds", () => {
  let knit: TestNode;
  let partner: TestNode;
  const others: TestNode[] = [];

  beforeAll(async () => {
    knit = await startNode();
    partner = await startNode();
    for (let i = 0; i < 4; i++) others.push(await startNode());
    await follows(knit, partner);
    for (const other of others) await follows(other, partner);
    for (const [i, other] of others.entries()) {
      const res = await other.api("POST", "/listings", {
        kind: "offer",
        title: `Follower ${i} yarn`,
        category: "textile/yarn",
        quantity: { amount: "100", unit: "KGM" },
      });
      expect(res.status).toBe(201);
    }
  });

  it("discovers no more co-ops than maxActors", async () => {
    const res = await knit.api("POST", "/crawls", { depth: 2, maxActors: 2, ratePerSecond: 50 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ state: "running", depth: 2, maxActors: 2, discovered: 0, finishedAt: null });
    const job = await finished(knit, res.body.id);
    expect(job.discovered).toBe(2);
    expect(job.listings).toBe(2);
    const crawled = (await knit.api("GET", "/coops")).body.items.filter((c: any) => c.knownVia === "crawl");
    expect(crawled).toHaveLength(2);
    const found = (await knit.api("GET", "/search?q=yarn")).body.items;
    expect(found).toHaveLength(2);
    expect(found.every((l: any) => l.from.via === "crawl")).toBe(true);
  });

  it("discovers all of them with room to spare", async () => {
    const res = await knit.api("POST", "/crawls", { depth: 1, ratePerSecond: 50 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ depth: 1, maxActors: 500 });
    const job = await finished(knit, res.body.id);
    expect(job.discovered).toBe(4);
    expect(job.visited).toBe(1);
    expect(job.skipped).toBe(0);
    const crawled = (await knit.api("GET", "/coops")).body.items.filter((c: any) => c.knownVia === "crawl");
    expect(crawled.map((c: any) => c.actor).sort()).toEqual(others.map((o) => o.actorUrl).sort());
    expect((await knit.api("GET", "/search?q=yarn")).body.items).toHaveLength(4);
    // Newest first.
    expect((await knit.api("GET", "/crawls")).body.items[0].id).toBe(job.id);
  });

  it("refuses bad crawl requests, naming the field", async () => {
    for (const [body, field] of [
      [{ depth: 0 }, "depth"],
      [{ depth: 9 }, "depth"],
      [{ depth: 1.5 }, "depth"],
      [{ depth: "2" }, "depth"],
      [{ maxActors: 0 }, "maxActors"],
      [{ maxActors: 5001 }, "maxActors"],
      [{ ratePerSecond: 0 }, "ratePerSecond"],
      [{ ratePerSecond: 51 }, "ratePerSecond"],
    ] as const) {
      const res = await knit.api("POST", "/crawls", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(
        res.body.errors.map((e: any) => e.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    const unknown = await knit.api("POST", "/crawls", { depth: 1, colour: "blue" });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.errors)).toContain("colour");
    expect((await knit.api("POST", "/crawls", [1])).status).toBe(400);
    // None of them started a crawl.
    expect((await knit.api("GET", "/crawls")).body.items).toHaveLength(2);
  });

  it("answers 404 for an unknown crawl and 400 for a malformed id", async () => {
    const res = await knit.api("GET", "/crawls/00000000-0000-4000-8000-000000000000");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await knit.api("GET", "/crawls/not-a-uuid")).status).toBe(400);
  });
});
