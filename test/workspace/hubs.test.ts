// Hubs & crawls in a real browser: an owner joins a hub (a second node
// running a relay) and sees it accepted, leaves it after a confirmation
// page; starts a crawl and watches its page refresh itself until it ends;
// bad input is shown by its field; a member reads but cannot act.
import { describe, expect, it } from "vitest";
import { browserAvailable, checkPage, pageProblems, useBrowser } from "../support/browser.ts";
import { eventually, startNode } from "../support/network.ts";
import { follows } from "../support/orders.ts";
import { csrfToken, personWithRole, postForm } from "./support.ts";

describe.runIf(browserAvailable)("hubs and crawls in the workspace", { timeout: 240_000 }, () => {
  const { browser } = useBrowser();

  it("lets an owner join a hub, see it accepted, and leave it after confirming", async () => {
    const hub = await startNode({ env: { WEFT_RELAY: "on" } });
    const node = await startNode();
    const hubHost = new URL(hub.origin).host;
    const owner = await personWithRole(browser(), node, "owner");
    const { page } = owner;
    await page.getByRole("link", { name: "Hubs & crawls" }).click();
    await page.waitForURL(/\/app\/hubs$/);
    await expect(page.getByText("This co-op has joined no hub yet.").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "hubs-empty"))).toEqual([]);

    // A handle that is not one is shown by the field, and kept.
    const field = page.getByLabel("The hub's handle or web address");
    await field.fill("not-a-handle");
    await page.getByRole("button", { name: "Ask to join" }).click();
    await expect(page.locator("#f-hub-error").textContent()).resolves.toBe(
      '"not-a-handle" is not a handle like coop@example.org',
    );
    await expect(field.inputValue()).resolves.toBe("not-a-handle");
    await expect(page.getByRole("alert").textContent()).resolves.toContain("No hub was joined.");
    expect(pageProblems(await checkPage(page, "hubs-join-error"))).toEqual([]);
    expect((await node.api("GET", "/relays")).body.items).toEqual([]);

    await field.fill(`relay@${hubHost}`);
    await page.getByRole("button", { name: "Ask to join" }).click();
    await page.waitForURL(/\/app\/hubs$/);
    await expect(page.getByRole("status").first().textContent()).resolves.toContain(`the hub at ${hubHost}`);
    // The hub accepts on its own; the page shows it after a reload.
    await eventually(async () => {
      await page.reload();
      return (await page.getByText("Joined: listings are shared through it").count()) === 1;
    }, 20_000);
    expect((await node.api("GET", "/relays")).body.items[0]).toMatchObject({ state: "accepted" });
    expect(pageProblems(await checkPage(page, "hubs-joined"))).toEqual([]);

    await page.getByRole("link", { name: `Leave the hub ${hubHost}` }).click();
    await page.waitForURL(/\/app\/hubs\/[0-9a-f-]+\/leave$/);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(`Leave the hub at ${hubHost}?`);
    expect(pageProblems(await checkPage(page, "hubs-leave"))).toEqual([]);
    // Staying changes nothing.
    await page.getByRole("link", { name: "Stay in it" }).click();
    await page.waitForURL(/\/app\/hubs$/);
    expect((await node.api("GET", "/relays")).body.items).toHaveLength(1);

    await page.getByRole("link", { name: `Leave the hub ${hubHost}` }).click();
    await page.getByRole("button", { name: "Leave the hub" }).click();
    await page.waitForURL(/\/app\/hubs$/);
    await expect(page.getByRole("status").first().textContent()).resolves.toContain(`left the hub at ${hubHost}`);
    expect((await node.api("GET", "/relays")).body.items).toEqual([]);
    await owner.close();
  });

  it("lets an owner start a crawl and watch it until it has finished; bad bounds are shown by their field", async () => {
    const node = await startNode();
    const partner = await startNode();
    const others = [await startNode(), await startNode()];
    await follows(node, partner);
    for (const [i, other] of others.entries()) {
      await follows(other, partner);
      const res = await other.api("POST", "/listings", {
        kind: "offer",
        title: `Crawled yarn ${i}`,
        category: "textile/yarn",
        quantity: { amount: "100", unit: "KGM" },
      });
      expect(res.status).toBe(201);
    }
    const owner = await personWithRole(browser(), node, "owner");
    const { page } = owner;
    await page.goto(`${node.origin}/app/hubs`);
    await expect(page.getByText("No crawl yet.").count()).resolves.toBe(1);

    await page.getByLabel("Stop after finding this many co-ops").fill("5001");
    await page.getByLabel("At most this many requests per second").fill("fast");
    await page.getByRole("button", { name: "Start the crawl" }).click();
    await expect(page.locator("#f-maxActors-error").textContent()).resolves.toBe("must be at most 5000");
    await expect(page.locator("#f-ratePerSecond-error").textContent()).resolves.toBe("must be a number");
    await expect(page.getByLabel("Stop after finding this many co-ops").inputValue()).resolves.toBe("5001");
    await expect(page.getByLabel("At most this many requests per second").inputValue()).resolves.toBe("fast");
    expect(pageProblems(await checkPage(page, "hubs-crawl-error"))).toEqual([]);
    expect((await node.api("GET", "/crawls")).body.items).toEqual([]);

    // Slow enough (one request every 2 s) that the page is seen running first.
    await page.getByLabel("How far").selectOption("1");
    await page.getByLabel("Stop after finding this many co-ops").fill("");
    await page.getByLabel("At most this many requests per second").fill("0.5");
    await page.getByRole("button", { name: "Start the crawl" }).click();
    await page.waitForURL(/\/app\/hubs\/crawls\/[0-9a-f-]+$/);
    await expect(page.locator('meta[http-equiv="refresh"]').getAttribute("content")).resolves.toBe("3");
    await expect(page.getByText("Running.").count()).resolves.toBe(1);
    await expect(page.locator("progress").getAttribute("max")).resolves.toBe("500");

    // The page reloads itself every 3 seconds; no click, no script.
    await page.getByText("Finished.").waitFor({ timeout: 60_000 });
    await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
    await expect(page.locator("dt:has-text('New co-ops found') + dd").textContent()).resolves.toBe("2");
    await expect(page.locator("progress").count()).resolves.toBe(0);
    const crawl = (await node.api("GET", "/crawls")).body.items[0];
    expect(crawl).toMatchObject({ state: "done", depth: 1, maxActors: 500, discovered: 2 });
    expect(pageProblems(await checkPage(page, "hubs-crawl-done"))).toEqual([]);

    await page.getByRole("link", { name: "← Hubs & crawls" }).click();
    await page.waitForURL(/\/app\/hubs$/);
    await expect(page.getByRole("cell", { name: "Finished" }).count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "hubs-with-crawl"))).toEqual([]);
    await owner.close();
  });

  it("shows a member the hubs and crawls without forms, and refuses a forged post", async () => {
    const node = await startNode();
    const member = await personWithRole(browser(), node, "member");
    const { page } = member;
    await page.goto(`${node.origin}/app/hubs`);
    await expect(page.getByText("Only an owner can join or leave a hub and start a crawl.").count()).resolves.toBe(1);
    await expect(page.getByRole("button", { name: "Ask to join" }).count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: "Start the crawl" }).count()).resolves.toBe(0);
    expect(pageProblems(await checkPage(page, "hubs-member"))).toEqual([]);

    const status = await postForm(page, "/app/hubs/crawls", { _csrf: await csrfToken(page), depth: "1" });
    expect(status).toBe(403);
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "Only an owner of this workspace can do this",
    );
    expect((await node.api("GET", "/crawls")).body.items).toEqual([]);
    await page.goto(`${node.origin}/app/hubs`);
    const join = await postForm(page, "/app/hubs/join", { _csrf: await csrfToken(page), hub: "relay@hub.example" });
    expect(join).toBe(403);
    await page.getByRole("heading", { name: "Not done" }).waitFor();
    expect((await node.api("GET", "/relays")).body.items).toEqual([]);

    for (const id of ["00000000-0000-4000-8000-000000000000", "not-an-id"]) {
      const missing = await page.goto(`${node.origin}/app/hubs/crawls/${id}`);
      expect(missing?.status()).toBe(404);
      await expect(page.getByRole("alert").textContent()).resolves.toBe("There is no such crawl on this node.");
    }
    expect(pageProblems(await checkPage(page, "hubs-crawl-missing"))).toEqual([]);
    await member.close();
  });
});
