// Signing in to the workspace in a real browser: the first owner's set-up
// link, wrong passwords, the rate limit, links that expired or were used,
// and signing out. Every page is checked with axe at both widths.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invitations } from "../../src/db/schema.ts";
import { hashToken } from "../../src/domain/passwords.ts";
import { browserAvailable, checkPage, newPerson, pageProblems, useBrowser } from "../support/browser.ts";
import { startNode } from "../support/network.ts";
import { invite, PASSWORD, setUp, signIn } from "./support.ts";

describe.runIf(browserAvailable)("signing in to the workspace", () => {
  const { browser } = useBrowser();

  it("lets the owner of a new node set up an account from the link, land on Home, and sign out", async () => {
    const node = await startNode();
    const { context, page } = await newPerson(browser());
    await page.goto(`${node.origin}/app`);
    await page.waitForURL(`${node.origin}/login?next=%2Fapp`);

    const link = await invite(node, "ada@knit.example", "owner");
    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Set up your account");
    await expect(page.getByText("ada@knit.example").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "setup"))).toEqual([]);

    await page.getByLabel("Your name").fill("Ada Lovelace");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Password again").fill("short");
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page.getByText("Choose a password of at least 10 characters.").count()).resolves.toBe(1);
    await expect(page.getByLabel("Your name").inputValue()).resolves.toBe("Ada Lovelace");
    expect(pageProblems(await checkPage(page, "setup-error"))).toEqual([]);

    await setUp(page, link, "Ada Lovelace");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("What needs you now");
    await expect(page.getByText("Welcome, Ada Lovelace.", { exact: false }).count()).resolves.toBe(1);
    await expect(
      page.getByRole("navigation", { name: "Workspace" }).getByRole("link").allTextContents(),
    ).resolves.toEqual([
      "Home",
      "Listings",
      "Partners",
      "Find capacity",
      "Orders",
      "Matches",
      "Hubs & crawls",
      "Settings",
    ]);
    expect(pageProblems(await checkPage(page, "home-empty"))).toEqual([]);

    const cookie = (await context.cookies()).find((c) => c.name === "weft_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${node.origin}/login`);
    await expect(page.getByText("You are signed out.").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "login"))).toEqual([]);
    await page.goto(`${node.origin}/app`);
    await page.waitForURL(/\/login\?next=/);

    // The same link does not work twice.
    await page.goto(link);
    expect(await page.getByRole("alert").textContent()).toContain("This set-up link was already used.");
    expect(pageProblems(await checkPage(page, "setup-used"))).toEqual([]);
    await context.close();
  });

  it("keeps the email after a wrong password, and limits failed attempts per account", async () => {
    const node = await startNode();
    const { context, page } = await newPerson(browser());
    await setUp(page, await invite(node, "bo@knit.example", "member"), "Bo");
    await context.clearCookies();

    await signIn(page, node.origin, "bo@knit.example", "not the password");
    await expect(page.getByRole("alert").textContent()).resolves.toContain("The email or the password is wrong.");
    await expect(page.getByLabel("Email").inputValue()).resolves.toBe("bo@knit.example");
    await expect(page.getByLabel("Password").inputValue()).resolves.toBe("");
    expect(pageProblems(await checkPage(page, "login-error"))).toEqual([]);

    for (let i = 0; i < 4; i++) await signIn(page, node.origin, "bo@knit.example", `wrong ${i}`);
    // The sixth attempt is refused even with the right password.
    await signIn(page, node.origin, "bo@knit.example", PASSWORD);
    await expect(page.getByRole("alert").textContent()).resolves.toContain(
      "Too many failed sign-ins for this account. Try again in 15 minutes.",
    );
    expect(page.url()).toBe(`${node.origin}/login`);
    expect(pageProblems(await checkPage(page, "login-limited"))).toEqual([]);
    await context.close();
  });

  it("says plainly when a set-up link has expired or is not valid", async () => {
    const node = await startNode();
    const link = await invite(node, "cy@knit.example", "viewer");
    const token = link.split("/").at(-1)!;
    await node.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(invitations.tokenHash, hashToken(token)));
    const { context, page } = await newPerson(browser());
    const expired = await page.goto(link);
    expect(expired?.status()).toBe(410);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("This set-up link has expired");
    expect(pageProblems(await checkPage(page, "setup-expired"))).toEqual([]);

    const unknown = await page.goto(`${node.origin}/setup/not-a-real-token`);
    expect(unknown?.status()).toBe(404);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("This set-up link is not valid.");
    await context.close();
  });
});
