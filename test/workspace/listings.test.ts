// Listings in the workspace, in a real browser: a member publishes an offer
// and a capacity through the form and finds them in the list and on the
// public page; a bad amount keeps what was typed and says so by the field;
// editing changes the listing; withdrawing (after a confirmation page)
// removes it. A viewer sees no act buttons and a forged post is refused.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserAvailable, checkPage, pageProblems, useBrowser } from "../support/browser.ts";
import { eventually, startNetwork, startNode, type TestNode } from "../support/network.ts";
import { csrfToken, personWithRole, postForm } from "./support.ts";

async function publishThroughForm(page: Page, origin: string, fill: (page: Page) => Promise<void>): Promise<string> {
  await page.goto(`${origin}/app/listings`);
  await page.getByRole("link", { name: "New listing" }).click();
  await page.waitForURL(`${origin}/app/listings/new`);
  await fill(page);
  await page.getByRole("button", { name: "Publish" }).click();
  await page.waitForURL(/\/app\/listings\/[0-9a-f-]{36}$/);
  return page.url().split("/").at(-1) as string;
}

async function publicPageText(node: TestNode): Promise<string> {
  return await (await fetch(`${node.origin}/`, { headers: { accept: "text/html" } })).text();
}

describe.runIf(browserAvailable)("listings in the workspace", { timeout: 240_000 }, () => {
  const { browser } = useBrowser();

  it("lets a member publish, find, correct, edit and withdraw listings", async () => {
    const node = await startNode();
    const { page, close } = await personWithRole(browser(), node, "member");

    await page.goto(`${node.origin}/app/listings`);
    await expect(page.getByText("No listings yet.", { exact: false }).count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "listings-empty"))).toEqual([]);

    const offerId = await publishThroughForm(page, node.origin, async (p) => {
      expect(pageProblems(await checkPage(p, "listings-new"))).toEqual([]);
      // With scripts on, a click on the world map fills the point (the centre is 0, 0).
      await p.locator(".map-picker-frame").click();
      await expect(p.getByLabel("Latitude (optional)").inputValue().then(Number)).resolves.toBeCloseTo(0, 0);
      await expect(p.getByLabel("Longitude (optional)").inputValue().then(Number)).resolves.toBeCloseTo(0, 0);
      await p.getByLabel("Kind").selectOption("offer");
      await p.getByLabel("Title").fill("Organic cotton jersey, 180 gsm");
      await p.getByLabel("Category").fill("textile/fabric/knit");
      await p.getByLabel("Description (optional)").fill("GOTS-certified single jersey, **undyed**.");
      await p.getByLabel("Quantity available (or wanted)").fill("500");
      await p.getByLabel("Unit of the quantity").selectOption({ label: "metres (MTR)" });
      await p.getByLabel("Minimum order (optional)").fill("50");
      await p.getByLabel("Price (optional)").fill("7.40");
      await p.getByLabel("Currency").selectOption("USD");
      await p.getByLabel("Price per").selectOption("MTR");
      await p.getByLabel("Available from (optional)").fill("2027-01-04");
      await p.getByLabel("Available until (optional)").fill("2027-03-31");
      await p.getByLabel("Country or region (optional)").fill("us-nc");
      await p.getByLabel("Latitude (optional)").fill("35.745");
      await p.getByLabel("Longitude (optional)").fill("-81.685");
      await p.getByLabel("Everyone").check();
    });
    await expect(page.getByRole("status").first().textContent()).resolves.toContain(
      "Published “Organic cotton jersey, 180 gsm”",
    );
    const terms = await page.locator("dl.terms").textContent();
    expect(terms).toContain("500 metres");
    expect(terms).toContain("50 metres");
    expect(terms).toContain("$7.40 (USD) per metre");
    expect(terms).toContain("4 Jan 2027 to 31 Mar 2027");
    expect(terms).toContain("US-NC");
    await expect(page.locator("svg.map-svg").count()).resolves.toBe(1);
    expect(pageProblems(await checkPage(page, "listings-show"))).toEqual([]);
    const stored = await node.api("GET", `/listings/${offerId}`);
    expect(stored.body).toMatchObject({
      kind: "offer",
      quantity: { amount: "500", unit: "MTR" },
      minimumOrder: { amount: "50", unit: "MTR" },
      price: { amount: "7.40", currency: "USD", per: "MTR" },
      region: "US-NC",
      location: { lat: 35.745, lon: -81.685 },
      visibility: "public",
    });

    await publishThroughForm(page, node.origin, async (p) => {
      await p.getByLabel("Kind").selectOption("capacity");
      await p.getByLabel("Title").fill("Cut and sew, knit tops");
      await p.getByLabel("Category").fill("apparel/cut-and-sew");
      await p.getByLabel("Rate (capacity only)").fill("2000");
      await p.getByLabel("Unit of the rate").selectOption("H87");
      await p.getByLabel("Per", { exact: true }).selectOption("P1W");
      await p.getByLabel("Price (optional)").fill("3.20");
      await p.getByLabel("Currency").selectOption("USD");
    });
    await expect(page.locator("dl.terms").textContent()).resolves.toContain("2,000 pieces per week");

    await page.goto(`${node.origin}/app/listings`);
    const rows = page.locator("table.listings tbody tr");
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.first().textContent()).resolves.toContain("Cut and sew, knit tops");
    expect(pageProblems(await checkPage(page, "listings-list"))).toEqual([]);
    await page.getByLabel("Kind").selectOption("capacity");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/kind=capacity/);
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain("2,000 pieces per week");

    const before = await publicPageText(node);
    expect(before).toContain("Organic cotton jersey, 180 gsm");
    expect(before).toContain("Cut and sew, knit tops");

    // A price and a quantity written with commas: refused by their fields, everything typed kept.
    await page.goto(`${node.origin}/app/listings/new`);
    await page.getByLabel("Title").fill("Undyed cotton yarn");
    await page.getByLabel("Category").fill("textile/yarn/cotton");
    await page.getByLabel("Kind").selectOption("need");
    await page.getByLabel("Quantity available (or wanted)").fill("1,200");
    await page.getByLabel("Unit of the quantity").selectOption("KGM");
    await page.getByLabel("Price (optional)").fill("4,10");
    await page.getByLabel("Currency").selectOption("EUR");
    const refused = page.waitForResponse((r) => r.request().method() === "POST");
    await page.getByRole("button", { name: "Publish" }).click();
    expect((await refused).status()).toBe(400);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("The listing was not published");
    const amountError = "Write an amount such as 500 or 7.40";
    await expect(page.locator("#f-quantity\\.amount-error").textContent()).resolves.toContain(amountError);
    await expect(page.locator("#f-price\\.amount-error").textContent()).resolves.toContain(amountError);
    await expect(page.getByLabel("Title").inputValue()).resolves.toBe("Undyed cotton yarn");
    await expect(page.getByLabel("Quantity available (or wanted)").inputValue()).resolves.toBe("1,200");
    await expect(page.getByLabel("Price (optional)").inputValue()).resolves.toBe("4,10");
    await expect(page.getByLabel("Currency").inputValue()).resolves.toBe("EUR");
    await expect(page.getByLabel("Kind").inputValue()).resolves.toBe("need");
    await expect(page.getByLabel("Price (optional)").getAttribute("aria-invalid")).resolves.toBe("true");
    expect(pageProblems(await checkPage(page, "listings-form-errors"))).toEqual([]);
    expect((await node.api("GET", "/listings")).body.items).toHaveLength(2);

    // Edit: the form opens with what is stored; the change shows at once.
    await page.goto(`${node.origin}/app/listings/${offerId}`);
    await page.getByRole("link", { name: "Edit" }).click();
    await page.waitForURL(`${node.origin}/app/listings/${offerId}/edit`);
    await expect(page.getByLabel("Quantity available (or wanted)").inputValue()).resolves.toBe("500");
    await expect(page.getByLabel("Available until (optional)").inputValue()).resolves.toBe("2027-03-31");
    expect(pageProblems(await checkPage(page, "listings-edit"))).toEqual([]);
    await page.getByLabel("Title").fill("Organic cotton jersey, 200 gsm");
    await page.getByLabel("Price (optional)").fill("7.90");
    await page.getByRole("button", { name: "Save the changes" }).click();
    await page.waitForURL(`${node.origin}/app/listings/${offerId}`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Organic cotton jersey, 200 gsm");
    await expect(page.locator("dl.terms").textContent()).resolves.toContain("$7.90 (USD) per metre");

    // Withdraw: a confirmation page first, then it is gone here and from the public page.
    await page.getByRole("link", { name: "Withdraw" }).click();
    await page.waitForURL(`${node.origin}/app/listings/${offerId}/withdraw`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Withdraw this listing?");
    expect(pageProblems(await checkPage(page, "listings-withdraw"))).toEqual([]);
    await page.getByRole("button", { name: "Withdraw the listing" }).click();
    await page.waitForURL(`${node.origin}/app/listings`);
    await expect(rows.count()).resolves.toBe(1);
    await expect(page.getByRole("status").first().textContent()).resolves.toContain("Withdrew");
    expect(await publicPageText(node)).not.toContain("Organic cotton jersey");
    expect((await node.api("GET", `/listings/${offerId}`)).status).toBe(404);
    await close();
  });

  it("shows a viewer the listings without New, Edit or Withdraw, and refuses a forged post", async () => {
    const node = await startNode();
    const created = await node.api("POST", "/listings", {
      kind: "offer",
      title: "Undyed linen, 150 gsm",
      category: "textile/fabric/woven",
      quantity: { amount: "300", unit: "MTR" },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const { page, close } = await personWithRole(browser(), node, "viewer");

    await page.goto(`${node.origin}/app/listings`);
    await expect(page.getByText("Undyed linen, 150 gsm").count()).resolves.toBe(1);
    await expect(page.getByRole("link", { name: "New listing" }).count()).resolves.toBe(0);
    await page.getByRole("link", { name: "Undyed linen, 150 gsm" }).click();
    await page.waitForURL(`${node.origin}/app/listings/${id}`);
    await expect(page.getByRole("link", { name: "Edit" }).count()).resolves.toBe(0);
    await expect(page.getByRole("link", { name: "Withdraw" }).count()).resolves.toBe(0);
    expect(pageProblems(await checkPage(page, "listings-show-viewer"))).toEqual([]);

    const csrf = await csrfToken(page);
    expect(await postForm(page, `/app/listings/${id}/withdraw`, { _csrf: csrf })).toBe(403);
    await page.waitForURL(`${node.origin}/app/listings/${id}/withdraw`);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Your role in this workspace is viewer");
    expect(
      await postForm(page, "/app/listings", { _csrf: csrf, kind: "offer", title: "Forged", category: "textile" }),
    ).toBe(403);
    // The refusal page has replaced the listing's page before the next navigation starts.
    await page.waitForURL(`${node.origin}/app/listings`);
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Your role in this workspace is viewer");
    expect((await page.goto(`${node.origin}/app/listings/new`))?.status()).toBe(403);
    const items = (await node.api("GET", "/listings")).body.items as { title: string }[];
    expect(items.map((l) => l.title)).toEqual(["Undyed linen, 150 gsm"]);
    await close();
  });

  it("shows a listing only to the partners chosen in the form", async () => {
    const [seller, partner] = (await startNetwork(2)) as [TestNode, TestNode];
    await partner.api("POST", "/following", { handle: seller.account });
    const partnerName = await eventually(async () => {
      const items = (await seller.api("GET", "/followers")).body.items as any[];
      return items.find((f) => f.actor.iri === partner.actorUrl && f.state === "accepted")?.actor.name as string;
    });
    const { page, close } = await personWithRole(browser(), seller, "member");

    // "Only chosen partners" with none ticked is refused by the audience field.
    await page.goto(`${seller.origin}/app/listings/new`);
    await page.getByLabel("Title").fill("Dye lot for partners");
    await page.getByLabel("Category").fill("textile/dyeing");
    await page.getByLabel("Only chosen partners").check();
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.locator("#f-visibility-error").textContent()).resolves.toContain("Choose at least one partner");
    await expect(page.getByLabel("Only chosen partners").isChecked()).resolves.toBe(true);
    expect(pageProblems(await checkPage(page, "listings-form-partners"))).toEqual([]);

    await page.getByLabel(partnerName).check();
    await page.getByRole("button", { name: "Publish" }).click();
    await page.waitForURL(/\/app\/listings\/[0-9a-f-]{36}$/);
    await expect(page.locator("dl.terms").textContent()).resolves.toContain(`Only ${partnerName}`);
    const id = page.url().split("/").at(-1) as string;
    expect((await seller.api("GET", `/listings/${id}`)).body.visibility).toEqual([partner.actorUrl]);
    await eventually(async () =>
      ((await partner.api("GET", "/timeline")).body.items as any[]).some((l) => l.title === "Dye lot for partners"),
    );

    await page.getByRole("link", { name: "Edit" }).click();
    await expect(page.getByLabel(partnerName).isChecked()).resolves.toBe(true);
    await close();
  });
});
