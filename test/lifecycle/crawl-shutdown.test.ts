// A crawl runs in the background of its node; closing the node stops it at
// its next step and waits for it, instead of leaving it running into a
// closed database.
import { describe, expect, it } from "vitest";
import { getCrawl, startCrawl } from "../../src/actions/crawls.ts";
import { BackgroundTasks } from "../../src/background.ts";
import { eventually, startNode } from "../support/network.ts";
import { follows } from "../support/orders.ts";

describe("crawls and closing the node", () => {
  it("stops a running crawl and waits for it", async () => {
    const knit = await startNode();
    const partner = await startNode();
    await follows(knit, partner);
    const actions = knit.node.actions;
    // One fetch every 10 s: after the first, the crawl waits far longer than closing may take.
    const job = await startCrawl(actions, { depth: 2, maxActors: 10, ratePerSecond: 0.1 });
    await eventually(async () => (await getCrawl(actions, job.id)).visited >= 1);
    expect(actions.services.background.size).toBe(1);

    const started = performance.now();
    await knit.node.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(actions.services.background.size).toBe(0);
  });
});

describe("BackgroundTasks", () => {
  it("aborts its tasks on close, waits for them, and starts no new ones", async () => {
    const tasks = new BackgroundTasks();
    const ended: string[] = [];
    tasks.run("waits", async (signal) => {
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      await Promise.resolve();
      ended.push("waits");
    });
    tasks.run("fails", async () => {
      throw new Error("boom");
    });
    await eventually(() => tasks.size === 1);
    await tasks.close();
    expect(ended).toEqual(["waits"]);
    expect(tasks.size).toBe(0);
    expect(() => tasks.run("late", async () => {})).toThrow(/closing/);
  });
});
