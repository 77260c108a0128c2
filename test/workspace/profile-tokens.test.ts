// Settings › Profile and › API tokens in a real browser: an owner edits the
// profile (the public page and a follower see the new name), a bad website
// keeps what was typed with the message by the field; an owner creates a
// token, shown once, that the API accepts, sees it listed with its last use
// and revokes it; a member reads but cannot act.
import { describe, expect, it } from "vitest";
import { browserAvailable, checkPage, pageProblems, useBrowser } from "../support/browser.ts";
import { eventually, startNode, type TestNode } from "../support/network.ts";
import { follows } from "../support/orders.ts";
import { csrfToken, personWithRole, postForm } from "./support.ts";

async function publicName(node: TestNode): Promise<string | undefined> {
  return /<h1>([^<]*)<\/h1>/.exec(await (await node.get("/")).text())?.[1];
}

describe.runIf(browserAvailable)("profile and API tokens in the workspace", { timeout: 240_000 }, () => {
  const { browser } = useBrowser();

  it("lets an owner edit the profile; the public page and followers get it, a bad website is refused by its field", async () => {
    const node = await startNode();
    const follower = await startNode();
    await follows(follower, node);
    const owner = await personWithRole(browser(), node, "owner");
    const { page } = owner;
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Profile" }).click();
    await page.waitForURL(/\/app\/settings\/profile$/);
    await expect(
      page.getByRole("navigation", { name: "Settings" }).getByRole("link").allTextContents(),
    ).resolves.toEqual(["Profile", "People", "Sessions", "API tokens", "Servers"]);
    expect(pageProblems(await checkPage(page, "settings-profile"))).toEqual([]);

    const before = await publicName(node);
    await page.getByLabel("Name").fill("Blue Ridge Knitters");
    await page.getByLabel("About the co-op").fill("Circular knitting, 40 members.");
    await page.getByLabel("Region").fill("us-nc");
    await page.getByLabel("Website").fill("not a web address");
    await page.getByRole("button", { name: "Save the profile" }).click();
    await expect(page.locator("#f-website-error").textContent()).resolves.toBe("must be an http(s) URL");
    await expect(page.getByRole("alert").textContent()).resolves.toContain("The profile was not saved");
    await expect(page.getByLabel("Name").inputValue()).resolves.toBe("Blue Ridge Knitters");
    await expect(page.getByLabel("Website").inputValue()).resolves.toBe("not a web address");
    await expect(page.getByLabel("About the co-op").inputValue()).resolves.toBe("Circular knitting, 40 members.");
    expect(pageProblems(await checkPage(page, "settings-profile-error"))).toEqual([]);
    expect(await publicName(node)).toBe(before);

    await page.getByLabel("Website").fill("https://knitters.example");
    await page.getByLabel("Let other co-ops find us").uncheck();
    await page.getByRole("button", { name: "Save the profile" }).click();
    await page.waitForURL(/\/app\/settings\/profile$/);
    await expect(page.getByRole("status").textContent()).resolves.toContain("The profile is saved.");
    await expect(page.getByLabel("Region").inputValue()).resolves.toBe("US-NC");
    await expect(page.getByLabel("Let other co-ops find us").isChecked()).resolves.toBe(false);
    expect(await publicName(node)).toBe("Blue Ridge Knitters");
    expect((await node.api("GET", "/node")).body).toMatchObject({
      name: "Blue Ridge Knitters",
      summary: "Circular knitting, 40 members.",
      region: "US-NC",
      website: "https://knitters.example",
      discoverable: false,
    });
    // The use case sent an Update to the follower.
    await eventually(async () => {
      const items = (await follower.api("GET", "/following")).body.items;
      return items[0]?.actor.name === "Blue Ridge Knitters";
    });
    await owner.close();
  });

  it("lets an owner create a token, shown once, that the API accepts for its scope", async () => {
    const node = await startNode();
    const owner = await personWithRole(browser(), node, "owner");
    const { page } = owner;
    await page.goto(`${node.origin}/app/settings/tokens`);
    await expect(page.getByText("A token stays valid until it expires", { exact: false }).count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "settings-tokens"))).toEqual([]);

    await page.getByLabel("What it may do").selectOption("write");
    await page.getByRole("button", { name: "Create the token" }).click();
    await expect(page.locator("#f-name-error").textContent()).resolves.toBe(
      "Give the token a name, such as inventory-sync.",
    );
    await expect(page.getByLabel("What it may do").inputValue()).resolves.toBe("write");
    expect(pageProblems(await checkPage(page, "settings-tokens-error"))).toEqual([]);

    await page.getByLabel("Name").fill("inventory-sync");
    await page.getByLabel("What it may do").selectOption("read");
    await page.getByLabel("Valid for").selectOption("7");
    await page.getByRole("button", { name: "Create the token" }).click();
    await page.waitForURL(/\/app\/settings\/tokens$/);
    const expires = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
    await expect(page.getByRole("status").textContent()).resolves.toContain(
      `Token "inventory-sync" created with the read scope, valid until ${expires}.`,
    );
    const token = (await page.locator(".secret").textContent()) ?? "";
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(pageProblems(await checkPage(page, "settings-tokens-created"))).toEqual([]);
    await page.reload();
    await expect(page.locator(".secret").count()).resolves.toBe(0);

    const read = await fetch(`${node.origin}/api/v1/node`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    expect((await read.json()).handle).toBe(node.handle);
    const write = await fetch(`${node.origin}/api/v1/node`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Not allowed" }),
    });
    expect(write.status).toBe(403);

    // Listed with its use, then revoked: the API refuses it from then on.
    await page.reload();
    const row = page.getByRole("row").filter({ hasText: "inventory-sync" });
    await expect(row.getByRole("cell").allTextContents()).resolves.toEqual([
      "inventory-sync",
      "Read",
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
      expires,
      "Active",
      "Revoke the token inventory-sync",
    ]);
    expect(pageProblems(await checkPage(page, "settings-tokens-list"))).toEqual([]);
    await row.getByRole("button", { name: "Revoke" }).click();
    await page.waitForURL(/\/app\/settings\/tokens$/);
    await expect(page.getByRole("status").textContent()).resolves.toContain(
      'Token "inventory-sync" was revoked; the node refuses it from now on.',
    );
    await expect(row.getByRole("cell").nth(5).textContent()).resolves.toBe("Revoked");
    await expect(row.getByRole("button", { name: "Revoke" }).count()).resolves.toBe(0);
    const after = await fetch(`${node.origin}/api/v1/node`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    await owner.close();
  });

  it("shows a member the profile and tokens without forms, and refuses forged posts", async () => {
    const node = await startNode();
    const member = await personWithRole(browser(), node, "member");
    const { page } = member;
    await page.goto(`${node.origin}/app/settings/profile`);
    await expect(page.getByText("Only an owner can change the profile.").count()).resolves.toBe(1);
    await expect(page.getByRole("button", { name: "Save the profile" }).count()).resolves.toBe(0);
    expect(pageProblems(await checkPage(page, "settings-profile-member"))).toEqual([]);
    const before = await publicName(node);
    const status = await postForm(page, "/app/settings/profile", { _csrf: await csrfToken(page), name: "Taken over" });
    expect(status).toBe(403);
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "Only an owner of this workspace can do this",
    );
    expect(await publicName(node)).toBe(before);

    await page.goto(`${node.origin}/app/settings/tokens`);
    await expect(page.getByText("Only an owner can see, create and revoke API tokens.").count()).resolves.toBe(1);
    await expect(page.getByRole("table").count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: "Create the token" }).count()).resolves.toBe(0);
    expect(pageProblems(await checkPage(page, "settings-tokens-member"))).toEqual([]);
    const forged = await postForm(page, "/app/settings/tokens", {
      _csrf: await csrfToken(page),
      name: "mine",
      scope: "admin",
      days: "365",
    });
    expect(forged).toBe(403);
    await page.getByRole("heading", { name: "Not done" }).waitFor();
    await expect(page.locator(".secret").count()).resolves.toBe(0);
    // Nor may a member revoke an owner's token.
    const made = await node.api("POST", "/tokens", { name: "owners-script", scopes: ["read"] });
    await page.goto(`${node.origin}/app/settings/tokens`);
    const revoke = await postForm(page, `/app/settings/tokens/${made.body.id}/revoke`, {
      _csrf: await csrfToken(page),
    });
    expect(revoke).toBe(403);
    expect((await node.api("GET", "/node", undefined, { token: made.body.token })).status).toBe(200);
    await member.close();
  });
});
