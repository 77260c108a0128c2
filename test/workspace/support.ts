// Helpers for workspace tests in a browser: invite someone through the API
// (as `weft user add` does), set the account up through its link, sign in.
import type { Browser, Page } from "playwright-core";
import { newPerson } from "../support/browser.ts";
import type { TestNode } from "../support/network.ts";

export const PASSWORD = "correct horse battery";

export async function invite(node: TestNode, email: string, role: "owner" | "member" | "viewer"): Promise<string> {
  const res = await node.api("POST", "/people", { email, role });
  if (res.status !== 201) throw new Error(`invitation refused: ${JSON.stringify(res.body)}`);
  return res.body.setupUrl as string;
}

/** Fills in the set-up page at `link`; the browser ends on Home, signed in. */
export async function setUp(page: Page, link: string, name: string, password = PASSWORD): Promise<void> {
  await page.goto(link);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Password again").fill(password);
  await page.getByRole("button", { name: "Create my account" }).click();
  await page.waitForURL(/\/app$/);
}

export async function signIn(page: Page, origin: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A new browser context with a person of `role` set up and signed in. */
export async function personWithRole(
  browser: Browser,
  node: TestNode,
  role: "owner" | "member" | "viewer",
  width = 1280,
): Promise<{ page: Page; close: () => Promise<void>; email: string }> {
  const email = `${role}-${Math.random().toString(36).slice(2, 8)}@knit.example`;
  const { context, page } = await newPerson(browser, width);
  await setUp(page, await invite(node, email, role), `${role[0]!.toUpperCase()}${role.slice(1)} Person`);
  return { page, close: () => context.close(), email };
}

/** Submits a form built in the page (as a forged or hand-made request would be), and waits for the answer. */
export async function postForm(page: Page, action: string, fields: Record<string, string>): Promise<number> {
  const response = page.waitForResponse((r) => new URL(r.url()).pathname === action && r.request().method() === "POST");
  await page.evaluate(
    ({ action, fields }) => {
      const form = document.createElement("form");
      form.method = "post";
      form.action = action;
      for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    },
    { action, fields },
  );
  const status = (await response).status();
  // The refusal page is shown at the form's address (no redirect).
  await page.waitForURL((url) => url.pathname === action);
  return status;
}

/** The CSRF token the page's forms carry (every workspace page has the sign-out form). */
export async function csrfToken(page: Page): Promise<string> {
  return (await page.locator('input[name="_csrf"]').first().getAttribute("value")) ?? "";
}
