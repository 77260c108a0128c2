// The co-op's public page in a real browser: readable at both widths, no
// serious accessibility problem.
import { describe, expect, it } from "vitest";
import { browserAvailable, checkPage, newPerson, pageProblems, useBrowser } from "../support/browser.ts";
import { startNode } from "../support/network.ts";

describe.runIf(browserAvailable)("the public page in a browser", () => {
  const { browser } = useBrowser();

  it("shows the co-op's name and handle, at a phone's width and a desktop's", async () => {
    const node = await startNode();
    const { context, page } = await newPerson(browser());
    await page.goto(node.origin);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(node.config.name);
    await expect(page.getByText(`coop@${new URL(node.origin).host}`).count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "public-home"))).toEqual([]);
    await context.close();
  });
});
