// Settings › Servers and the hub's members in a real browser, across real
// nodes: an owner blocks a partner's server through the page and its listing
// leaves Find capacity, then unblocks it after a confirmation page; a bad
// server name is shown by its field with what was typed kept; a member reads
// without forms and a forged post is refused; on a node running a hub by
// approval an owner approves a co-op waiting to join. Every page through axe
// at both widths.
import { describe, expect, it } from "vitest";
import { browserAvailable, checkPage, pageProblems, useBrowser } from "../support/browser.ts";
import { eventually, startNetwork, startNode, type TestNode } from "../support/network.ts";
import { follows } from "../support/orders.ts";
import { csrfToken, personWithRole, postForm } from "./support.ts";

const capacity = {
  kind: "capacity",
  title: "Knitting capacity, spring",
  category: "apparel/cut-and-sew",
  rate: { amount: "2000", unit: "H87", per: "P1W" },
  region: "US-NC",
};

const hostOf = (node: TestNode) => new URL(node.origin).host;

describe.runIf(browserAvailable)("servers and hub members in the workspace", { timeout: 240_000 }, () => {
  const { browser } = useBrowser();

  it("blocks a server through the page (its listing leaves Find capacity), keeps a bad name by its field, and unblocks after confirming", async () => {
    const [us, them] = (await startNetwork(2)) as [TestNode, TestNode];
    await follows(us, them);
    expect((await them.api("POST", "/listings", capacity)).status).toBe(201);
    const owner = await personWithRole(browser(), us, "owner");
    const { page } = owner;

    await page.goto(`${us.origin}/app/search?q=knitting`);
    await eventually(async () => {
      if ((await page.locator(".result").count()) > 0) return true;
      await page.reload();
      return false;
    }, 30_000);

    await page.goto(`${us.origin}/app/settings`);
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Servers" }).click();
    await page.waitForURL(/\/app\/settings\/servers$/);
    await expect(page.getByText("Open: any server may follow and trade with us").count()).resolves.toBe(1);
    await expect(page.getByText("No server is blocked.").count()).resolves.toBe(1);
    // On an open node the allow list is not read: its form is folded away.
    await expect(page.getByLabel("Server to allow").isVisible()).resolves.toBe(false);
    expect(pageProblems(await checkPage(page, "servers-empty"))).toEqual([]);

    // A bad name: the message by the field, what was typed kept, nothing stored.
    const server = page.getByLabel("Server to block");
    await server.fill("not a server!");
    await page.locator("#block-note").fill("spam since March");
    await page.getByRole("button", { name: "Block the server" }).click();
    await expect(page.locator("#block-domain-error").textContent()).resolves.toBe(
      "write a server's name, such as coop.example or coop.example:8443",
    );
    await expect(server.inputValue()).resolves.toBe("not a server!");
    await expect(page.locator("#block-note").inputValue()).resolves.toBe("spam since March");
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Not a server name: not a server!");
    expect(pageProblems(await checkPage(page, "servers-block-error"))).toEqual([]);
    expect((await us.api("GET", "/domains")).body.items).toEqual([]);

    // Our own address is refused the same way.
    await server.fill(us.origin);
    await page.getByRole("button", { name: "Block the server" }).click();
    await expect(page.locator("#block-domain-error").textContent()).resolves.toBe("this is this node's own address");

    // A handle names the server: the block is stored as host:port.
    await server.fill(them.account);
    await page.locator("#block-note").fill("Sends spam");
    await page.getByRole("button", { name: "Block the server" }).click();
    await page.waitForURL(/\/app\/settings\/servers$/);
    await expect(page.getByRole("status").first().textContent()).resolves.toContain(`${hostOf(them)} is blocked`);
    await expect(page.getByRole("cell", { name: hostOf(them), exact: true }).count()).resolves.toBe(1);
    await expect(page.getByRole("cell", { name: "Sends spam" }).count()).resolves.toBe(1);
    expect((await us.api("GET", "/domains")).body.items).toMatchObject([
      { domain: hostOf(them), kind: "block", note: "Sends spam" },
    ]);
    expect(pageProblems(await checkPage(page, "servers-blocked"))).toEqual([]);

    await page.goto(`${us.origin}/app/search?q=knitting`);
    await expect(page.locator(".result").count()).resolves.toBe(0);
    await expect(page.getByText("Knitting capacity, spring").count()).resolves.toBe(0);

    // Unblocking asks first; "Keep it blocked" changes nothing.
    await page.goto(`${us.origin}/app/settings/servers`);
    await page.getByRole("link", { name: `Unblock ${hostOf(them)}` }).click();
    await page.waitForURL(/\/app\/settings\/servers\/remove\?/);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(`Unblock ${hostOf(them)}?`);
    expect(pageProblems(await checkPage(page, "servers-unblock"))).toEqual([]);
    await page.getByRole("link", { name: "Keep it blocked" }).click();
    await page.waitForURL(/\/app\/settings\/servers$/);
    expect((await us.api("GET", "/domains")).body.items).toHaveLength(1);

    await page.getByRole("link", { name: `Unblock ${hostOf(them)}` }).click();
    await page.getByRole("button", { name: "Unblock the server" }).click();
    await page.waitForURL(/\/app\/settings\/servers$/);
    await expect(page.getByRole("status").first().textContent()).resolves.toContain("is no longer blocked");
    expect((await us.api("GET", "/domains")).body.items).toEqual([]);
    await page.goto(`${us.origin}/app/search?q=knitting`);
    await expect(page.locator(".result").filter({ hasText: "Knitting capacity, spring" }).count()).resolves.toBe(1);
    await owner.close();
  });

  it("shows a closed network's allowed servers; a member reads them without forms and a forged post is refused", async () => {
    const us = await startNode({ env: { WEFT_FEDERATION: "allowlist" } });
    expect(
      (await us.api("POST", "/domains", { domain: "partner.example", kind: "allow", note: "Our dyers" })).status,
    ).toBe(201);

    const owner = await personWithRole(browser(), us, "owner");
    await owner.page.goto(`${us.origin}/app/settings/servers`);
    await expect(
      owner.page.getByText("Closed network: only the servers listed below under “Allowed servers”.").count(),
    ).resolves.toBe(1);
    await owner.page.getByLabel("Server to allow").fill("https://weave.example/coops/weave");
    await owner.page.getByRole("button", { name: "Allow the server" }).click();
    await owner.page.waitForURL(/\/app\/settings\/servers$/);
    await expect(owner.page.getByRole("status").first().textContent()).resolves.toBe(
      "weave.example is on the allowed list.",
    );
    expect(pageProblems(await checkPage(owner.page, "servers-allowlist"))).toEqual([]);
    await owner.close();

    const member = await personWithRole(browser(), us, "member");
    const { page } = member;
    await page.goto(`${us.origin}/app/settings/servers`);
    await expect(page.getByRole("cell", { name: "partner.example", exact: true }).count()).resolves.toBe(1);
    await expect(page.getByRole("cell", { name: "Our dyers" }).count()).resolves.toBe(1);
    await expect(page.getByText("Only an owner can block or allow a server.").count()).resolves.toBe(1);
    await expect(page.getByRole("button", { name: "Block the server" }).count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: /^Remove/ }).count()).resolves.toBe(0);
    expect(pageProblems(await checkPage(page, "servers-member"))).toEqual([]);

    const csrf = await csrfToken(page);
    const status = await postForm(page, "/app/settings/servers/block", { _csrf: csrf, domain: "spam.example" });
    expect(status).toBe(403);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Only an owner of this workspace");
    const removal = await postForm(page, "/app/settings/servers/remove", {
      _csrf: csrf,
      kind: "allow",
      domain: "partner.example",
    });
    expect(removal).toBe(403);
    expect((await us.api("GET", "/domains")).body.items.map((r: any) => r.domain).sort()).toEqual([
      "partner.example",
      "weave.example",
    ]);
    await member.close();
  });

  it("lets an owner of a hub by approval approve a co-op waiting to join; a member sees no buttons", async () => {
    const hub = await startNode({ env: { WEFT_RELAY: "on", WEFT_RELAY_ADMISSION: "approval" } });
    const joiner = await startNode();
    expect((await joiner.api("POST", "/relays", { handle: `relay@${hostOf(hub)}` })).status).toBe(202);
    await eventually(async () => (await hub.api("GET", "/relay/members")).body.items.length === 1);

    const member = await personWithRole(browser(), hub, "member");
    await member.page.goto(`${hub.origin}/app/hubs`);
    await expect(member.page.getByText("Waiting for your answer", { exact: true }).count()).resolves.toBe(1);
    await expect(member.page.getByRole("button", { name: /^Approve/ }).count()).resolves.toBe(0);
    const forged = await postForm(member.page, "/app/hubs/members/approve", {
      _csrf: await csrfToken(member.page),
      actor: joiner.actorUrl,
    });
    expect(forged).toBe(403);
    expect((await hub.api("GET", "/relay/members")).body.items[0].state).toBe("pending");
    await member.close();

    const owner = await personWithRole(browser(), hub, "owner");
    const { page } = owner;
    await page.goto(`${hub.origin}/app/hubs`);
    await expect(page.getByRole("heading", { name: "Our hub" }).count()).resolves.toBe(1);
    await expect(page.getByText("By approval: a co-op that asks waits here").count()).resolves.toBe(1);
    await expect(page.getByText("One co-op is waiting for your answer.").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "hubs-our-hub-waiting"))).toEqual([]);

    const name = `coop@${hostOf(joiner)}`;
    await page.getByRole("button", { name: `Approve ${name}` }).click();
    await page.waitForURL(/\/app\/hubs$/);
    await expect(page.getByRole("status").first().textContent()).resolves.toContain(`${name} is now a member`);
    await expect(page.getByRole("cell", { name: "Member", exact: true }).count()).resolves.toBe(1);
    await expect(page.getByRole("button", { name: `Remove ${name} from the hub` }).count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "hubs-our-hub-member"))).toEqual([]);
    await eventually(async () => (await joiner.api("GET", "/relays")).body.items[0]?.state === "accepted");
    await owner.close();
  });
});
