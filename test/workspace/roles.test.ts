// Who may do what in the workspace, in a real browser: an owner invites and
// manages people; a member and a viewer see no management buttons, and a
// hand-made post from them is refused with a page saying why; a form without
// the CSRF token is refused; a session revoked in settings stops working.
import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, checkPage, newPerson, pageProblems, useBrowser } from "../support/browser.ts";
import { startNode, type TestNode } from "../support/network.ts";
import { csrfToken, personWithRole, postForm, signIn } from "./support.ts";

describe.runIf(browserAvailable)("roles, CSRF and sessions in the workspace", () => {
  const { browser } = useBrowser();
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode();
  });

  it("lets an owner invite a person from the workspace, showing the link once, and change a role", async () => {
    const owner = await personWithRole(browser(), node, "owner");
    const { page } = owner;
    await page.getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(/\/app\/settings\/people$/);

    // A refused invitation keeps what was typed and says why next to the field.
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Create the invitation link" }).click();
    await expect(page.getByText("must be an email address such as sam@coop.example").count()).resolves.toBe(1);
    await expect(page.getByLabel("Email").inputValue()).resolves.toBe("not-an-email");
    expect(pageProblems(await checkPage(page, "people-invite-error"))).toEqual([]);

    await page.getByLabel("Email").fill("dee@knit.example");
    await page.getByLabel("Role", { exact: true }).selectOption("viewer");
    await page.getByRole("button", { name: "Create the invitation link" }).click();
    await page.waitForURL(/\/app\/settings\/people$/);
    const link = await page.locator(".secret").textContent();
    expect(link).toMatch(new RegExp(`^${node.origin}/setup/[A-Za-z0-9_-]{43}$`));
    expect(pageProblems(await checkPage(page, "people-owner"))).toEqual([]);
    await page.reload();
    await expect(page.locator(".secret").count()).resolves.toBe(0);

    const member = await personWithRole(browser(), node, "member");
    await page.reload();
    const row = page.getByRole("row").filter({ hasText: member.email });
    await row.getByRole("combobox").selectOption("viewer");
    await row.getByRole("button", { name: /^Change/ }).click();
    await expect(page.getByText("Member Person is now a viewer.").count()).resolves.toBe(1);
    expect((await node.api("GET", "/people")).body.items.find((p: any) => p.email === member.email).role).toBe(
      "viewer",
    );
    await member.close();
    await owner.close();
  });

  it("shows a viewer no buttons to act, and refuses a viewer's hand-made post with a page saying why", async () => {
    const viewer = await personWithRole(browser(), node, "viewer", 375);
    const { page } = viewer;
    await expect(page.getByText("You can read everything here").count()).resolves.toBe(1);
    await page.goto(`${node.origin}/app/settings/people`);
    await expect(page.getByRole("button", { name: /Create the invitation link|Change|Remove/ }).count()).resolves.toBe(
      0,
    );
    await expect(page.getByText("Only an owner can invite people or change roles.").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "people-viewer"))).toEqual([]);

    const status = await postForm(page, "/app/settings/people", {
      _csrf: await csrfToken(page),
      email: "eve@knit.example",
      role: "owner",
    });
    expect(status).toBe(403);
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "As a viewer you cannot manage people and the node's settings",
    );
    expect(pageProblems(await checkPage(page, "refused-role"))).toEqual([]);
    expect((await node.api("GET", "/people")).body.items.map((p: any) => p.email)).not.toContain("eve@knit.example");
    await viewer.close();
  });

  it("refuses to let a member manage people", async () => {
    const member = await personWithRole(browser(), node, "member");
    const { page } = member;
    await page.goto(`${node.origin}/app/settings/people`);
    await expect(page.getByRole("button", { name: "Create the invitation link" }).count()).resolves.toBe(0);
    const someone = (await node.api("GET", "/people")).body.items.find((p: any) => p.role === "owner");
    const status = await postForm(page, `/app/settings/people/${someone.id}/remove`, { _csrf: await csrfToken(page) });
    expect(status).toBe(403);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("As a member you cannot manage people");
    expect((await node.api("GET", "/people")).body.items.map((p: any) => p.id)).toContain(someone.id);
    await member.close();
  });

  it("refuses a form without the CSRF token, and changes nothing", async () => {
    const owner = await personWithRole(browser(), node, "owner");
    const { page } = owner;
    const status = await postForm(page, "/app/settings/people", { email: "mallory@knit.example", role: "owner" });
    expect(status).toBe(403);
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "did not carry this workspace's security token",
    );
    expect(pageProblems(await checkPage(page, "refused-csrf"))).toEqual([]);
    const wrong = await postForm(page, "/logout", { _csrf: "forged" });
    expect(wrong).toBe(403);
    await page.goto(`${node.origin}/app`);
    expect(new URL(page.url()).pathname).toBe("/app");
    await owner.close();
  });

  it("signs out a browser whose session was revoked in settings", async () => {
    const owner = await personWithRole(browser(), node, "owner");
    // The same person in a second browser.
    const other = await newPerson(browser());
    await signIn(other.page, node.origin, owner.email);
    await other.page.waitForURL(/\/app$/);

    const { page } = owner;
    await page.goto(`${node.origin}/app/settings/sessions`);
    const rows = page.getByRole("row").filter({ has: page.getByRole("button", { name: /^Revoke/ }) });
    await expect(page.getByText("(this browser)").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "sessions"))).toEqual([]);
    const before = await rows.count();
    // The newest session (the second browser) is listed first among those of others.
    await rows
      .first()
      .getByRole("button", { name: /^Revoke/ })
      .click();
    await expect(page.getByText("The session was revoked; that browser is signed out.").count()).resolves.toBe(1);
    await expect(rows.count()).resolves.toBe(before - 1);

    await other.page.goto(`${node.origin}/app/settings/sessions`);
    await other.page.waitForURL(/\/login\?next=%2Fapp%2Fsettings%2Fsessions$/);
    await other.context.close();

    await page.goto(`${node.origin}/app`);
    expect(new URL(page.url()).pathname).toBe("/app");
    await owner.close();
  });
});
